"""One codec for button payloads: `scope:verb[:arg...]`, within Telegram's 64 bytes of
callback data (VK allows 255, MAX more).

Every button of the bot is made with `encode` and every press is read with `parse`, so no
module splits payload strings by hand, and a stale or forged payload is simply `None`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

CALLBACK_LIMIT = 64
"""Telegram's callback_data limit in bytes, the tightest of the messengers."""


class Scope(StrEnum):
    SURVEY = "sv"  # sv:<window>:<step>:<value>, an answer in a survey
    APPEAL = "ap"  # the citizen's appeal dialog, rating and follow-up
    MENU = "menu"  # the citizen's start menu
    STAFF = "st"  # a staff action on an appeal card or an answer preview
    REGISTER = "rg"  # the staff /register dialog
    ADMIN = "ad"  # an admin's confirmation
    COMMAND = "cmd"  # cmd:<command>[:<word>...], a menu button that runs the typed command


@dataclass(frozen=True)
class Action:
    scope: Scope
    verb: str
    args: tuple[str, ...] = ()

    def encode(self) -> str:
        data = ":".join([self.scope.value, self.verb, *self.args])
        if len(data.encode()) > CALLBACK_LIMIT:
            raise ValueError(f"button payload over {CALLBACK_LIMIT} bytes: {data[:40]!r}...")
        return data

    def number(self, index: int = 0) -> int | None:
        """The argument at `index` as a positive number (an appeal, a window), else None."""
        if index >= len(self.args) or not self.args[index].isdigit():
            return None
        return int(self.args[index])

    @property
    def rest(self) -> str:
        """The arguments as one string (a value that may itself contain a colon)."""
        return ":".join(self.args)


def encode(scope: Scope, verb: str, *args: object) -> str:
    return Action(scope, verb, tuple(str(a) for a in args)).encode()


def parse(data: str | None) -> Action | None:
    """The action of a pressed button; None for anything this bot did not make."""
    if not data:
        return None
    head, _, tail = data.partition(":")
    try:
        scope = Scope(head)
    except ValueError:
        return None
    verb, _, rest = tail.partition(":")
    if not verb:
        return None
    return Action(scope, verb, tuple(rest.split(":")) if rest else ())
