"""Sending to MAX: replies to a person or a chat, pictures and files through uploads."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import aiohttp

from bot.core.ports import Delivery, Reply
from bot.handlers.max.client import MaxApiError, MaxClient
from bot.handlers.max.render import MaxMessage, max_messages
from bot.texts import logs

log = logging.getLogger("bot.max")

IMAGES_PER_MESSAGE = 10
BLOCKED_STATUSES = (403, 404)
"""MAX's answer when a person stopped the bot or removed the dialog (`chat.denied`...)."""
DEEP_LINK_LIMIT = 128


def deep_link(username: str, payload: str) -> str:
    """`https://max.ru/<bot>?start=<payload>`: MAX hands the payload (up to 128 characters,
    a longer one is dropped) to the bot in `bot_started`."""
    if len(payload) > DEEP_LINK_LIMIT:
        raise ValueError(f"MAX deep-link payload over {DEEP_LINK_LIMIT} characters: {payload!r}")
    return f"https://max.ru/{username}?start={payload}"


class MaxMessenger:
    """MAX side of `bot.chat.messengers.Messengers`; also how the MAX adapter answers."""

    platform = "max"

    def __init__(self, client: MaxClient) -> None:
        self.client = client
        self.username = ""
        """The bot's name for deep links, learnt at start-up (GET /me)."""

    async def link(self, payload: str) -> str | None:
        return deep_link(self.username, payload) if self.username else None

    async def deliver(self, user_id: int, replies: list[Reply]) -> Delivery:
        """`send` for mailings: never raises; a person who stopped the bot is BLOCKED."""
        try:
            await self.send(user_id, replies)
        except MaxApiError as exc:
            if exc.status in BLOCKED_STATUSES:
                return Delivery.BLOCKED
            log.warning(logs.MAX_DELIVERY_FAILED, user_id, exc)
            return Delivery.FAILED
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning(logs.MAX_DELIVERY_FAILED, user_id, exc)
            return Delivery.FAILED
        return Delivery.SENT

    async def send(self, user_id: int, replies: list[Reply]) -> None:
        await self.send_replies({"user_id": user_id}, replies)

    async def send_to_chat(self, chat_id: int, replies: list[Reply]) -> None:
        await self.send_replies({"chat_id": chat_id}, replies)

    async def send_replies(self, recipient: dict[str, int], replies: list[Reply]) -> None:
        """Each reply's text (split to fit), then its pictures as an album, then its
        documents, one per message as MAX requires."""
        for reply in replies:
            for message in max_messages(reply):
                await self.send_message(recipient, message)
            if reply.pictures:
                await self.send_files(recipient, [(p.name, p.png) for p in reply.pictures])
            for document in reply.documents:
                await self.send_files(
                    recipient, [(document.filename, document.data)], document.caption, kind="file"
                )

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
        per_message = IMAGES_PER_MESSAGE if kind == "image" else 1
        for start in range(0, len(uploaded), per_message):
            text = caption if start == 0 else ""
            chunk = uploaded[start : start + per_message]
            await self.send_message(recipient, MaxMessage(text, chunk))
