"""Fixtures of the e2e tier: the fake Bot API and VK servers and the bot running against them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from bot.devtools.fake_max import FakeMax
from bot.devtools.fake_telegram import FakeTelegram
from bot.devtools.fake_vk import FakeVk
from bot.devtools.harness import RunningBot
from tests.support.appeals import STAFF_CHAT
from tests.support.clock import FakeClock
from tests.support.database import ADMIN, WORK_CHAT


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def fake_max() -> AsyncIterator[FakeMax]:
    server = FakeMax()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def running(
    settings: Settings, fake: FakeTelegram, clock: FakeClock
) -> AsyncIterator[RunningBot]:
    async with RunningBot(settings, fake, clock) as bot:
        yield bot


@pytest.fixture
async def fake_vk() -> AsyncIterator[FakeVk]:
    server = FakeVk()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def both(
    settings: Settings, fake: FakeTelegram, fake_vk: FakeVk, clock: FakeClock
) -> AsyncIterator[RunningBot]:
    """Telegram and VK served by one process, as `python -m bot run` with both tokens."""
    async with RunningBot(settings, fake, clock, vk=fake_vk) as bot:
        yield bot


@pytest.fixture
async def staffed(
    settings: Settings, fake: FakeTelegram, clock: FakeClock
) -> AsyncIterator[RunningBot]:
    """The bot with a Telegram staff group, where appeal cards go and staff answer."""
    with_staff = settings.model_copy(update={"tg_staff_chat_id": STAFF_CHAT})
    async with RunningBot(with_staff, fake, clock) as bot:
        yield bot


@pytest.fixture
async def office(
    settings: Settings, fake: FakeTelegram, clock: FakeClock
) -> AsyncIterator[RunningBot]:
    """The bot with a work chat configured, and an employee window open."""
    with_chat = settings.model_copy(update={"tg_employee_chat_id": WORK_CHAT})
    async with RunningBot(with_chat, fake, clock) as bot:
        await bot.say(ADMIN, "/open_survey employee")
        assert "start=employee" in fake.last(ADMIN).text
        yield bot
