"""Telegram side of `bot.surveys.jobs.Notifier`: channel and work-chat posts, admin messages
and private reminders, all through the rate-limited `Broadcaster`."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.handlers.telegram.broadcast import Broadcaster, ChatId, Delivery
from bot.identity import Person


def link_button(label: str, link: str | None) -> InlineKeyboardMarkup | None:
    if link is None:
        return None
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=label, url=link)]])


class TelegramNotifier:
    def __init__(
        self,
        bot: Bot,
        broadcaster: Broadcaster,
        admin_ids: frozenset[int],
        chats: dict[str, ChatId | None],
    ) -> None:
        self._bot = bot
        self._broadcaster = broadcaster
        self._admin_ids = sorted(admin_ids)
        self._chats = chats

    async def link(self, kind: str) -> str | None:
        me = await self._bot.me()
        return f"https://t.me/{me.username}?start={kind}" if me.username else None

    async def post(self, audience: str, text: str, button: str, link: str | None) -> bool:
        chat = self._chats.get(audience)
        if chat is None:
            return False
        delivery = await self._broadcaster.send(chat, text, link_button(button, link))
        return delivery is Delivery.SENT

    async def to_admins(self, text: str) -> None:
        """Raises when no admin could be reached, so the caller's claim is released and the
        message retried later instead of being lost."""
        results = [await self._broadcaster.send(a, text) for a in self._admin_ids]
        if results and Delivery.SENT not in results:
            raise ConnectionError("no admin could be reached")

    async def to_people(
        self, people: list[Person], text: str, button: str, link: str | None
    ) -> list[Person]:
        markup = link_button(button, link)
        blocked = []
        for person in people:
            if person.platform != "tg":
                continue
            if await self._broadcaster.send(person.user_id, text, markup) is Delivery.BLOCKED:
                blocked.append(person)
        return blocked
