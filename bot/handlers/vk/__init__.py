"""VK community adapter: Bots Long Poll in, messages.send out, the same `CitizenChat` between.

`build_vk` wires it from settings; `VkBot.connect()` checks the token, `run()` polls until
cancelled.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from vk_api.exceptions import ApiError

from bot.body import Body
from bot.chat.words import PrivateChat, StaffRoom
from bot.config import Settings, SettingsError
from bot.handlers.backoff import Backoff
from bot.handlers.positions import PollPositions
from bot.handlers.vk.citizen import VkCitizen
from bot.handlers.vk.client import RETRYABLE_API_ERRORS, VkClient, make_vk_api
from bot.handlers.vk.delivery import VkMessenger
from bot.handlers.vk.polling import VkPoller
from bot.handlers.vk.wall import VkInvitations
from bot.texts import console, logs

log = logging.getLogger("bot.vk")


class VkSetupError(SettingsError):
    """VK refused the configured token or community; the message is one console line."""


@dataclass
class VkBot:
    settings: Settings
    client: VkClient
    messenger: VkMessenger
    poller: VkPoller
    wall: VkClient | None
    on_event: Callable[[dict[str, Any]], Awaitable[None]]
    """Handles one event to the end: the Callback API server calls it (bot/webhooks.py)."""

    @property
    def _body(self) -> str:
        return Body.from_settings(self.settings).short

    async def connect(self) -> VkInvitations:
        """Checks the token at start-up and learns the community's short name for deep links.

        One attempt: VK refusing the token or the group stops the bot with one line (a setting
        is wrong), and so does VK being unreachable (raised as is, for the composition root to
        name VK_API_URL); VK overloaded does not (the long poll keeps trying), links then use
        club<id>.
        """
        assert self.settings.vk_group_id is not None
        group_id = self.settings.vk_group_id
        screen_name = f"club{group_id}"
        try:
            found: Any = await self.client.call_once("groups.getById", group_id=group_id)
            groups = found.get("groups", []) if isinstance(found, dict) else found
            screen_name = groups[0].get("screen_name") or screen_name
        except ApiError as exc:
            if exc.code in RETRYABLE_API_ERRORS:
                log.exception(logs.VK_OVERLOADED_AT_START, screen_name)
                return VkInvitations(group_id, screen_name, self.wall, self._body)
            raise VkSetupError(console.VK_REFUSED.format(error=exc)) from None
        self.messenger.screen_name = screen_name
        return VkInvitations(group_id, screen_name, self.wall, self._body)

    async def run(self) -> None:
        await self.poller.run()

    def close(self) -> None:
        self.client.close()
        if self.wall is not None:
            self.wall.close()


def build_vk(
    settings: Settings,
    chat: PrivateChat,
    staff_room: StaffRoom | None = None,
    *,
    positions: PollPositions,
    wait: int = 25,
    backoff: Backoff | None = None,
    concurrent: bool = True,
) -> VkBot:
    assert settings.vk_group_token is not None and settings.vk_group_id is not None
    vk = make_vk_api(settings.vk_group_token.get_secret_value(), settings.vk_api_url)
    client = VkClient(vk, backoff)
    messenger = VkMessenger(client, f"club{settings.vk_group_id}")
    citizen = VkCitizen(chat, client, messenger, staff_room, settings.vk_staff_chat_id)
    poller = VkPoller(
        vk,
        settings.vk_group_id,
        citizen.handle,
        positions,
        wait=wait,
        backoff=backoff,
        concurrent=concurrent,
    )
    wall = None
    if settings.vk_user_token is not None:
        user_api = make_vk_api(
            settings.vk_user_token.get_secret_value(), settings.vk_api_url, group=False
        )
        wall = VkClient(user_api, backoff, workers=1)
    return VkBot(settings, client, messenger, poller, wall, citizen.handle)
