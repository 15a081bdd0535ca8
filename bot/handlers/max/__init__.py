"""MAX adapter: GET /updates long polling in, POST /messages out, the same `CitizenChat`
between (and the same chat layer for every other role).

`build_max` wires it from settings; `MaxBot.connect()` checks the token (GET /me) and learns
the bot's name for deep links; `publish_commands()` sets the bot menu; `run()` polls until
cancelled.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.chat.words import PrivateChat, StaffRoom
from bot.config import Settings, SettingsError
from bot.handlers.backoff import Backoff
from bot.handlers.max.client import REQUESTS_PER_SECOND, UNAUTHORIZED, MaxApiError, MaxClient
from bot.handlers.max.delivery import MaxMessenger
from bot.handlers.max.outlets import MaxMembership, MaxOutlet, MaxStaffBoard
from bot.handlers.max.polling import MaxPoller
from bot.handlers.max.render import GLOBAL_MENU_ROLE
from bot.handlers.max.updates import MaxUpdates
from bot.handlers.positions import PollPositions
from bot.texts import console, logs
from bot.texts import help as help_texts

log = logging.getLogger("bot.max")


class MaxSetupError(SettingsError):
    """MAX refused the configured token; the message is one console line."""


@dataclass
class MaxBot:
    settings: Settings
    client: MaxClient
    messenger: MaxMessenger
    poller: MaxPoller
    on_event: Callable[[dict[str, Any]], Awaitable[None]]
    """Handles one update to the end: the webhook server calls it (bot/webhooks.py)."""

    @property
    def username(self) -> str:
        return self.messenger.username

    async def connect(self) -> None:
        """GET /me, once: a refused token (401) stops the bot with one line (a setting is
        wrong), and so does MAX being unreachable (raised as is, for the composition root to
        name MAX_API_URL); MAX answering with an error of its own does not (polling keeps
        trying), deep links are then missing."""
        try:
            me = await self.client.call("GET", "/me", attempts=1)
            self.messenger.username = str(me.get("username") or me.get("user_id") or "")
            if me.get("user_id") is not None:
                self.poller.source = f"max:{me['user_id']}"
        except MaxApiError as exc:
            if exc.status in UNAUTHORIZED:
                raise MaxSetupError(console.MAX_REFUSED.format(error=exc)) from None
            log.exception(logs.MAX_ME_FAILED)

    async def publish_commands(self) -> None:
        """The bot menu of MAX (PATCH /me): one for every chat, so the citizen's commands;
        staff and admins get theirs as buttons (render.py). Best effort: the bot works
        without a menu."""
        commands = [
            {"name": name, "description": what}
            for name, what in help_texts.commands_for(GLOBAL_MENU_ROLE)
        ]
        try:
            await self.client.call("PATCH", "/me", body={"commands": commands}, repeatable=True)
        except (MaxApiError, aiohttp.ClientError, TimeoutError) as exc:
            log.warning(logs.MAX_MENU_FAILED, exc)

    def outlet(self, audience: str) -> MaxOutlet | None:
        """The MAX channel (citizens) or work chat (employees), if configured."""
        settings = self.settings
        chat_id = (
            settings.max_channel_id if audience == "external" else settings.max_employee_chat_id
        )
        return MaxOutlet(self.messenger, chat_id, audience) if chat_id is not None else None

    def membership(self) -> MaxMembership | None:
        chat_id = self.settings.max_employee_chat_id
        return MaxMembership(self.client, chat_id) if chat_id is not None else None

    def staff_board(self) -> MaxStaffBoard | None:
        chat_id = self.settings.max_staff_chat_id
        return MaxStaffBoard(self.messenger, chat_id) if chat_id is not None else None

    async def subscribe(self, url: str, secret: str, update_types: list[str]) -> None:
        """Webhook mode (MAX serves production bots by webhook only): POST /subscriptions, so
        MAX posts updates to `url` with `secret` in the X-Max-Bot-Api-Secret header. MAX may
        answer 200 with `success: false`, or an error; either stops the start-up with one line."""
        try:
            result = await self.client.call(
                "POST",
                "/subscriptions",
                body={"url": url, "update_types": update_types, "secret": secret},
                repeatable=True,
            )
        except MaxApiError as exc:
            raise MaxSetupError(
                console.MAX_SUBSCRIPTION_REFUSED.format(url=url, error=exc)
            ) from None
        if not (isinstance(result, dict) and result.get("success")):
            message = result.get("message") if isinstance(result, dict) else result
            raise MaxSetupError(console.MAX_SUBSCRIPTION_REFUSED.format(url=url, error=message))

    async def run(self) -> None:
        await self.poller.run()

    async def close(self) -> None:
        await self.client.close()


def build_max(
    settings: Settings,
    chat: PrivateChat,
    staff_room: StaffRoom | None = None,
    *,
    positions: PollPositions,
    wait: int = 30,
    backoff: Backoff | None = None,
    concurrent: bool = True,
    rps: float = REQUESTS_PER_SECOND,
) -> MaxBot:
    assert settings.max_bot_token is not None
    client = MaxClient(
        settings.max_bot_token.get_secret_value(),
        settings.max_api_url,
        ca_file=settings.max_ca_file,
        rps=rps,
        backoff=backoff,
    )
    messenger = MaxMessenger(client)
    citizen = MaxUpdates(chat, messenger, staff_room, settings.max_staff_chat_id)
    poller = MaxPoller(
        client, citizen.handle, positions, wait=wait, backoff=backoff, concurrent=concurrent
    )
    return MaxBot(settings, client, messenger, poller, citizen.handle)
