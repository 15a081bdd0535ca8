"""Who is talking to the bot, independent of the messenger."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    """A messenger account. A Telegram id and a VK id are different people even if equal."""

    platform: str
    user_id: int

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.user_id}"
