"""/remind_me and /stop_reminders: private reminders about employee surveys."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.chat.reminders import ReminderChat
from bot.handlers.telegram.citizen import person_of
from bot.handlers.telegram.delivery import answer_message


async def remind_me(message: Message, reminder_chat: ReminderChat) -> None:
    await answer_message(message, await reminder_chat.subscribe(person_of(message)))


async def stop_reminders(message: Message, reminder_chat: ReminderChat) -> None:
    await answer_message(message, await reminder_chat.unsubscribe(person_of(message)))


def make_router() -> Router:
    router = Router(name="reminders")
    router.message.filter(F.chat.type == "private")
    router.message.register(remind_me, Command("remind_me"))
    router.message.register(stop_reminders, Command("stop_reminders"))
    return router
