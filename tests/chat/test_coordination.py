"""Per-person locks, handled updates and rate limits, in the process and (with TEST_REDIS_URL)
in Redis shared by two instances."""

from __future__ import annotations

import asyncio
import time

from bot.coordination import Coordination


async def test_one_persons_updates_never_overlap_across_instances(
    coordination_pair: tuple[Coordination, Coordination],
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

    await asyncio.gather(*(update(coordination_pair[n % 2], n) for n in range(10)))
    assert overlaps == []


async def test_an_update_handled_on_one_instance_is_seen_on_the_other(
    coordination_pair: tuple[Coordination, Coordination],
) -> None:
    assert not await coordination_pair[1].seen("tg:42")
    await coordination_pair[0].handled("tg:42")
    assert await coordination_pair[1].seen("tg:42")
    assert not await coordination_pair[1].seen("tg:43")


async def test_pace_keeps_both_instances_together_under_the_limit(
    coordination_pair: tuple[Coordination, Coordination],
) -> None:
    second = int(time.time()) + 1
    while time.time() < second:  # start at the beginning of a second
        await asyncio.sleep(0.005)
    started = time.time()
    await asyncio.gather(*(coordination_pair[n % 2].pace("vk") for n in range(25)))
    assert time.time() - started >= 0.5, "25 calls at 20/s need the next second"
