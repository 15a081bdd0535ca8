"""Each messenger a bot polls, with its fake server, behind one interface: tests that must hold
for Telegram, VK and MAX alike (a stop, a restart) run once per messenger."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any

from bot.devtools.fake_max import TOKEN as MAX_TOKEN
from bot.devtools.fake_max import FakeMax
from bot.devtools.fake_telegram import FakeTelegram
from bot.devtools.fake_vk import GROUP_TOKEN as VK_GROUP_TOKEN
from bot.devtools.fake_vk import FakeVk
from bot.devtools.holds import Holds
from bot.handlers.positions import PollPositions
from tests.support.database import ADMIN
from tests.support.waits import wait_until

TELEGRAM_HELD = "answerCallbackQuery"
"""A press is answered (this call) after its answer was stored and before the next question is
shown: holding it keeps every press of a burst in the middle of its handling."""


class Polled(ABC):
    """A messenger a `python -m bot run` polls, with its fake server: how a test sets it up,
    speaks in it and sees what the bot showed there."""

    held: str
    """The call a survey press makes after its answer was stored and before the next question
    shows: holding it keeps every press of a burst in the middle of its handling."""
    at_once: int | None = None
    """How many presses can wait in `held` together (None: all of them)."""
    telegram: FakeTelegram | None = None
    holds: Holds
    """The fake server's holds (`held` is held there)."""

    @abstractmethod
    def env(self) -> dict[str, str]:
        """The settings that switch this messenger on and make ADMIN its admin."""

    @abstractmethod
    def running(self) -> dict[str, Any]:
        """`RunningBot`'s arguments that run this messenger in the test's own process."""

    @abstractmethod
    def polling(self) -> bool: ...

    @abstractmethod
    async def push(self, person: int, text: str) -> None:
        """A message from `person`; "/start csi" is the survey's link."""

    @abstractmethod
    def texts(self, person: int) -> list[str]:
        """What the person sees, oldest first (an edited message counts where it was edited)."""

    @abstractmethod
    async def press(self, person: int, label: str) -> None:
        """Press `label` on the newest message that carries it; returns once the bot took it."""

    async def say(self, person: int, text: str, until: str) -> None:
        """A message, and wait for the reply that contains `until` (the bot handles updates
        as tasks: its poll is confirmed before the reply)."""
        await self.push(person, text)
        await wait_until(lambda: any(until in shown for shown in self.texts(person)))

    def question(self, person: int) -> int:
        """The number of the question the person was asked last."""
        asked = [found for text in self.texts(person) if (found := QUESTION.search(text))]
        return int(asked[-1][1])


QUESTION = re.compile(r"Вопрос (\d+) из")


class PolledTelegram(Polled):
    held = TELEGRAM_HELD

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = self.telegram = fake
        self.holds = fake.holds

    def env(self) -> dict[str, str]:
        return {}

    def running(self) -> dict[str, Any]:
        return {}

    def polling(self) -> bool:
        return any(c.method == "getMe" for c in self.fake.calls)

    async def push(self, person: int, text: str) -> None:
        await self.fake.push(self.fake.message_update(person, text))

    def texts(self, person: int) -> list[str]:
        return [c.text for c in self.fake.sent(person)]

    async def press(self, person: int, label: str) -> None:
        pressed = [c for c in self.fake.sent(person) if label in c.labels][-1]
        data = pressed.button(label)["callback_data"]
        await self.fake.push(self.fake.callback_update(person, data, pressed.message_id))


class PolledVk(Polled):
    held = "messages.sendMessageEventAnswer"
    """The press's answer to VK (stops the button's spinner): after the answer was stored, before
    the next question goes out with messages.send (bot/handlers/vk/citizen.py `_pressed`)."""
    at_once = 1
    """vk-api sends one call at a time (under its lock): one press waits in `held`, the rest
    wait for vk-api, with their answers stored."""

    def __init__(self, server: FakeVk) -> None:
        self.server = server
        self.holds = server.holds

    def env(self) -> dict[str, str]:
        return {
            "VK_GROUP_TOKEN": VK_GROUP_TOKEN,
            "VK_GROUP_ID": str(self.server.group_id),
            "VK_API_URL": self.server.base_url,
            "ADMINS": f"vk:{ADMIN}",
        }

    def running(self) -> dict[str, Any]:
        return {"vk": self.server}

    def polling(self) -> bool:
        return self.server.longpoll_servers_given > 0

    async def push(self, person: int, text: str) -> None:
        command, _, link = text.partition(" ")
        if command == "/start":  # a link vk.me/<community>?ref=csi
            await self.server.push(self.server.message_new(person, ref=link))
        else:
            await self.server.push(self.server.message_new(person, text))

    def texts(self, person: int) -> list[str]:
        return [c.text for c in self.server.sent(person)]

    async def press(self, person: int, label: str) -> None:
        pressed = [c for c in self.server.sent(person) if label in c.labels][-1]
        await self.server.push(self.server.message_event(person, pressed.payload(label)))


class PolledMax(Polled):
    held = "POST /answers"
    """The press's answer to MAX, which carries the next question as its edit of the pressed
    message: it is made after the answer was stored (bot/handlers/max/updates.py
    `answer_press`), so until it is answered the person does not see the next question."""

    def __init__(self, server: FakeMax) -> None:
        self.server = server
        self.holds = server.holds

    def env(self) -> dict[str, str]:
        return {
            "MAX_BOT_TOKEN": MAX_TOKEN,
            "MAX_API_URL": self.server.base_url,
            "ADMINS": f"max:{ADMIN}",
        }

    def running(self) -> dict[str, Any]:
        return {"max_fake": self.server}

    def polling(self) -> bool:
        return self.server.polls > 0

    async def push(self, person: int, text: str) -> None:
        command, _, link = text.partition(" ")
        if command == "/start":  # a link max.ru/<bot>?start=csi
            await self.server.push(self.server.bot_started(person, link))
        else:
            await self.server.push(self.server.message_created(person, text))

    def texts(self, person: int) -> list[str]:
        return [m.text for m in sorted(self.server.sent(person), key=lambda m: m.order)]

    async def press(self, person: int, label: str) -> None:
        pressed = self.server.with_button(label, person)
        await self.server.push(self.server.message_callback(person, pressed, label))


class StoredPositions(PollPositions):
    """Positions kept in a dict: for tests that run a poller without a database."""

    def __init__(self) -> None:
        self.stored: dict[str, str] = {}

    async def load(self, source: str) -> str | None:
        return self.stored.get(source)

    async def save(self, source: str, position: str) -> None:
        self.stored[source] = position
