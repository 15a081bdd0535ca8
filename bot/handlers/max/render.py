"""Messenger-neutral replies as MAX messages: HTML text and an inline keyboard attachment.

MAX shows Telegram's HTML subset (`format: "html"`: b, i, u, s, a, code, pre), so the bot's
texts go as they are. A message holds 4000 characters: longer texts are split at line breaks
and the keyboard goes under the last piece. MAX's inline keyboard takes up to 30 rows of up to
7 buttons (3 if they open links), 210 in all, 128 characters on a button and 1024 in its
payload: far more than any reply uses, so rows are only wrapped, and a keyboard never needs a
second message.

MAX's own bot menu (`PATCH /me`) is one for every chat and lists the citizen's commands
(`GLOBAL_MENU_ROLE`); a staff member's or an admin's role menu comes as buttons under the reply
to /start and /help, or under a short message after it when the reply has buttons of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.core.ports import Button, Reply, split_text
from bot.texts import help as help_texts

MAX_TEXT = 4000
MAX_ROW = 7
MAX_LINK_ROW = 3
MAX_ROWS = 30
MAX_LABEL = 128
MAX_PAYLOAD = 1024
GLOBAL_MENU_ROLE = "citizen"
"""Whose commands the bot menu of MAX lists for everyone (`MaxBot.publish_commands`)."""


@dataclass(frozen=True)
class MaxMessage:
    """One NewMessageBody: text and attachments (keyboard, uploaded pictures or files)."""

    text: str
    attachments: list[dict[str, Any]] = field(default_factory=list)

    def body(self) -> dict[str, Any]:
        return {"text": self.text, "format": "html", "attachments": self.attachments}


def label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def button_json(button: Button) -> dict[str, Any]:
    if button.url is not None:
        return {"type": "link", "text": label(button.label), "url": button.url}
    if len(button.action) > MAX_PAYLOAD:
        raise ValueError(f"button action too long for MAX: {button.action[:40]!r}...")
    return {"type": "callback", "text": label(button.label), "payload": button.action}


def wrap(row: list[Button]) -> list[list[Button]]:
    width = MAX_LINK_ROW if any(b.url is not None for b in row) else MAX_ROW
    return [row[i : i + width] for i in range(0, len(row), width)]


def keyboard(buttons: list[list[Button]]) -> dict[str, Any] | None:
    rows = [piece for row in buttons for piece in wrap(row)]
    if not rows:
        return None
    if len(rows) > MAX_ROWS:
        raise ValueError(f"{len(rows)} rows of buttons: MAX shows at most {MAX_ROWS}")
    return {
        "type": "inline_keyboard",
        "payload": {"buttons": [[button_json(b) for b in row] for row in rows]},
    }


def max_messages(reply: Reply) -> list[MaxMessage]:
    """A reply as MAX messages: the text split to fit, the keyboard under its last piece;
    none for a reply that is only pictures or documents."""
    if not reply.text and not reply.buttons:
        return []
    *head, last = split_text(reply.text, MAX_TEXT) or [""]
    menu = reply.menu.rows if reply.menu and reply.menu.role != GLOBAL_MENU_ROLE else []
    markup = keyboard(reply.buttons or menu)
    messages = [
        *(MaxMessage(piece) for piece in head),
        MaxMessage(last, [markup] if markup else []),
    ]
    menu_markup = keyboard(menu) if reply.buttons else None
    if menu_markup is not None:
        messages.append(MaxMessage(help_texts.MENU_NOTE, [menu_markup]))
    return messages
