"""Where MAX reaches more than one person: the channel for survey invitations and the work
chat whose members count as employees."""

from __future__ import annotations

import logging

import aiohttp

from bot.handlers.max.client import MaxApiError, MaxClient
from bot.handlers.max.delivery import MaxMessenger
from bot.handlers.max.render import MaxMessage
from bot.texts import max as texts

log = logging.getLogger("bot.max")

DEEP_LINK_LIMIT = 128
"""MAX passes a deep link's payload of up to 128 characters; a longer one is dropped."""


def deep_link(username: str, payload: str) -> str:
    if len(payload) > DEEP_LINK_LIMIT:
        raise ValueError(f"MAX deep-link payload over {DEEP_LINK_LIMIT} characters: {payload!r}")
    return f"https://max.ru/{username}?start={payload}"


class MaxInvitations:
    """Survey invitations in the MAX channel (`MAX_CHANNEL_ID`), or the text for the admins."""

    def __init__(self, messenger: MaxMessenger, username: str, channel_id: int | None) -> None:
        self._messenger = messenger
        self._username = username
        self._channel_id = channel_id

    def link(self, kind: str) -> str:
        return deep_link(self._username, kind)

    async def post(self, text: str, kind: str) -> bool:
        """The invitation with a link button that opens the bot; False if there is no channel
        or MAX refused (the bot is not an admin of the channel), so the caller hands it over."""
        if self._channel_id is None:
            return False
        button = {"type": "link", "text": texts.OPEN_SURVEY_BUTTON, "url": self.link(kind)}
        keyboard = {"type": "inline_keyboard", "payload": {"buttons": [[button]]}}
        try:
            await self._messenger.send_message(
                {"chat_id": self._channel_id}, MaxMessage(text, [keyboard])
            )
        except Exception:
            log.exception("MAX: posting to the channel %s failed", self._channel_id)
            return False
        return True

    async def invite(self, title: str, kind: str) -> str:
        """Invite the channel to a survey just opened; the admins' note either way (HTML)."""
        link = self.link(kind)
        if await self.post(texts.channel_invitation(title), kind):
            return texts.max_posted(link)
        if self._channel_id is not None:
            return texts.max_post_failed(link)
        return texts.max_manual(title, link)


class MaxMembership:
    """`bot.surveys.access.MembershipCheck` for MAX: is the person in the work chat
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
            log.warning("MAX members of the employee chat %s failed: %s", self._chat_id, exc)
            return False
        members = found.get("members") or []
        return any(int(m.get("user_id", 0)) == user_id for m in members)
