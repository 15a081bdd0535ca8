"""Admin commands in a private chat with the bot: each one is a call to `AdminChat`."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.chat.admin import ADMIN_COMMANDS, AdminChat
from bot.core.actions import Scope, parse
from bot.handlers.telegram.citizen import person_of
from bot.handlers.telegram.delivery import answer_callback, answer_message


async def admin_command(message: Message, command: CommandObject, admin_chat: AdminChat) -> None:
    outcome = await admin_chat.command(person_of(message), command.command, command.args)
    if outcome is not None:
        await answer_message(message, outcome)


async def admin_pressed(callback: CallbackQuery, admin_chat: AdminChat) -> None:
    pressed = parse(callback.data)
    assert pressed is not None
    await answer_callback(callback, await admin_chat.action(person_of(callback), pressed))


def make_router() -> Router:
    router = Router(name="admin")
    router.message.filter(F.chat.type == "private")
    router.message.register(admin_command, Command(*ADMIN_COMMANDS))
    router.callback_query.register(admin_pressed, F.data.startswith(f"{Scope.ADMIN.value}:"))
    return router
