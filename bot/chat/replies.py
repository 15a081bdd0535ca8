"""What the bot says, independent of the messenger: text plus rows of buttons.

Each button carries an `action` string that comes back unchanged when it is pressed (Telegram
callback data, VK callback payload), so both adapters route presses to the same domain code.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    label: str
    action: str
    url: str | None = None
    """A link button (the formal appeal route): opens `url`, its action never comes back."""


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    # True: replace the message whose button was pressed instead of sending a new one.
    edit: bool = False


@dataclass(frozen=True)
class Outcome:
    """The result of one input: messages to send, and a short pop-up for a pressed button."""

    replies: list[Reply] = field(default_factory=list)
    toast: str | None = None


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
