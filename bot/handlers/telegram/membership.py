"""The Telegram side of the employee check: is the person in the work chat (getChatMember)."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.enums import ChatMemberStatus
from aiogram.exceptions import AiogramError
from aiogram.types import ChatMemberRestricted

from bot.texts import logs

log = logging.getLogger(__name__)
MEMBER_STATUSES = {
    ChatMemberStatus.CREATOR,
    ChatMemberStatus.ADMINISTRATOR,
    ChatMemberStatus.MEMBER,
}


class TelegramMembership:
    """`bot.surveys.access.MembershipCheck` for Telegram. The bot must be in the chat."""

    platform = "tg"

    def __init__(self, bot: Bot, chat_id: int | str) -> None:
        self._bot = bot
        self._chat_id = chat_id

    async def is_member(self, user_id: int) -> bool:
        try:
            member = await self._bot.get_chat_member(self._chat_id, user_id)
        except AiogramError as exc:
            # Misconfigured chat id, the bot removed from the chat, Telegram unreachable:
            # refuse politely, and tell the operator why employees are being refused.
            log.warning(logs.TG_MEMBER_CHECK_FAILED, self._chat_id, exc)
            return False
        if isinstance(member, ChatMemberRestricted):
            return member.is_member
        return member.status in MEMBER_STATUSES
