"""The VK client against the fake VK API: pacing, which errors are retried; the poller's
per-person ordering, and a batch a poll brings after the stop began."""

from __future__ import annotations

import asyncio
import time

import pytest
import requests

from bot.devtools.fake_vk import GROUP_TOKEN, FakeVk
from bot.handlers.backoff import Backoff
from bot.handlers.vk.client import VkClient, make_vk_api
from bot.handlers.vk.polling import VkPoller
from tests.support.polled import StoredPositions
from tests.support.waits import CEILING


async def test_community_calls_are_paced_at_twenty_per_second(fake_vk: FakeVk) -> None:
    client = VkClient(make_vk_api(GROUP_TOKEN, fake_vk.base_url))
    try:
        started = time.monotonic()
        await asyncio.gather(*(client.call("messages.edit", peer_id=1) for _ in range(11)))
        elapsed = time.monotonic() - started
    finally:
        client.close()
    assert len(fake_vk.of("messages.edit")) == 11
    assert elapsed >= 10 / 20 - 0.02  # ten gaps of 1/20 s


async def test_errors_that_are_not_transient_are_not_retried(fake_vk: FakeVk) -> None:
    client = VkClient(make_vk_api(GROUP_TOKEN, fake_vk.base_url), Backoff(first=0.01, attempts=3))
    fake_vk.errors["messages.send"] = [901, 6, 6, 6]  # 901: the user blocked the community
    try:
        with pytest.raises(Exception, match="901"):
            await client.call("messages.send", peer_id=1, message="x", random_id=1)
        with pytest.raises(Exception, match=r"\[6\]"):  # gives up after `attempts`
            await client.call("messages.send", peer_id=1, message="x", random_id=2)
    finally:
        client.close()
    assert [c.method for c in fake_vk.calls] == ["messages.send:error901"] + [
        "messages.send:error6"
    ] * 3


async def test_each_person_is_served_in_order_and_people_in_parallel() -> None:
    log: list[str] = []
    second_person_started = asyncio.Event()

    async def handler(event: dict) -> None:  # type: ignore[type-arg]
        peer, n = event["object"]["peer_id"], event["n"]
        log.append(f"start {peer}.{n}")
        if peer == 2:
            second_person_started.set()
        if (peer, n) == (1, 1):  # finishes only once another person is being served
            await asyncio.wait_for(second_person_started.wait(), CEILING)
        log.append(f"end {peer}.{n}")

    poller = VkPoller(make_vk_api("token"), 1, handler, StoredPositions())
    events = [
        {"type": "message_event", "object": {"peer_id": p}, "n": n}
        for p, n in [(1, 1), (1, 2), (2, 1)]
    ]
    await poller._dispatch(events)
    await asyncio.gather(*list(poller._order._tails.values()))
    assert log.index("end 1.1") < log.index("start 1.2")  # one person: in order
    assert log.index("start 2.1") < log.index("end 1.1")  # another person: not kept waiting


async def test_a_call_vk_never_answers_times_out_instead_of_hanging(fake_vk: FakeVk) -> None:
    """vk-api sets no timeout: a call VK never answers would hold its thread, and the process
    waits for that thread as it exits. Ours gives up after the timeout, retries, then raises."""
    fake_vk.holds.hold("messages.send")
    api = make_vk_api(GROUP_TOKEN, fake_vk.base_url, timeout=0.2)
    client = VkClient(api, Backoff(first=0.01, attempts=2))
    try:
        with pytest.raises(requests.Timeout):
            await asyncio.wait_for(
                client.call("messages.send", peer_id=1, message="x", random_id=1), CEILING
            )
        assert fake_vk.holds.held("messages.send") == 2  # tried twice, both still unanswered
    finally:
        fake_vk.holds.release("messages.send")
        client.close()


async def test_a_batch_that_comes_after_the_stop_began_is_left_to_the_next_run() -> None:
    """A long poll still open when the bot stops may bring a batch after the updates in hand
    were drained: taking it then would start work the stop no longer waits for, and storing
    its position would skip it for good. It is neither handled nor stored."""
    handled: list[dict] = []  # type: ignore[type-arg]

    async def handler(event: dict) -> None:  # type: ignore[type-arg]
        handled.append(event)

    positions = StoredPositions()
    poller = VkPoller(make_vk_api("token"), 1, handler, positions)
    event = {"type": "message_new", "object": {"message": {"peer_id": 1}}}
    assert await poller._take([event], "5")
    await poller._order.close()
    assert not await poller._take([event], "6")
    assert (len(handled), positions.stored) == (1, {"vk:1": "5"})
