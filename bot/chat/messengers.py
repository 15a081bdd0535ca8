"""Sending to a person on whichever messenger they use, for messages the bot starts itself
(an answer to an appeal, a reminder) rather than replies to an update."""

from __future__ import annotations

from typing import Protocol

from bot.chat.replies import Reply
from bot.identity import Person


class Messenger(Protocol):
    platform: str

    async def send(self, user_id: int, replies: list[Reply]) -> None: ...


class Messengers:
    """The messengers this process runs, by platform; filled in by the composition root."""

    def __init__(self) -> None:
        self._by_platform: dict[str, Messenger] = {}

    def register(self, messenger: Messenger) -> None:
        self._by_platform[messenger.platform] = messenger

    async def send(self, person: Person, replies: list[Reply]) -> None:
        messenger = self._by_platform.get(person.platform)
        if messenger is None:
            raise LookupError(f"no messenger for platform {person.platform!r}")
        await messenger.send(person.user_id, replies)
