"""Sending to MAX: replies to a person or a chat, pictures and files through uploads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.ports import Reply
from bot.handlers.max.client import MaxClient
from bot.handlers.max.render import MaxMessage, max_messages


class MaxMessenger:
    """MAX side of `bot.chat.messengers.Messengers`; also how the MAX adapter answers."""

    platform = "max"

    def __init__(self, client: MaxClient) -> None:
        self.client = client

    async def send(self, user_id: int, replies: list[Reply]) -> None:
        await self.send_replies({"user_id": user_id}, replies)

    async def send_to_chat(self, chat_id: int, replies: list[Reply]) -> None:
        await self.send_replies({"chat_id": chat_id}, replies)

    async def send_replies(self, recipient: dict[str, int], replies: list[Reply]) -> None:
        for reply in replies:
            for message in max_messages(reply):
                await self.send_message(recipient, message)

    async def send_message(self, recipient: dict[str, int], message: MaxMessage) -> str:
        """POST /messages once; `recipient` is {"user_id": ...} or {"chat_id": ...}.
        Returns the new message's id (`mid`)."""
        sent = await self.client.call("POST", "/messages", params=recipient, body=message.body())
        return str(sent["message"]["body"]["mid"])

    async def send_files(
        self,
        recipient: dict[str, int],
        files: Sequence[tuple[str, bytes]],
        caption: str = "",
        *,
        kind: str = "image",
    ) -> None:
        """Pictures (`image`, e.g. a report's charts, up to ten in one message) or documents
        (`file`: MAX takes one per message) uploaded and sent with an optional caption."""
        uploaded: list[dict[str, Any]] = [
            await self.client.upload(kind, data, name) for name, data in files
        ]
        per_message = 10 if kind == "image" else 1
        for start in range(0, len(uploaded), per_message):
            text = caption if start == 0 else ""
            chunk = uploaded[start : start + per_message]
            await self.send_message(recipient, MaxMessage(text, chunk))
