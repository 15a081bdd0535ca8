"""Fixtures of the e2e tier: the fake Bot API server and the bot running against it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from bot.devtools.fake_telegram import FakeTelegram
from bot.devtools.harness import RunningBot
from tests.support.clock import FakeClock


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def running(
    settings: Settings, fake: FakeTelegram, clock: FakeClock
) -> AsyncIterator[RunningBot]:
    async with RunningBot(settings, fake, clock) as bot:
        yield bot
