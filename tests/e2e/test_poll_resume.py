"""What people write to a VK or MAX bot while it is down is read when it comes back.

VK hands a restarted bot a fresh `ts` past those messages, and MAX answers a poll without a
`marker` with its latest update only (both fakes do as the real APIs), so the bot reads on from
the position it stored (bot/handlers/positions.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from bot.config import Settings
from bot.devtools.fake_max import FakeMax
from bot.devtools.fake_telegram import FakeTelegram
from bot.devtools.fake_vk import FakeVk
from bot.devtools.harness import RunningBot
from tests.support.clock import FakeClock
from tests.support.database import ADMIN
from tests.support.waits import CEILING

PEOPLE = (901, 902, 903)


@dataclass
class Polled:
    """One long-polled messenger: the bot's arguments for it, a deep link into the CSI survey
    as it arrives, and the texts a person was sent."""

    running: dict[str, Any]
    link: Callable[[int], dict[str, Any]]
    push: Callable[[dict[str, Any]], Any]
    texts: Callable[[int], list[str]]


def polled(name: str, fake_vk: FakeVk, fake_max: FakeMax) -> Polled:
    if name == "vk":
        return Polled(
            {"vk": fake_vk},
            lambda user: fake_vk.message_new(user, ref="csi"),
            fake_vk.push,
            lambda user: [call.text for call in fake_vk.sent(user)],
        )
    return Polled(
        {"max_fake": fake_max},
        lambda user: fake_max.bot_started(user, "csi"),
        fake_max.push,
        lambda user: [message.text for message in fake_max.sent(user)],
    )


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
    async with RunningBot(settings, fake, clock, **feed.running) as bot:
        await bot.say(ADMIN, "/open_survey csi")
        await feed.push(feed.link(PEOPLE[0]))
        assert any("Вопрос 1 из" in text for text in feed.texts(PEOPLE[0]))
    answered_before = len(feed.texts(PEOPLE[0]))
    # The bot is down: two more people follow the link. Each push returns once the bot has
    # read past it, so it is left running across the restart.
    waiting = [asyncio.create_task(feed.push(feed.link(user))) for user in PEOPLE[1:]]
    await asyncio.sleep(0)  # each push queues its update before it first waits
    async with RunningBot(settings, fake, clock, **feed.running):
        await asyncio.wait_for(asyncio.gather(*waiting), CEILING)
        for user in PEOPLE[1:]:
            assert any("Вопрос 1 из" in text for text in feed.texts(user)), user
        # What was read before the stop is not read again.
        assert len(feed.texts(PEOPLE[0])) == answered_before
