"""Sending many messages within Telegram's limits, for messages the bot starts itself.

Telegram allows about 30 messages per second overall, one per second to the same chat and 20
per minute to the same group or channel; beyond that it answers 429 "retry after N". The sender
paces itself below those limits, waits and retries on a 429 (the message is never dropped for
it), and reports a person who blocked the bot (403) instead of failing the whole mailing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
)
from aiogram.types import InlineKeyboardMarkup

from bot.core.ports import Delivery, split_text
from bot.texts import logs

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
ChatId = int | str


def is_group(chat_id: ChatId) -> bool:
    """Groups, supergroups and channels have negative ids or an @username."""
    if isinstance(chat_id, str) and not chat_id.lstrip("-").isdigit():
        return True
    return int(chat_id) < 0


class RateLimiter:
    """Waits before each message until it fits all three of Telegram's limits."""

    def __init__(
        self,
        *,
        per_second: int = 30,
        chat_interval: float = 1.0,
        group_per_minute: int = 20,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._per_second = per_second
        self._chat_interval = chat_interval
        self._group_per_minute = group_per_minute
        self._monotonic = monotonic
        self._sleep = sleep
        self._recent: deque[float] = deque()
        self._last_in_chat: dict[ChatId, float] = {}
        self._group_recent: defaultdict[ChatId, deque[float]] = defaultdict(deque)
        self._lock = asyncio.Lock()

    async def acquire(self, chat_id: ChatId) -> None:
        async with self._lock:
            while (delay := self._delay(chat_id, self._monotonic())) > 0:
                await self._sleep(delay)
            now = self._monotonic()
            self._recent.append(now)
            self._last_in_chat[chat_id] = now
            if is_group(chat_id):
                self._group_recent[chat_id].append(now)

    def _delay(self, chat_id: ChatId, now: float) -> float:
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        waits = [0.0]
        if len(self._recent) >= self._per_second:
            waits.append(self._recent[0] + 1.0 - now)
        last = self._last_in_chat.get(chat_id)
        if last is not None:
            waits.append(last + self._chat_interval - now)
        if is_group(chat_id):
            group = self._group_recent[chat_id]
            while group and group[0] <= now - 60.0:
                group.popleft()
            if len(group) >= self._group_per_minute:
                waits.append(group[0] + 60.0 - now)
        return max(waits)


class Broadcaster:
    def __init__(
        self,
        bot: Bot,
        limiter: RateLimiter | None = None,
        *,
        sleep: Sleep = asyncio.sleep,
        max_attempts: int = 8,
    ) -> None:
        self._bot = bot
        self._limiter = limiter or RateLimiter(sleep=sleep)
        self._sleep = sleep
        self._max_attempts = max_attempts

    async def send(
        self, chat_id: ChatId, text: str, markup: InlineKeyboardMarkup | None = None
    ) -> Delivery:
        """A text over the message limit goes as several messages, the buttons under the last."""
        parts = split_text(text)
        for part in parts[:-1]:
            delivery = await self._send_one(chat_id, part, None)
            if delivery is not Delivery.SENT:
                return delivery
        return await self._send_one(chat_id, parts[-1] if parts else text, markup)

    async def _send_one(
        self, chat_id: ChatId, text: str, markup: InlineKeyboardMarkup | None
    ) -> Delivery:
        for _ in range(self._max_attempts):
            await self._limiter.acquire(chat_id)
            try:
                await self._bot.send_message(chat_id, text, reply_markup=markup)
                return Delivery.SENT
            except TelegramRetryAfter as exc:
                await self._sleep(exc.retry_after)
            except TelegramNetworkError:
                await self._sleep(1.0)
            except TelegramForbiddenError:
                return Delivery.BLOCKED
            except TelegramBadRequest as exc:
                log.warning(logs.TG_MESSAGE_REFUSED, chat_id, exc.message)
                return Delivery.FAILED
        log.warning(logs.TG_MESSAGE_GAVE_UP, chat_id, self._max_attempts)
        return Delivery.FAILED
