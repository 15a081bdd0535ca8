"""Per-person locks, handled updates and rate limits, in the process and (with TEST_REDIS_URL)
in Redis shared by two instances."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator

import pytest

from bot.coordination import Coordination


def _next_database(url: str) -> str:
    """tests/e2e/test_instances.py empties TEST_REDIS_URL's database while running beside these
    tests (xdist), so these use the next database number."""
    base, _, number = url.rpartition("/")
    return f"{base}/{(int(number) + 1) % 16}" if number.isdigit() else f"{url.rstrip('/')}/1"


REDIS = _next_database(os.environ["TEST_REDIS_URL"]) if "TEST_REDIS_URL" in os.environ else None


@pytest.fixture(params=["memory", "redis"])
async def pair(request: pytest.FixtureRequest) -> AsyncIterator[tuple[Coordination, Coordination]]:
    """Two instances' views: one object in memory, or two clients of one Redis."""
    if request.param == "memory":
        one = Coordination()
        yield one, one
        return
    if REDIS is None:
        pytest.skip("TEST_REDIS_URL is not set")
    first, second = Coordination.from_url(REDIS), Coordination.from_url(REDIS)
    assert first.redis is not None
    await first.redis.flushdb()
    yield first, second
    await first.close()
    await second.close()


async def test_one_persons_updates_never_overlap_across_instances(
    pair: tuple[Coordination, Coordination],
) -> None:
    inside: list[int] = []
    overlaps: list[int] = []

    async def update(coordination: Coordination, n: int) -> None:
        async with coordination.person("tg:7"):
            inside.append(n)
            if len(inside) > 1:
                overlaps.append(n)
            await asyncio.sleep(0.01)
            inside.remove(n)

    await asyncio.gather(*(update(pair[n % 2], n) for n in range(10)))
    assert overlaps == []


async def test_an_update_handled_on_one_instance_is_seen_on_the_other(
    pair: tuple[Coordination, Coordination],
) -> None:
    assert not await pair[1].seen("tg:42")
    await pair[0].handled("tg:42")
    assert await pair[1].seen("tg:42")
    assert not await pair[1].seen("tg:43")


async def test_pace_keeps_both_instances_together_under_the_limit(
    pair: tuple[Coordination, Coordination],
) -> None:
    second = int(time.time()) + 1
    while time.time() < second:  # start at the beginning of a second
        await asyncio.sleep(0.005)
    started = time.time()
    await asyncio.gather(*(pair[n % 2].pace("vk") for n in range(25)))
    assert time.time() - started >= 0.5, "25 calls at 20/s need the next second"
