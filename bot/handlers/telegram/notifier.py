"""Telegram side of `bot.surveys.jobs.Notifier`: channel and work-chat posts, admin messages
and private reminders, all through the rate-limited `Broadcaster`."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiogram import Bot
from aiogram.exceptions import AiogramError
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.ports import Person, split_text
from bot.handlers.telegram.broadcast import Broadcaster, ChatId, Delivery
from bot.handlers.telegram.files import send_charts
from bot.reports.charts import Chart

log = logging.getLogger(__name__)


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
        message retried later instead of being lost. A long report goes as several messages."""
        results = [
            await self._broadcaster.send(admin, part)
            for admin in self._admin_ids
            for part in split_text(text)
        ]
        if results and Delivery.SENT not in results:
            raise ConnectionError("no admin could be reached")

    async def charts_to_admins(self, charts: Sequence[Chart]) -> None:
        for admin in self._admin_ids:
            try:
                await send_charts(self._bot, admin, charts)
            except AiogramError as exc:
                log.warning("charts to admin %s failed: %s", admin, exc)

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
