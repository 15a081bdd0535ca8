"""/help and /id in Telegram, and the command menu per role (setMyCommands per scope)."""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import AiogramError
from aiogram.filters import Command
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    Message,
)

from bot.chat.roles import Roles, help_for
from bot.core.ports import Person
from bot.handlers.telegram.citizen import person_of
from bot.handlers.telegram.delivery import answer_message
from bot.texts import help as texts
from bot.texts import logs

log = logging.getLogger(__name__)


async def show_help(message: Message, roles: Roles) -> None:
    await answer_message(message, await help_for(roles, person_of(message)))


async def show_chat_id(message: Message) -> None:
    """In a group or a channel: its id, for TG_STAFF_CHAT_ID, TG_EMPLOYEE_CHAT_ID and the like."""
    await message.answer(texts.chat_id_text(message.chat.id))


def _menu(role: str) -> list[BotCommand]:
    return [BotCommand(command=name, description=what) for name, what in texts.commands_for(role)]


async def publish_commands(bot: Bot, roles: Roles) -> None:
    """The menu everyone sees, and in the private chats of admins and staff their own (staff
    added later get theirs from `TelegramMenu`). Best effort: the bot works without a menu."""
    try:
        await bot.set_my_commands(_menu("citizen"), scope=BotCommandScopeDefault())
        for person in await roles.people("tg"):
            role = await roles.role(person)
            await bot.set_my_commands(
                _menu(role), scope=BotCommandScopeChat(chat_id=person.user_id)
            )
    except AiogramError as exc:
        log.warning(logs.TG_COMMANDS_FAILED, exc)


class TelegramMenu:
    """Telegram as a `bot.core.ports.CommandMenu`: the menu of one private chat, set when the
    person's role changes; a citizen again falls back to the menu everyone sees."""

    platform = "tg"

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def show(self, person: Person, role: str) -> None:
        scope = BotCommandScopeChat(chat_id=person.user_id)
        try:
            if role == "citizen":
                await self._bot.delete_my_commands(scope=scope)
            else:
                await self._bot.set_my_commands(_menu(role), scope=scope)
        except AiogramError as exc:
            log.warning(logs.TG_PERSON_MENU_FAILED, person.key, exc)


def make_router() -> Router:
    router = Router(name="menu")
    router.message.register(show_help, Command("help"), F.chat.type == "private")
    router.message.register(show_chat_id, Command("id"), F.chat.type != "private")
    router.channel_post.register(show_chat_id, Command("id"))
    return router
