"""The bound on updates in hand (`UPDATES_IN_HAND`): a crowd beyond what the bot can serve waits
at the messenger, unread. Taken, its updates would queue for the database until they timed out,
their poll long confirmed. VK and MAX hand a batch they took over whole, and only their next
poll waits for room; Telegram's polling takes no update beyond the bound, leaving it
unconfirmed."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.db.models import SurveyDraft
from bot.devtools.fake_telegram import FakeTelegram
from bot.devtools.harness import RunningBot
from bot.handlers import ordering
from bot.handlers.max.client import MaxClient
from bot.handlers.max.polling import MaxPoller
from bot.handlers.vk.client import make_vk_api
from bot.handlers.vk.polling import VkPoller
from tests.support.clock import FakeClock
from tests.support.database import ADMIN
from tests.support.polled import StoredPositions
from tests.support.waits import CEILING, wait_until


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


async def test_telegram_takes_no_more_updates_than_the_bound(
    settings: Settings, fake: FakeTelegram, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the dispatcher as `python -m bot run` polls (`poll_telegram`): three people
    follow the survey link at once, and their first messages are held at Telegram. With
    a bound of two, the third person's /start is not taken (no draft is written for it) until
    one of the first two is finished; then it is, and all three get their question."""
    monkeypatch.setattr(ordering, "UPDATES_IN_HAND", 2)
    people = (711, 712, 713)
    async with RunningBot(settings, fake, clock, concurrent=True) as bot:
        await bot.say(ADMIN, "/open_survey csi")
        await wait_until(lambda: fake.sent(ADMIN))  # its answer is not among the held ones

        async def drafts() -> int:
            async with bot.services.sessionmaker() as session:
                return int(await session.scalar(select(func.count()).select_from(SurveyDraft)))

        fake.holds.hold("sendMessage")
        pushes = [
            asyncio.create_task(fake.push(fake.message_update(p, "/start csi"))) for p in people
        ]
        try:
            await wait_until(lambda: fake.holds.held("sendMessage") >= 2)
            assert await drafts() == 2  # the third /start waits, unconfirmed, at Telegram
        finally:
            fake.holds.release("sendMessage")
        await asyncio.wait_for(asyncio.gather(*pushes), CEILING)  # all three were taken
        await wait_until(
            lambda: all(fake.sent(p) and "Вопрос 1 из" in fake.last(p).text for p in people)
        )
        assert await drafts() == 3
