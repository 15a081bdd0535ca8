"""Where staff see appeals: a protocol the Telegram adapter implements for TG_STAFF_CHAT_ID."""

from __future__ import annotations

from typing import Protocol

from bot.appeals.model import Attachment
from bot.chat.replies import Reply


class StaffBoard(Protocol):
    async def post(self, reply: Reply, attachments: list[Attachment] | None = None) -> int | None:
        """Post a message (and the attachments after it); the id of the message, if known."""
        ...
