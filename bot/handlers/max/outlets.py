"""Where MAX reaches more than one person: the channel for survey invitations, the staff chat
for appeal cards, and the work chat whose members count as employees."""

from __future__ import annotations

import logging

import aiohttp

from bot.core.ports import Attachment, Button, Reply
from bot.handlers.max.client import MaxApiError, MaxClient
from bot.handlers.max.delivery import MaxMessenger
from bot.handlers.max.render import MaxMessage, max_messages
from bot.texts import logs

log = logging.getLogger("bot.max")


class MaxOutlet:
    """`bot.core.ports.Outlet`: a MAX channel (citizens) or work chat (employees) the bot
    posts in; it must be an admin of a channel, a member of a chat."""

    platform = "max"

    def __init__(self, messenger: MaxMessenger, chat_id: int, audience: str) -> None:
        self._messenger = messenger
        self.chat_id = chat_id
        self.audience = audience

    async def post(self, text: str, button: Button | None) -> bool:
        """False if MAX refused (the bot is not an admin of the channel): the caller hands
        the text to the admins instead."""
        try:
            await self._messenger.send_to_chat(
                self.chat_id, [Reply(text, [[button]] if button else [])]
            )
        except (MaxApiError, aiohttp.ClientError, TimeoutError):
            log.exception(logs.MAX_CHAT_POST_FAILED, self.chat_id)
            return False
        return True


class MaxStaffBoard:
    """`bot.core.ports.StaffBoard`: appeal cards in the MAX staff chat (`MAX_STAFF_CHAT_ID`)."""

    platform = "max"

    def __init__(self, messenger: MaxMessenger, chat_id: int) -> None:
        self._messenger = messenger
        self.chat_id = chat_id

    async def post(self, reply: Reply, attachments: list[Attachment] | None = None) -> str | None:
        """The card, then the citizen's MAX pictures and files sent on by their tokens (no
        download: MAX reuses an attachment by token). Other messengers' file ids mean nothing
        to MAX; the card counts them. Returns the card's `mid` (the last piece of a long text,
        the one with the buttons), which a staff member's reply to it carries."""
        recipient = {"chat_id": self.chat_id}
        card: str | None = None
        for message in max_messages(reply):
            card = await self._messenger.send_message(recipient, message)
        caption = reply.text.split("\n", 1)[0]
        ours = [a for a in attachments or [] if a.platform == "max"]
        images = [
            {"type": "image", "payload": {"token": a.file_id}} for a in ours if a.kind == "photo"
        ]
        if images:
            await self._messenger.send_message(recipient, MaxMessage(caption, images))
        for item in ours:
            if item.kind != "photo":
                file = {"type": "file", "payload": {"token": item.file_id}}
                await self._messenger.send_message(recipient, MaxMessage(caption, [file]))
        return card


class MaxMembership:
    """`bot.core.ports.MembershipCheck` for MAX: is the person in the work chat
    (`GET /chats/{chatId}/members?user_ids=...`). The bot must be a member of the chat."""

    platform = "max"

    def __init__(self, client: MaxClient, chat_id: int) -> None:
        self._client = client
        self._chat_id = chat_id

    async def is_member(self, user_id: int) -> bool:
        try:
            found = await self._client.call(
                "GET", f"/chats/{self._chat_id}/members", params={"user_ids": [user_id]}
            )
        except (MaxApiError, aiohttp.ClientError, TimeoutError) as exc:
            # A wrong chat id, the bot removed from the chat, MAX unreachable: refuse politely
            # and tell the operator why employees are being refused.
            log.warning(logs.MAX_MEMBERS_FAILED, self._chat_id, exc)
            return False
        members = found.get("members") or []
        return any(int(m.get("user_id", 0)) == user_id for m in members)
