"""The messengers this process runs, by platform: sending to a person on their own messenger.

Filled in by the composition root, one `register` call per messenger (Telegram, VK, MAX)."""

from __future__ import annotations

from bot.core.ports import Messenger, Person, Reply


class Messengers:
    def __init__(self) -> None:
        self._by_platform: dict[str, Messenger] = {}

    def register(self, messenger: Messenger) -> None:
        self._by_platform[messenger.platform] = messenger

    def get(self, platform: str) -> Messenger | None:
        return self._by_platform.get(platform)

    def all(self) -> list[Messenger]:
        return list(self._by_platform.values())

    async def send(self, person: Person, replies: list[Reply]) -> None:
        messenger = self._by_platform.get(person.platform)
        if messenger is None:
            raise LookupError(f"no messenger for platform {person.platform!r}")
        await messenger.send(person.user_id, replies)
