"""One aiohttp server for every messenger's webhook, and /healthz for the load balancer.

- POST /telegram: Telegram updates; the `X-Telegram-Bot-Api-Secret-Token` header must carry
  WEBHOOK_SECRET (Telegram sends what `setWebhook` was given), otherwise 401.
- POST /vk: VK Callback API events; a "confirmation" request gets VK_CALLBACK_CONFIRMATION,
  every event must carry VK_CALLBACK_SECRET in its `secret` field, otherwise 403 (the
  confirmation request is checked only if it carries one).
- POST /max: MAX updates of the subscription made at start-up (`POST /subscriptions` with
  WEBHOOK_SECRET); the secret comes back in the X-Max-Bot-Api-Secret header (name per MAX's
  schema.yaml, SubscriptionRequestBody.secret), otherwise 401.
- GET /healthz: 200 when the database (and Redis, if set) answers and the scheduler runs.

A request is answered only after its update was handled and committed, so whatever a
messenger saw acknowledged is stored; an update that failed gets 500 and is redelivered, and
a redelivered update that was already handled is skipped (bot/coordination.py).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiohttp import web
from sqlalchemy import text

from bot.app import Services
from bot.handlers.max.polling import UPDATE_TYPES, key_of
from bot.handlers.vk.polling import peer_of
from bot.scheduler import WindowScheduler
from bot.texts import logs

log = logging.getLogger("bot.webhooks")

TELEGRAM_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_SECRET_HEADER = "X-Max-Bot-Api-Secret"
MAX_UPDATE_TYPES = list(UPDATE_TYPES)
EventHandler = Callable[[dict[str, Any]], Awaitable[None]]


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def build_web_app(
    services: Services,
    *,
    bot: Bot | None = None,
    dispatcher: Dispatcher | None = None,
    vk_handler: EventHandler | None = None,
    max_handler: EventHandler | None = None,
    scheduler: WindowScheduler | None = None,
) -> web.Application:
    settings = services.settings
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    app = web.Application()

    async def telegram(request: web.Request) -> web.Response:
        if not secret or not _same(request.headers.get(TELEGRAM_SECRET_HEADER), secret):
            log.warning(logs.TG_WEBHOOK_NO_SECRET)
            return web.Response(status=401)
        assert bot is not None and dispatcher is not None
        update = Update.model_validate(await request.json(), context={"bot": bot})
        try:
            await dispatcher.feed_update(bot, update)
        except Exception:
            log.exception(logs.TG_UPDATE_FAILED, update.update_id)
            return web.Response(status=500)
        return web.Response(text="ok")

    async def vk(request: web.Request) -> web.Response:
        event = await request.json()
        vk_secret = settings.vk_callback_secret
        confirmation = event.get("type") == "confirmation"
        # VK's own SDKs take the confirmation request's secret as optional: it is checked
        # when present; every other event must carry it.
        unchecked = confirmation and "secret" not in event
        if (
            vk_secret is not None
            and not unchecked
            and not _same(event.get("secret"), vk_secret.get_secret_value())
        ):
            log.warning(logs.VK_CALLBACK_NO_SECRET)
            return web.Response(status=403)
        if confirmation:
            return web.Response(text=settings.vk_callback_confirmation or "")
        assert vk_handler is not None
        await _handle_once(
            services, f"vk:{peer_of(event)}", f"vk:{event.get('event_id')}", event, vk_handler
        )
        return web.Response(text="ok")

    async def max_(request: web.Request) -> web.Response:
        if not secret or not _same(request.headers.get(MAX_SECRET_HEADER), secret):
            log.warning(logs.MAX_WEBHOOK_NO_SECRET)
            return web.Response(status=401)
        assert max_handler is not None
        update = await request.json()
        once = f"max:{max_update_id(update)}"
        await _handle_once(services, f"max:{key_of(update)}", once, update, max_handler)
        return web.Response(text="ok")

    async def healthz(_request: web.Request) -> web.Response:
        checks = {"database": await _database_ok(services), "redis": False, "scheduler": False}
        checks["redis"] = await services.coordination.ping()
        checks["scheduler"] = scheduler is None or scheduler.running
        return web.json_response(checks, status=200 if all(checks.values()) else 503)

    if bot is not None and dispatcher is not None:
        app.router.add_post("/telegram", telegram)
    if vk_handler is not None:
        app.router.add_post("/vk", vk)
    if max_handler is not None:
        app.router.add_post("/max", max_)
    app.router.add_get("/healthz", healthz)
    return app


def max_update_id(update: dict[str, Any]) -> str:
    """MAX updates carry no id of their own: a press is named by its callback id, a message by
    its `mid` (with the update type: an edit keeps the mid), anything else by its type, time
    and sender. The time alone would merge two updates of one person in one millisecond."""
    kind = update.get("update_type")
    callback_id = (update.get("callback") or {}).get("callback_id")
    if callback_id:
        return f"callback:{callback_id}"
    mid = ((update.get("message") or {}).get("body") or {}).get("mid")
    if mid:
        return f"{kind}:{mid}"
    return f"{kind}:{update.get('timestamp')}:{key_of(update)}"


async def _handle_once(
    services: Services, person: str, once: str, event: dict[str, Any], handler: EventHandler
) -> None:
    """A VK or MAX event: the person's lock, then skip it if already handled. Errors propagate
    (aiohttp answers 500 and the messenger redelivers)."""
    async with services.coordination.update(person, once) as fresh:
        if fresh:
            await handler(event)


async def _database_ok(services: Services) -> bool:
    try:
        async with services.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:
        log.exception(logs.HEALTHZ_DATABASE_DOWN)
        return False
    return True
