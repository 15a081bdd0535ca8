"""What people write to a VK or MAX bot while it is down is read when it comes back.

VK hands a restarted bot a fresh `ts` past those messages, and MAX answers a poll without a
`marker` with its latest update only (both fakes do as the real APIs), so the bot reads on from
the position it stored (bot/handlers/positions.py). A run by webhook drops the stored positions:
what it handled must not be read again by a later long poll."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.db.models import PollPosition
from bot.db.session import create_engine
from bot.devtools.fake_max import FakeMax
from bot.devtools.fake_telegram import FakeTelegram
from bot.devtools.fake_vk import FakeVk
from bot.devtools.harness import RunningBot
from tests.support.clock import FakeClock
from tests.support.database import ADMIN
from tests.support.instances import free_port, start_instance, wait_healthy
from tests.support.polled import Polled, PolledMax, PolledVk
from tests.support.waits import CEILING

PEOPLE = (901, 902, 903)


def polled(name: str, fake_vk: FakeVk, fake_max: FakeMax) -> Polled:
    return PolledVk(fake_vk) if name == "vk" else PolledMax(fake_max)


@pytest.mark.parametrize("messenger", ["vk", "max"])
async def test_messages_written_while_the_bot_is_down_are_answered_after_restart(
    messenger: str,
    settings: Settings,
    fake: FakeTelegram,
    fake_vk: FakeVk,
    fake_max: FakeMax,
    clock: FakeClock,
) -> None:
    feed = polled(messenger, fake_vk, fake_max)
    async with RunningBot(settings, fake, clock, **feed.running()) as bot:
        await bot.say(ADMIN, "/open_survey csi")
        await feed.push(PEOPLE[0], "/start csi")
        assert any("Вопрос 1 из" in text for text in feed.texts(PEOPLE[0]))
    answered_before = len(feed.texts(PEOPLE[0]))
    # The bot is down: two more people follow the link. Each push returns once the bot has
    # read past it, so it is left running across the restart.
    waiting = [asyncio.create_task(feed.push(user, "/start csi")) for user in PEOPLE[1:]]
    await asyncio.sleep(0)  # each push queues its update before it first waits
    async with RunningBot(settings, fake, clock, **feed.running()):
        await asyncio.wait_for(asyncio.gather(*waiting), CEILING)
        for user in PEOPLE[1:]:
            assert any("Вопрос 1 из" in text for text in feed.texts(user)), user
        # What was read before the stop is not read again.
        assert len(feed.texts(PEOPLE[0])) == answered_before


async def test_a_run_by_webhook_drops_the_stored_positions(
    settings: Settings, fake_vk: FakeVk, clock: FakeClock, tmp_path: Path
) -> None:
    async with RunningBot(settings, None, clock, vk=fake_vk):
        await fake_vk.push(fake_vk.message_new(PEOPLE[0], "Привет"))
    assert await positions(settings.database_url) == 1
    port = free_port()
    process = await start_instance(
        settings.database_url,
        None,
        None,
        tmp_path / "bot.log",
        port,
        **PolledVk(fake_vk).env(),
    )
    try:
        async with aiohttp.ClientSession() as http:
            await wait_healthy(http, port)
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), CEILING) == 0
    assert await positions(settings.database_url) == 0


async def positions(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            found = await connection.scalar(select(func.count()).select_from(PollPosition))
            return int(found or 0)
    finally:
        await engine.dispose()
