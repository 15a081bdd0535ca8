"""The neutral vocabulary between the domain, the conversations and the messenger adapters.

A leaf module: it imports nothing of the bot, so the domain (`bot/surveys`, `bot/appeals`,
`bot/reports`), the conversations (`bot/chat`) and the transports (`bot/handlers/*`) all depend
on it and never on each other in a cycle. It holds who is talking (`Person`), what the bot says
(`Reply` with `Button`s, pictures and documents, gathered in an `Outcome`) and the ports a
messenger adapter implements: sending to a person, posting to a public outlet, checking
membership of a work chat, posting to a staff chat.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

PLATFORMS = ("tg", "vk", "max")
"""Messenger codes, as written in `ADMINS=tg:1,vk:2,max:3` and in `Person.key`."""


@dataclass(frozen=True)
class Person:
    """A messenger account. A Telegram id and a VK id are different people even if equal."""

    platform: str
    user_id: int

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.user_id}"

    @classmethod
    def from_key(cls, key: str) -> Person | None:
        """`vk:456` back to the account; None for anything else (a messenger we do not know,
        an id that is not a number)."""
        platform, _, user_id = key.partition(":")
        if platform not in PLATFORMS or not user_id.isdigit():
            return None
        return cls(platform, int(user_id))


class Picture(Protocol):
    """An image to send (a chart): a PNG and a name for its file."""

    @property
    def name(self) -> str: ...

    @property
    def png(self) -> bytes: ...


class Document(Protocol):
    """A file to send (a workbook): its name, bytes and a caption."""

    @property
    def filename(self) -> str: ...

    @property
    def data(self) -> bytes: ...

    @property
    def caption(self) -> str: ...


@dataclass(frozen=True)
class Button:
    """A callback button whose `action` (see `bot.chat.actions`) comes back when pressed, or,
    with `url`, a button that opens a link (a survey's deep link under a channel post)."""

    label: str
    action: str = ""
    url: str | None = None


@dataclass(frozen=True)
class Menu:
    """The commands of a person's role as buttons kept at hand, for messengers without
    Telegram's per-chat command menu: VK shows them as the keyboard under the input field,
    MAX under the message unless its own bot menu already lists them (`role`)."""

    role: str
    rows: list[list[Button]]


@dataclass(frozen=True)
class Reply:
    """One message: text, rows of buttons; `pictures` follow the text as an album, `documents`
    as files."""

    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    # True: replace the message whose button was pressed instead of sending a new one.
    edit: bool = False
    pictures: Sequence[Picture] = ()
    documents: Sequence[Document] = ()
    menu: Menu | None = None


@dataclass(frozen=True)
class Outcome:
    """The result of one input: messages to send, and a short pop-up for a pressed button."""

    replies: list[Reply] = field(default_factory=list)
    toast: str | None = None
    # Replies that take a while to make (a report's charts, drawn in worker processes while
    # `replies` go out): sent after them, to the same chat (`send_outcome`).
    then: Callable[[], Awaitable[list[Reply]]] | None = None


async def send_outcome(send: Callable[[list[Reply]], Awaitable[None]], outcome: Outcome) -> None:
    """How every adapter answers an input: the replies at once, then the slow ones."""
    await send(outcome.replies)
    if outcome.then is not None:
        await send(await outcome.then())


MESSAGE_LIMIT = 4000
"""Below Telegram's and VK's 4096 characters per message, with room for markup."""


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split a long text into messages at line breaks (so no HTML tag is cut in half)."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit and current:
            parts.append(current)
            candidate = line
        current = candidate
    if current:
        parts.append(current)
    return parts


def fit_replies(replies: list[Reply], limit: int = MESSAGE_LIMIT) -> list[Reply]:
    """Replies whose texts fit in one message each: a long one becomes several, in order, the
    first keeping `edit` and the menu, the last the buttons."""
    fitted: list[Reply] = []
    for reply in replies:
        if len(reply.text) <= limit:
            fitted.append(reply)
            continue
        parts = split_text(reply.text, limit)
        for n, part in enumerate(parts):
            last = n == len(parts) - 1
            fitted.append(
                Reply(
                    part,
                    reply.buttons if last else [],
                    edit=reply.edit and n == 0,
                    menu=reply.menu if n == 0 else None,
                )
            )
    return fitted


def long_text(text: str) -> list[Reply]:
    """A long report as several replies."""
    return [Reply(part) for part in split_text(text)]


def text_then_charts(text: str, draw: Callable[[], Awaitable[Sequence[Picture]]]) -> Outcome:
    """A report's text at once (in parts when long) and its charts as the follow-up step:
    drawing them takes longer than the text, which never waits for it."""

    async def charts() -> list[Reply]:
        pictures = tuple(await draw())
        return [Reply("", pictures=pictures)] if pictures else []

    return Outcome(long_text(text) or [Reply("")], then=charts)


@dataclass(frozen=True)
class Attachment:
    """A photo or document by the messenger's own file id (VK stores its own ids)."""

    platform: str
    kind: str  # "photo" | "document"
    file_id: str
    size: int | None = None


class Delivery(Enum):
    SENT = "sent"
    BLOCKED = "blocked"
    FAILED = "failed"


class Messenger(Protocol):
    """One messenger the process runs, for messages the bot starts itself (an answer to an
    appeal, a reminder, a report to an admin)."""

    platform: str

    async def send(self, user_id: int, replies: list[Reply]) -> None:
        """Send or raise: an appeal's notice must not be lost silently."""
        ...

    async def deliver(self, user_id: int, replies: list[Reply]) -> Delivery:
        """Send within the messenger's limits, for mailings: never raises."""
        ...

    async def link(self, payload: str) -> str | None:
        """A link that opens the bot on this messenger with a start payload (a deep link)."""
        ...


class Sender(Protocol):
    """Sending to a person on whichever messenger they use (`bot.chat.messengers`)."""

    async def send(self, person: Person, replies: list[Reply]) -> None: ...


class Outlet(Protocol):
    """A public place invitations go to: a Telegram channel or work chat, a VK wall, a MAX
    channel. `audience`: "external" (citizens) or "internal" (employees)."""

    platform: str
    audience: str

    async def post(self, text: str, button: Button | None) -> bool:
        """False if the post failed, so the text is handed to the admins instead."""
        ...


class MembershipCheck(Protocol):
    """Is a person a member of the employees' work chat on this messenger."""

    platform: str

    async def is_member(self, user_id: int) -> bool: ...


class StaffBoard(Protocol):
    """A staff chat on one messenger, where appeal cards go."""

    platform: str

    async def post(self, reply: Reply, attachments: list[Attachment] | None = None) -> str | None:
        """Post a message (and the attachments after it); the id of the message as the
        messenger writes it in a reply to it, if known: Telegram's and VK's numbers as
        digits, MAX's `mid` (a string) as it is."""
        ...


class CommandMenu(Protocol):
    """A messenger's command menu for one person (Telegram's setMyCommands for their chat),
    set again when their role changes (`/staff add`, `/staff remove`)."""

    platform: str

    async def show(self, person: Person, role: str) -> None:
        """Best effort, never raises: the bot works without a menu."""
        ...


class Notifications(Protocol):
    """How the survey and appeal jobs reach people: every configured messenger and outlet."""

    async def link(self, kind: str) -> str | None:
        """One link to the survey of this kind, for a text the admins will post by hand."""
        ...

    async def post(self, audience: str, text: str, button: str, kind: str) -> bool:
        """Post to every outlet of the audience; False if none took it."""
        ...

    async def invite_communities(self, title: str, kind: str) -> list[str]:
        """Invite citizens where the bot posts by itself (the VK wall); the notes for the
        admins, one per community (posted, failed, or the text to post by hand)."""
        ...

    async def to_admins(self, text: str, pictures: Sequence[Picture] = ()) -> None:
        """Every admin on their messenger; raises if no admin could be reached."""
        ...

    def reachable_admins(self) -> list[Person]:
        """The admins `to_admins` writes to: those on a messenger this process runs."""
        ...

    async def to_admin(self, admin: Person, text: str, pictures: Sequence[Picture] = ()) -> None:
        """One admin on their messenger; raises unless the text arrived."""
        ...

    async def to_people(
        self, people: list[Person], text: str, button: str, kind: str
    ) -> list[Person]:
        """One message to each person on their messenger; returns those who blocked the bot."""
        ...
