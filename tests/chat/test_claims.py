"""Daily jobs over several instances: once per day, and redone when the holder died."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.claims import JobClaims
from bot.config import Settings
from bot.db.session import create_engine, create_sessionmaker

NOON = datetime(2026, 12, 24, 9, 0, tzinfo=UTC)


async def test_two_instances_run_a_day_once_and_a_dead_holders_run_is_taken_over(
    settings: Settings,
) -> None:
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    now = [NOON]
    runs: list[str] = []

    def instance(name: str) -> JobClaims:
        return JobClaims(sessionmaker, holder=name, now=lambda: now[0])

    async def digest() -> None:
        runs.append("digest")

    async def dies() -> None:
        raise RuntimeError("the process was killed")

    a, b = instance("a"), instance("b")
    try:
        assert await a.run_once("daily:digest:2026-12-24", digest)
        assert not await b.run_once("daily:digest:2026-12-24", digest)
        assert runs == ["digest"]
        # 'a' claims the next day and never finishes (simulated by claiming only).
        assert await a.claim("daily:digest:2026-12-25")
        now[0] += timedelta(minutes=5)
        assert await b.retake({"daily:digest": digest}) == [], "lease still running"
        now[0] += timedelta(minutes=11)
        assert await b.retake({"daily:digest": digest}) == ["daily:digest:2026-12-25"]
        assert runs == ["digest", "digest"]
        assert await a.retake({"daily:digest": digest}) == [], "done is done"
        # A failing run is released and retried on the next tick.
        assert not await a.run_once("daily:purge:2026-12-25", dies)
        assert await b.retake({"daily:purge": digest}) == ["daily:purge:2026-12-25"]
    finally:
        await engine.dispose()


async def test_a_long_run_keeps_its_claim_and_a_dead_one_loses_it(settings: Settings) -> None:
    """The holder renews its lease while the job runs, so a run longer than the lease is not
    taken over; once the holder stops renewing (it died), the run is taken over."""
    import asyncio

    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    lease = timedelta(seconds=0.6)
    a = JobClaims(sessionmaker, holder="a", lease=lease)
    b = JobClaims(sessionmaker, holder="b", lease=lease)
    taken_over: list[bool] = []

    async def long_job() -> None:
        for _ in range(4):  # twice the lease
            await asyncio.sleep(0.3)
            taken_over.append(await b.claim("window:1:reminder"))

    try:
        assert await a.run_once("window:1:reminder", long_job)
        assert taken_over == [False, False, False, False]
        assert await a.claim("window:2:reminder")  # claimed, then the holder dies
        await asyncio.sleep(0.8)
        assert await b.claim("window:2:reminder")
    finally:
        await engine.dispose()
