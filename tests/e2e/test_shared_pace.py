"""VK (20 calls/s) and MAX (30 requests/s) clients of two instances share one rate limit when
REDIS_URL is set: calls of both, started together, spill into the next second. In memory (one
Coordination for both) and, with TEST_REDIS_URL, two Redis clients as two instances have."""

from __future__ import annotations

import asyncio
import time
from functools import partial

from bot.coordination import Coordination
from bot.devtools.fake_max import FakeMax
from bot.devtools.fake_vk import FakeVk
from bot.handlers.max.client import MaxClient
from bot.handlers.vk.client import VkClient, make_vk_api


async def start_of_a_second() -> float:
    """Begin at a second's start, so `calls` over the limit must wait for the next one."""
    second = int(time.time()) + 1
    while time.time() < second:
        await asyncio.sleep(0.005)
    return time.time()


async def test_max_clients_of_two_instances_share_30_per_second(
    coordination_pair: tuple[Coordination, Coordination],
) -> None:
    fake = FakeMax()
    await fake.start()
    clients = [MaxClient(fake.token, fake.base_url, rps=0) for _ in coordination_pair]
    for client, coordination in zip(clients, coordination_pair, strict=True):
        client.shared_pace = partial(coordination.pace, "max")
    try:
        started = await start_of_a_second()
        await asyncio.gather(*(clients[n % 2].call("GET", "/me") for n in range(40)))
        assert time.time() - started >= 0.9, "40 requests at 30/s need the next second"
        assert fake.calls.count("GET /me") == 40
    finally:
        for client in clients:
            await client.close()
        await fake.stop()


async def test_vk_clients_of_two_instances_share_20_per_second(
    coordination_pair: tuple[Coordination, Coordination],
) -> None:
    fake = FakeVk()
    await fake.start()
    clients = [
        VkClient(make_vk_api("vk-test-token", fake.base_url), workers=8) for _ in coordination_pair
    ]
    for client, coordination in zip(clients, coordination_pair, strict=True):
        client.vk.RPS_DELAY = 0.0  # only the shared pace spaces them
        client.shared_pace = partial(coordination.pace, "vk")
    try:
        started = await start_of_a_second()
        await asyncio.gather(
            *(clients[n % 2].call("groups.getById", group_id=fake.group_id) for n in range(25))
        )
        assert time.time() - started >= 0.9, "25 calls at 20/s need the next second"
        assert len(fake.of("groups.getById")) == 25
    finally:
        for client in clients:
            client.close()
        await fake.stop()
