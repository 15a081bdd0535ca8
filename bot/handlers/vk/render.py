"""Messenger-neutral replies as VK messages: plain text, inline callback keyboards, and the
role menu as the keyboard under the input field.

VK's limits for an inline keyboard: 5 buttons in a row, 6 rows, 10 buttons in all, 40
characters on a button, 255 bytes of payload. A 1-10 scale (two rows of five) fills a keyboard
on its own, so further rows (not applicable, back) go under a short follow-up message.

The menu is a keyboard that stays (`"one_time": false`, `"inline": false`: 5 buttons in a row,
10 rows, 40 buttons) of text buttons: a press sends the label as the person's message, with the
button's action in its payload. A message carries one keyboard, so the menu rides on the
reply's first message without an inline one, or on a short message of its own before them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.core.ports import Button, Menu, Reply
from bot.texts import help as help_texts
from bot.texts import vk as texts
from bot.texts.common import plain_text

MAX_ROW = 5
MAX_ROWS = 6
MAX_BUTTONS = 10
MAX_LABEL = 40
MAX_PAYLOAD_BYTES = 255
MAX_TEXT = 4096
MENU_ROWS = 10
MENU_BUTTONS = 40
ACTION_KEY = "a"


def payload(action: str) -> str:
    encoded = json.dumps({ACTION_KEY: action}, ensure_ascii=False, separators=(",", ":"))
    if len(encoded.encode()) > MAX_PAYLOAD_BYTES:
        # Telegram's 64-byte callback data is the tighter limit, so this means a bug upstream.
        raise ValueError(f"button action too long for a VK payload: {action[:40]!r}...")
    return encoded


def action_of(raw: object) -> str | None:
    """The action in a pressed button's payload (VK hands it back parsed, or as a string)."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return None
    if isinstance(raw, dict) and isinstance(raw.get(ACTION_KEY), str):
        return raw[ACTION_KEY]
    return None


def label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def keyboard_chunks(buttons: list[list[Button]]) -> list[list[list[Button]]]:
    """Rows split to at most 5 buttons, then packed in order into keyboards within VK limits."""
    rows = [row[i : i + MAX_ROW] for row in buttons for i in range(0, len(row), MAX_ROW)]
    chunks: list[list[list[Button]]] = []
    for row in rows:
        current = chunks[-1] if chunks else None
        if (
            current is None
            or len(current) >= MAX_ROWS
            or sum(map(len, current)) + len(row) > MAX_BUTTONS
        ):
            chunks.append([row])
        else:
            current.append(row)
    return chunks


def _button(button: Button) -> dict[str, object]:
    if button.url is not None:
        return {"action": {"type": "open_link", "label": label(button.label), "link": button.url}}
    return {
        "action": {
            "type": "callback",
            "label": label(button.label),
            "payload": payload(button.action),
        },
        "color": "secondary",
    }


def keyboard_json(rows: list[list[Button]]) -> str:
    keyboard = {"inline": True, "buttons": [[_button(b) for b in row] for row in rows]}
    return json.dumps(keyboard, ensure_ascii=False, separators=(",", ":"))


def menu_json(menu: Menu) -> str:
    rows = menu.rows
    if (
        len(rows) > MENU_ROWS
        or any(len(row) > MAX_ROW for row in rows)
        or sum(map(len, rows)) > MENU_BUTTONS
    ):
        raise ValueError(f"the {menu.role}'s menu does not fit VK's keyboard: {len(rows)} rows")
    buttons = [
        [
            {
                "action": {"type": "text", "label": label(b.label), "payload": payload(b.action)},
                "color": "secondary",
            }
            for b in row
        ]
        for row in rows
    ]
    keyboard = {"one_time": False, "inline": False, "buttons": buttons}
    return json.dumps(keyboard, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class VkMessage:
    """One messages.send: text and an optional keyboard (JSON)."""

    text: str
    keyboard: str | None = None


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most `limit` characters, cut at a line break where there is one."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit + 1)
        cut = cut if cut > 0 else limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    return [*pieces, text]


def vk_messages(reply: Reply) -> list[VkMessage]:
    """A reply as VK messages: the text (split if longer than VK allows) with the first
    keyboard under its last piece, then follow-ups with the rest of the buttons; the menu on
    the first message without a keyboard, or on a short one before them."""
    *head, last = split_text(plain_text(reply.text))
    messages = [VkMessage(piece) for piece in head]
    chunks = keyboard_chunks(reply.buttons)
    if not chunks:
        messages.append(VkMessage(last))
    else:
        first, *rest = chunks
        messages += [
            VkMessage(last, keyboard_json(first)),
            *(VkMessage(texts.MORE_BUTTONS, keyboard_json(chunk)) for chunk in rest),
        ]
    if reply.menu is None:
        return messages
    menu = menu_json(reply.menu)
    bare = next((n for n, m in enumerate(messages) if m.keyboard is None), None)
    if bare is None:
        return [VkMessage(help_texts.MENU_NOTE, menu), *messages]
    messages[bare] = VkMessage(messages[bare].text, menu)
    return messages
