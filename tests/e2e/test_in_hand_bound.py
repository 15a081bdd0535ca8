"""The bound on updates in hand (`UPDATES_IN_HAND`): a crowd beyond what the bot can serve waits
at the messenger, unread. Taken, its updates would queue for the database until they timed out,
their poll long confirmed. A batch is handed over whole; only the next poll waits for room."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.handlers.max.client import MaxClient
from bot.handlers.max.polling import MaxPoller
from bot.handlers.vk.client import make_vk_api
from bot.handlers.vk.polling import VkPoller
from tests.support.polled import StoredPositions
from tests.support.waits import CEILING


class Gate:
    """A handler that holds every update until opened, and tells when `count` have begun."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.begun = 0
        self.all_begun = asyncio.Event()
        self.opened = asyncio.Event()

    async def __call__(self, _update: Any) -> None:
        self.begun += 1
        if self.begun == self.count:
            self.all_begun.set()
        await self.opened.wait()


async def test_vk_polls_no_more_while_the_updates_in_hand_are_at_the_bound() -> None:
    gate = Gate(3)
    poller = VkPoller(make_vk_api("token"), 1, gate, StoredPositions())
    poller._order.limit = 2
    events = [{"type": "message_event", "object": {"peer_id": p}} for p in (1, 2, 3)]
    taking = asyncio.create_task(poller._take(events, "5"))
    await asyncio.wait_for(gate.all_begun.wait(), CEILING)  # the whole batch was handed over
    assert not taking.done()  # three in hand, the bound is two: no next poll yet
    gate.opened.set()
    assert await asyncio.wait_for(taking, CEILING)


class OnePage(MaxClient):
    """GET /updates: three people's messages, then a poll that notes it was made and waits."""

    def __init__(self) -> None:
        self.polls = 0
        self.second_poll = asyncio.Event()

    async def call(self, method: str, path: str, **_options: Any) -> Any:  # type: ignore[override]
        self.polls += 1
        if self.polls == 1:
            updates = [
                {"update_type": "message_created", "message": {"sender": {"user_id": p}}}
                for p in (1, 2, 3)
            ]
            return {"marker": 5, "updates": updates}
        self.second_poll.set()
        await asyncio.Event().wait()


async def test_max_polls_no_more_while_the_updates_in_hand_are_at_the_bound() -> None:
    gate = Gate(3)
    client = OnePage()
    poller = MaxPoller(client, gate, StoredPositions())
    poller._order.limit = 2
    polling = asyncio.create_task(poller.run())
    try:
        await asyncio.wait_for(gate.all_begun.wait(), CEILING)  # the whole page was handed over
        assert not client.second_poll.is_set()  # three in hand, the bound is two
        gate.opened.set()
        await asyncio.wait_for(client.second_poll.wait(), CEILING)
    finally:
        gate.opened.set()  # so the stop does not wait for held updates
        polling.cancel()
        await asyncio.gather(polling, return_exceptions=True)
