"""Two bot processes in webhook mode against one PostgreSQL and one Redis (as behind a load
balancer). Runs when TEST_POSTGRES_URL and TEST_REDIS_URL are set (.ci/run sets them)."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import asyncpg
import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select

from bot.config import load_settings
from bot.db.migrate import upgrade
from bot.db.models import SurveyPendingResponse, SurveyResponse, SurveyWindow, WindowEvent
from bot.db.session import create_engine, create_sessionmaker
from bot.devtools.fake_telegram import FakeTelegram
from bot.surveys.windows import WindowService
from tests.support.clock import FakeClock
from tests.support.database import ADMIN
from tests.support.instances import Balancer, start_webhook_instances, wait_healthy
from tests.support.waits import wait_until

POSTGRES = os.environ.get("TEST_POSTGRES_URL")
REDIS = os.environ.get("TEST_REDIS_URL")
PEOPLE = 100

pytestmark = pytest.mark.skipif(
    not (POSTGRES and REDIS), reason="TEST_POSTGRES_URL and TEST_REDIS_URL are not set"
)


@pytest.fixture
async def database() -> AsyncIterator[str]:
    """A fresh PostgreSQL database next to TEST_POSTGRES_URL's, migrated."""
    assert POSTGRES is not None
    base, _, name = POSTGRES.rpartition("/")
    url = f"{base}/{name}_instances"
    plain = base.replace("postgresql+asyncpg", "postgresql")
    conn = await asyncpg.connect(f"{plain}/postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}_instances" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}_instances"')
    finally:
        await conn.close()
    await asyncio.to_thread(upgrade, url)
    yield url


async def answer_survey(fake: FakeTelegram, lb: Balancer, user_id: int, port: int) -> None:
    """/start csi, then the first answer of each keyboard until the thanks (no keyboard)."""
    await lb.deliver(port, fake.message_update(user_id, "/start csi"))
    for _ in range(60):
        last = fake.sent(user_id)[-1]
        buttons = [
            b["callback_data"]
            for row in last.buttons
            for b in row
            if not b["callback_data"].endswith(":back")
        ]
        if not buttons:
            return
        before = len(fake.sent(user_id))
        await lb.deliver(port, fake.callback_update(user_id, buttons[0], last.message_id))
        if len(fake.sent(user_id)) == before:
            # The killed instance had stored this answer but died before replying; the press
            # redelivered to the other instance is stale. A person then types /start, which
            # resumes at the current question.
            await lb.deliver(port, fake.message_update(user_id, "/start csi"))
    raise AssertionError(f"person {user_id} never finished")


async def test_two_instances_share_the_work_and_lose_nothing(database: str, tmp_path: Path) -> None:
    redis = Redis.from_url(REDIS or "")
    await redis.flushdb()
    await redis.aclose()
    engine = create_engine(database)
    sessionmaker = create_sessionmaker(engine)
    settings = load_settings(database_url=database, anon_secret="test-secret-test-secret")
    from bot.surveys.anonymity import Anonymizer, load_or_create_secret
    from bot.surveys.calendar import load_calendar
    from bot.surveys.questionnaire import load_questionnaires
    from bot.surveys.release import ResponseRelease

    now = datetime.now(UTC)
    secret = load_or_create_secret("test-secret-test-secret", settings.anon_secret_file)
    release = ResponseRelease(engine, Anonymizer(secret), settings.min_group_size)
    past = WindowService(
        sessionmaker, load_questionnaires(None), load_calendar(settings.calendar_overrides),
        FakeClock(now - timedelta(days=40)), settings.tz, release,
    )  # fmt: skip
    old = await past.open_window("csi")  # closed by time long ago: reported at start-up
    current = await WindowService(
        sessionmaker, past.questionnaires, past.calendar, FakeClock(now), settings.tz, release
    ).open_window("csi")
    fake = FakeTelegram()
    await fake.start()
    instances = await start_webhook_instances(database, REDIS, fake, tmp_path)
    ports, processes = list(instances), list(instances.values())
    try:
        async with aiohttp.ClientSession() as http:
            await wait_healthy(http, *ports)
            lb = Balancer(http, ports)

            # Without the secret (or with a wrong one) a webhook request is refused.
            update = {"update_id": 999_999, **fake.message_update(7, "/start")}
            assert await lb.post(ports[0], update, secret=None) == 401
            assert await lb.post(ports[1], update, secret="wrong") == 401
            assert fake.sent(7) == []

            # A redelivered update (same id, the other instance) is handled once.
            assert await lb.post(ports[0], update) == 200
            assert await lb.post(ports[1], update) == 200
            assert len(fake.sent(7)) == 1

            # The window that closed while nobody ran is closed and reported once.
            async with sessionmaker() as session:
                events = await session.scalars(
                    select(WindowEvent.event).where(WindowEvent.window_id == old.id)
                )
                assert sorted(events).count("report") == 1
            await wait_until(lambda: len(fake.sent(ADMIN)) >= 1, timeout=30)
            admin_texts = [c.text for c in fake.sent(ADMIN)]
            assert len(admin_texts) == len(set(admin_texts)), admin_texts

            # 100 people at once, spread over both; one instance is killed mid-burst.
            async def kill_later() -> None:
                await wait_until(lambda: len(fake.sent()) > 600, timeout=120)
                processes[1].send_signal(signal.SIGKILL)
                lb.dead.add(ports[1])

            await asyncio.gather(
                kill_later(),
                *(answer_survey(fake, lb, 1000 + n, ports[n % 2]) for n in range(PEOPLE)),
            )
        async with sessionmaker() as session:
            released, pending = [
                await session.scalar(select(func.count()).where(model.window_id == current.id)) or 0
                for model in (SurveyResponse, SurveyPendingResponse)
            ]
            counted = await session.scalar(
                select(SurveyWindow.respondents).where(SurveyWindow.id == current.id)
            )
        # Finished surveys wait in groups before release (bot/surveys/release.py); the window
        # counts the released ones.
        assert released + pending == PEOPLE
        assert counted == released
    finally:
        for process in processes:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            await process.wait()
        await fake.stop()
        await engine.dispose()
