"""Outer middleware: one person's updates one at a time, a redelivered update handled once.

aiogram processes updates concurrently; two quick taps of the same person would otherwise read
the same survey draft and race. Different people still run in parallel. With REDIS_URL the
lock and the record of handled updates are shared by all instances (bot/coordination.py).
An update is recorded as handled only after its handler returned, so one that failed or died
with its process is handled again when Telegram redelivers it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject, Update, User

from bot.coordination import Coordination


class PerUserLock(BaseMiddleware):
    def __init__(self, coordination: Coordination | None = None) -> None:
        self._coordination = coordination or Coordination()

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        update_key = f"tg:{event.update_id}" if isinstance(event, Update) else None
        if user is None:
            return await handler(event, data)
        async with self._coordination.update(f"tg:{user.id}", update_key) as fresh:
            return await handler(event, data) if fresh else None


PACED_METHODS = frozenset(
    {"SendMessage", "SendPhoto", "SendDocument", "SendMediaGroup", "CopyMessage", "ForwardMessage"}
)
"""New messages count against Telegram's 30 per second per bot; answering a press and editing
the pressed message do not, and pacing them would slow every survey press."""


class TelegramPace(BaseRequestMiddleware):
    """Keeps new messages of all instances together under Telegram's limit (with REDIS_URL)."""

    def __init__(self, coordination: Coordination) -> None:
        self._coordination = coordination

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if type(method).__name__ in PACED_METHODS:
            await self._coordination.pace("tg")
        return await make_request(bot, method)


_RESPONSE_TYPES: dict[type, type] = {}
"""`Response[T]` per Bot API method, held for the life of the process (see PinResponseTypes)."""


class PinResponseTypes(BaseRequestMiddleware):
    """aiogram checks every answer of the Bot API with `Response[method.__returning__]`, a
    pydantic generic class that pydantic caches weakly: once the garbage collector frees it,
    the next call builds it again (about 5 ms). Under a burst that happened every few updates
    and cost a sixth of the bot's CPU; holding each class once makes it free."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        kind = type(method)
        if kind not in _RESPONSE_TYPES:
            _RESPONSE_TYPES[kind] = Response[method.__returning__]
        return await make_request(bot, method)
