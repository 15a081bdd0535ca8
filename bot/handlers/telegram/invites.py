"""`/invite_codes N`: one-time invitation links to the employee survey, for admins only."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.core.ports import split_text
from bot.handlers.telegram.admin import IsAdmin, refuse
from bot.surveys.access import INVITE_PREFIX, MAX_CODES_PER_REQUEST, EmployeeAccess
from bot.texts import employee as texts


async def invite_codes(message: Message, command: CommandObject, access: EmployeeAccess) -> None:
    arg = (command.args or "").strip()
    if not arg.isdigit() or not 1 <= int(arg) <= MAX_CODES_PER_REQUEST:
        await message.answer(texts.INVITE_USAGE.format(max=MAX_CODES_PER_REQUEST))
        return
    codes = await access.create_codes(int(arg))
    me = await message.bot.me() if message.bot else None
    links = [
        f"https://t.me/{me.username}?start={INVITE_PREFIX}{code}"
        if me and me.username
        else f"/start {INVITE_PREFIX}{code}"
        for code in codes
    ]
    for part in split_text(texts.invite_codes(links, await access.unused_codes())):
        await message.answer(part, disable_web_page_preview=True)


def make_router() -> Router:
    router = Router(name="invites")
    router.message.filter(F.chat.type == "private")
    router.message.register(invite_codes, Command("invite_codes"), IsAdmin())
    router.message.register(refuse, Command("invite_codes"))
    return router
