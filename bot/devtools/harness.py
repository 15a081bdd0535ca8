"""Run the real dispatcher with long polling against the fake Bot API, and act as users."""

from __future__ import annotations

import asyncio
from typing import Any

from aiogram import Bot, Dispatcher

from bot.app import Services, build_bot, build_dispatcher, build_scheduler, build_services
from bot.clock import Clock
from bot.config import Settings
from bot.devtools.fake_telegram import Call, FakeTelegram
from bot.scheduler import WindowScheduler


class RunningBot:
    """`async with RunningBot(settings, fake):` polls until the block ends, like `bot run`."""

    def __init__(
        self,
        settings: Settings,
        fake: FakeTelegram,
        clock: Clock | None = None,
        *,
        scheduler: bool = False,
    ) -> None:
        """`scheduler=True` also starts the survey scheduler as `bot run` does (catching up on
        whatever fell due at `clock`); off by default so tests see only what they cause."""
        self.settings = settings.model_copy(update={"telegram_api_url": fake.base_url})
        self.fake = fake
        self.clock = clock
        self.with_scheduler = scheduler
        self.scheduler: WindowScheduler | None = None
        self.services: Services
        self.bot: Bot
        self.dispatcher: Dispatcher
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> RunningBot:
        self.services = build_services(self.settings, self.clock)
        self.bot = build_bot(self.settings)
        self.dispatcher = build_dispatcher(self.services, self.bot)
        if self.with_scheduler:
            self.scheduler = build_scheduler(self.services)
            await self.scheduler.start()
        self._task = asyncio.create_task(
            self.dispatcher.start_polling(
                self.bot, handle_as_tasks=False, polling_timeout=1, handle_signals=False
            )
        )
        # Until polling has started, stop_polling() would refuse: wait for it, so a block that
        # does nothing but start and stop (a restart) still works.
        while not self.dispatcher._running_lock.locked() and not self._task.done():
            await asyncio.sleep(0.01)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown()
        await self.dispatcher.stop_polling()
        if self._task is not None:
            await self._task
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
