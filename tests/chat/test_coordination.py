"""Per-person locks, handled updates and rate limits, in the process and (with TEST_REDIS_URL)
in Redis shared by two instances."""

from __future__ import annotations

import asyncio
import contextlib
import time

import pytest

from bot.coordination import Coordination
from tests.support.waits import CEILING, wait_until


async def test_one_persons_updates_never_overlap_across_instances(
    coordination_pair: tuple[Coordination, Coordination],
) -> None:
    inside: list[int] = []
    overlaps: list[int] = []

    async def update(coordination: Coordination, n: int) -> None:
        async with coordination.update("tg:7", None):
            inside.append(n)
            if len(inside) > 1:
                overlaps.append(n)
            await asyncio.sleep(0.01)
            inside.remove(n)

    await asyncio.gather(*(update(coordination_pair[n % 2], n) for n in range(10)))
    assert overlaps == []


async def test_an_update_handled_on_one_instance_is_seen_on_the_other(
    coordination_pair: tuple[Coordination, Coordination],
) -> None:
    first, second = coordination_pair
    with contextlib.suppress(RuntimeError):
        async with first.update("tg:1", "tg:42") as fresh:
            assert fresh
            raise RuntimeError("the handler failed: the update stays new")
    async with second.update("tg:1", "tg:42") as fresh:
        assert fresh  # handled now
    async with first.update("tg:1", "tg:42") as fresh:
        assert not fresh
    async with first.update("tg:1", "tg:43") as fresh:
        assert fresh


async def test_pace_keeps_both_instances_together_under_the_limit(
    coordination_pair: tuple[Coordination, Coordination],
) -> None:
    second = int(time.time()) + 1
    while time.time() < second:  # start at the beginning of a second
        await asyncio.sleep(0.005)
    started = time.time()
    await asyncio.gather(*(coordination_pair[n % 2].pace("vk") for n in range(25)))
    assert time.time() - started >= 0.5, "25 calls at 20/s need the next second"


async def test_a_stopping_bot_waits_for_the_updates_in_hand() -> None:
    """`run` waits for `drained` before closing the database: an update whose poll was
    confirmed finishes; one that takes too long is reported, not waited for forever."""
    coordination = Coordination()
    release = asyncio.Event()
    finished: list[str] = []

    async def update(key: str) -> None:
        async with coordination.update(key, None):
            await release.wait()
            finished.append(key)

    assert await coordination.drained(0.01)  # nothing in hand
    tasks = [asyncio.create_task(update(k)) for k in ("tg:1", "tg:2", "tg:1")]
    await asyncio.sleep(0)
    assert not await coordination.drained(0.01)  # all three still in hand
    stopping = asyncio.create_task(coordination.drained(5))
    release.set()
    assert await stopping
    assert sorted(finished) == ["tg:1", "tg:1", "tg:2"]
    await asyncio.gather(*tasks)


async def test_a_stopping_poller_lets_the_updates_it_took_finish() -> None:
    """VK and MAX confirm a long poll's batch before handling it, so a stop lets those
    updates finish (up to the grace period) instead of cancelling them."""
    import logging

    from bot.handlers.ordering import PerKeyOrder

    release = asyncio.Event()
    done: list[int] = []

    async def handler(update: int) -> None:
        await release.wait()
        done.append(update)

    order = PerKeyOrder(handler, logging.getLogger("test"))
    for n in (1, 2, 3):
        await order.submit(n % 2, n)
    closing = asyncio.create_task(order.close(grace=5))
    await asyncio.sleep(0.01)
    release.set()
    await closing
    assert sorted(done) == [1, 2, 3]

    stuck = PerKeyOrder(handler, logging.getLogger("test"))
    release.clear()
    await stuck.submit(1, 4)
    await stuck.close(grace=0.01)  # past the grace period the rest is cancelled
    assert 4 not in done


async def test_a_change_on_one_instance_clears_the_others_cache(
    coordination_pair: tuple[Coordination, Coordination],
) -> None:
    """An admin removes a staff member on one instance: the other drops its cached staff list
    at once instead of trusting it for another STAFF_CACHE_TTL."""
    first, second = coordination_pair
    if first.redis is None:
        pytest.skip("one process clears its own cache directly")
    forgotten: list[str] = []
    second.on_change("staff", lambda: forgotten.append("staff"))
    second.on_change("windows", lambda: forgotten.append("windows"))
    listening = asyncio.create_task(second.listen())
    try:
        subscribers = 0

        async def subscribed() -> None:
            nonlocal subscribers
            while not subscribers:
                numsub = await first.redis.pubsub_numsub(first.changes)
                subscribers = dict(numsub).get(first.changes.encode(), 0)
                await asyncio.sleep(0)

        await asyncio.wait_for(subscribed(), CEILING)
        await first.changed("staff")
        await wait_until(lambda: forgotten == ["staff"])
    finally:
        listening.cancel()
        await asyncio.gather(listening, return_exceptions=True)


async def test_a_bot_in_another_redis_database_does_not_hear_the_change(redis_url: str) -> None:
    """Redis shares pub/sub among its databases: another body's bot kept in another database
    of the same server must not drop its caches on every change of this one."""
    base, _, number = redis_url.rpartition("/")
    neighbour = Coordination.from_url(f"{base}/{(int(number) + 8) % 16}")  # publishes only
    first, second = Coordination.from_url(redis_url), Coordination.from_url(redis_url)
    heard: list[str] = []
    second.on_change("staff", lambda: heard.append("staff"))
    second.on_change("windows", lambda: heard.append("windows"))
    listening = asyncio.create_task(second.listen())
    try:

        async def subscribed() -> None:
            while not dict(await first.redis.pubsub_numsub(first.changes)).get(
                first.changes.encode()
            ):
                await asyncio.sleep(0)

        await asyncio.wait_for(subscribed(), CEILING)
        await neighbour.changed("staff")  # published, and answered, before the next one
        await first.changed("windows")
        await wait_until(lambda: "windows" in heard)
        assert heard == ["windows"]
    finally:
        listening.cancel()
        await asyncio.gather(listening, return_exceptions=True)
        for coordination in (neighbour, first, second):
            await coordination.close()
