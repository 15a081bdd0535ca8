"""Run the real dispatcher with long polling against the fake Bot API (and, if given, the VK
adapter against the fake VK API, in the same process), and act as users."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiogram import Bot, Dispatcher
from pydantic import SecretStr

from bot.app import (
    Services,
    build_bot,
    build_dispatcher,
    build_max_bot,
    build_scheduler,
    build_services,
    build_vk_bot,
    connect_vk,
    poll_telegram,
)
from bot.clock import Clock
from bot.config import Settings
from bot.devtools.fake_max import FakeMax, MaxSent
from bot.devtools.fake_telegram import Call, FakeTelegram
from bot.devtools.fake_vk import GROUP_TOKEN, FakeVk, VkCall
from bot.handlers.backoff import Backoff
from bot.handlers.max import MaxBot
from bot.handlers.vk import VkBot
from bot.scheduler import WindowScheduler
from bot.texts import vk as vk_texts

VK_TEST_BACKOFF = Backoff(first=0.01, cap=0.05, attempts=5)


class RunningBot:
    """`async with RunningBot(settings, fake):` polls until the block ends, like `bot run`."""

    def __init__(
        self,
        settings: Settings,
        fake: FakeTelegram | None,
        clock: Clock | None = None,
        *,
        scheduler: bool = False,
        vk: FakeVk | None = None,
        max_fake: FakeMax | None = None,
        concurrent: bool = False,
    ) -> None:
        """`scheduler=True` also starts the survey scheduler as `bot run` does (catching up on
        whatever fell due at `clock`); off by default so tests see only what they cause.
        `vk`, `max_fake`: also run the VK / MAX adapter against this fake server.
        `fake=None`: no Telegram at all (BOT_TOKEN unset), as a body that may not use it runs.
        `concurrent`: handle updates as concurrent tasks, as `bot run` does."""
        update: dict[str, Any] = (
            {"telegram_api_url": fake.base_url} if fake is not None else {"bot_token": None}
        )
        if vk is not None:
            update.update(
                vk_group_token=SecretStr(GROUP_TOKEN),
                vk_group_id=vk.group_id,
                vk_api_url=vk.base_url,
            )
        if max_fake is not None:
            update.update(max_bot_token=SecretStr(max_fake.token), max_api_url=max_fake.base_url)
        self.settings = settings.model_copy(update=update)
        self._fake = fake
        self.vk_fake = vk
        self.max_fake = max_fake
        self.max: MaxBot | None = None
        self._max_task: asyncio.Task[None] | None = None
        self.clock = clock
        self.with_scheduler = scheduler
        self.concurrent = concurrent
        self.scheduler: WindowScheduler | None = None
        self.services: Services
        self.bot: Bot | None = None
        self.dispatcher: Dispatcher | None = None
        self.vk: VkBot | None = None
        self._task: asyncio.Task[None] | None = None
        self._vk_task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> RunningBot:
        self.services = build_services(self.settings, self.clock)
        if self.vk_fake is not None:
            self.vk = build_vk_bot(self.services, wait=1, backoff=VK_TEST_BACKOFF, concurrent=False)
            # Pacing (20 calls/s) is tested on its own; here it would only slow every test down.
            self.vk.client.vk.RPS_DELAY = 0.0
            await connect_vk(self.services, self.vk)
            self._vk_task = asyncio.create_task(self.vk.run())
            # Events pushed before the bot holds a long-poll key would be skipped, as on VK.
            while not self.vk_fake.longpoll_servers_given:
                await asyncio.sleep(0.01)
        if self.max_fake is not None:
            # No pacing here: it is tested on its own and would only slow every test down.
            self.max = build_max_bot(
                self.services, wait=1, backoff=VK_TEST_BACKOFF, concurrent=False, rps=0
            )
            await self.max.connect()
            await self.max.publish_commands()
            self._max_task = asyncio.create_task(self.max.run())
            # Until the first poll, a fresh bot (no stored marker) would get MAX's latest update
            # only, as on MAX: a test's updates wait for it.
            while not self.max.poller.polls:
                await asyncio.sleep(0.01)
        if self._fake is not None:
            self.bot = build_bot(self.settings)
            self.dispatcher = build_dispatcher(self.services, self.bot)
        if self.with_scheduler:
            self.scheduler = build_scheduler(self.services)
            await self.scheduler.start()
        if self.dispatcher is not None:
            dispatcher = self.dispatcher
            self._task = asyncio.create_task(
                poll_telegram(
                    dispatcher, self.bot, handle_as_tasks=self.concurrent, polling_timeout=1
                )
            )
            # Until polling has started, stop_polling() would refuse: wait for it, so a block
            # that does nothing but start and stop (a restart) still works.
            while not dispatcher._running_lock.locked() and not self._task.done():
                await asyncio.sleep(0.01)
        return self

    @property
    def fake(self) -> FakeTelegram:
        assert self._fake is not None, "this bot runs without Telegram"
        return self._fake

    async def __aexit__(self, *exc: object) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown()
        if self.dispatcher is not None:
            await self.dispatcher.stop_polling()
        if self._task is not None:
            await self._task
        if self._vk_task is not None and self.vk is not None:
            self._vk_task.cancel()
            await asyncio.gather(self._vk_task, return_exceptions=True)
            self.vk.close()
        if self._max_task is not None and self.max is not None:
            self._max_task.cancel()
            await asyncio.gather(self._max_task, return_exceptions=True)
            await self.max.close()
        await self.services.close()

    # --- acting as a user -------------------------------------------------------------------
    async def say(self, user_id: int, text: str | None = None, **extra: Any) -> None:
        await self.fake.push(self.fake.message_update(user_id, text, **extra))

    async def press(self, user_id: int, label: str, call: Call | None = None) -> None:
        """Press a button of `call` (default: the last message with buttons sent to the user)."""
        if call is None:
            with_buttons = [c for c in self.fake.sent(user_id) if c.buttons]
            if not with_buttons:
                raise LookupError(f"no message with buttons was sent to {user_id}")
            call = with_buttons[-1]
        data = call.button(label)["callback_data"]
        await self.fake.push(
            self.fake.callback_update(user_id, data, call.message_id, chat_id=call.chat_id)
        )

    # --- acting as a VK user ----------------------------------------------------------------
    @property
    def vk_server(self) -> FakeVk:
        assert self.vk_fake is not None, "RunningBot(..., vk=FakeVk()) for VK users"
        return self.vk_fake

    async def vk_say(self, user_id: int, text: str = "", **extra: Any) -> None:
        await self.vk_server.push(self.vk_server.message_new(user_id, text, **extra))

    async def vk_press(
        self, user_id: int, label: str, call: VkCall | None = None, *, peer_id: int | None = None
    ) -> None:
        """Press a button of `call` (default: the newest inline keyboard sent to the user, or into
        the conversation `peer_id`, including the follow-up message that carries the rest of a
        split keyboard)."""
        peer = peer_id if peer_id is not None else user_id
        if call is None:
            with_buttons = [c for c in self.vk_server.sent(peer) if c.inline]
            if not with_buttons:
                raise LookupError(f"no message with buttons was sent to VK user {user_id}")
            newest = with_buttons[-1]
            candidates = [newest]
            if newest.text == vk_texts.MORE_BUTTONS and len(with_buttons) > 1:
                candidates.append(with_buttons[-2])
            call = next((c for c in candidates if label in c.labels), newest)
        payload = call.payload(label)
        await self.vk_server.push(self.vk_server.message_event(user_id, payload, call.peer_id))

    async def vk_press_menu(self, user_id: int, label: str) -> None:
        """Press a button of the newest keyboard under the input field (the role menu): VK
        sends its label as the person's message, with the button's payload."""
        menus = [c for c in self.vk_server.sent(user_id) if c.buttons and not c.inline]
        if not menus:
            raise LookupError(f"no menu keyboard was sent to VK user {user_id}")
        payload = json.dumps(menus[-1].payload(label), ensure_ascii=False)
        await self.vk_say(user_id, label, payload=payload)

    # --- acting as a MAX user ---------------------------------------------------------------
    @property
    def max_server(self) -> FakeMax:
        assert self.max_fake is not None, "RunningBot(..., max_fake=FakeMax()) for MAX users"
        return self.max_fake

    async def max_start(self, user_id: int, payload: str | None = None) -> None:
        """The «Начать» button, or a deep link `max.ru/<bot>?start=<payload>`."""
        await self.max_server.push(self.max_server.bot_started(user_id, payload))

    async def max_say(self, user_id: int, text: str | None = "", **extra: Any) -> None:
        await self.max_server.push(self.max_server.message_created(user_id, text, **extra))

    async def max_press(
        self,
        user_id: int,
        label: str,
        message: MaxSent | None = None,
        *,
        chat_id: int | None = None,
    ) -> None:
        """Press a button (default: on the newest message to the user, or in the chat, that
        carries a button with this label)."""
        server = self.max_server
        if message is None:
            message = (
                server.with_button(label, chat_id=chat_id)
                if chat_id is not None
                else server.with_button(label, user_id)
            )
        await server.push(server.message_callback(user_id, message, label))
