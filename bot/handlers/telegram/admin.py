"""Admin commands for survey windows and reports; everyone else gets a refusal and no data."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, Filter
from aiogram.types import Message

from bot.handlers.vk.wall import VkInvitations
from bot.reports.service import ReportService
from bot.surveys.windows import WindowError, WindowService, parse_date
from bot.texts import admin as texts

ADMIN_COMMANDS = ("open_survey", "close_survey", "surveys", "report")


class IsAdmin(Filter):
    async def __call__(self, message: Message, admin_ids: frozenset[int]) -> bool:
        return message.from_user is not None and message.from_user.id in admin_ids


async def open_survey(
    message: Message,
    command: CommandObject,
    windows: WindowService,
    vk_invitations: VkInvitations | None = None,
) -> None:
    args = (command.args or "").split()
    kinds = ", ".join(sorted(windows.questionnaires))
    if not 1 <= len(args) <= 2:
        await message.answer(texts.OPEN_SURVEY_USAGE.format(kinds=kinds))
        return
    try:
        start = parse_date(args[1]) if len(args) == 2 else None
        view = await windows.open_window(args[0], start)
    except WindowError as exc:
        await message.answer(str(exc))
        return
    if view.state == "scheduled":
        await message.answer(
            texts.window_scheduled(view.id, view.title, view.opens_on, view.closes_on)
        )
        return
    me = await message.bot.me() if message.bot else None
    link = f"https://t.me/{me.username}?start={view.kind}" if me and me.username else None
    await message.answer(
        texts.window_opened(view.id, view.title, view.opens_on, view.closes_on, link)
    )
    if vk_invitations is not None and windows.questionnaires[view.kind].audience == "external":
        await message.answer(await vk_invitations.invite(view.title, view.kind))


async def close_survey(message: Message, command: CommandObject, windows: WindowService) -> None:
    arg = (command.args or "").strip()
    if not arg.isdigit():
        await message.answer(texts.CLOSE_USAGE)
        return
    try:
        view = await windows.close_window(int(arg))
    except WindowError as exc:
        await message.answer(str(exc))
        return
    await message.answer(texts.window_closed(view.id, view.respondents))


async def list_surveys(message: Message, windows: WindowService) -> None:
    await windows.close_due_windows()
    views = await windows.list_windows()
    if not views:
        await message.answer(texts.NO_WINDOWS)
        return
    lines = [
        texts.windows_line(v.id, v.kind, v.opens_on, v.closes_on, v.state, v.respondents)
        for v in views
    ]
    await message.answer("\n".join([texts.WINDOWS_HEADER, *lines]))


async def report(
    message: Message, command: CommandObject, windows: WindowService, reports: ReportService
) -> None:
    arg = (command.args or "").strip()
    if arg and not arg.isdigit():
        await message.answer(texts.REPORT_USAGE)
        return
    await windows.close_due_windows()
    await message.answer(await reports.window_report_text(int(arg) if arg else None))


async def refuse(message: Message) -> None:
    await message.answer(texts.NOT_ADMIN)


def make_router() -> Router:
    """Admins' handlers first; the same commands from anyone else end in the refusal."""
    router = Router(name="admin")
    router.message.filter(F.chat.type == "private")
    admin = Router(name="admin-only")
    admin.message.filter(IsAdmin())
    admin.message.register(open_survey, Command("open_survey"))
    admin.message.register(close_survey, Command("close_survey"))
    admin.message.register(list_surveys, Command("surveys"))
    admin.message.register(report, Command("report"))
    refusal = Router(name="admin-refusal")
    refusal.message.register(refuse, Command(*ADMIN_COMMANDS))
    router.include_routers(admin, refusal)
    return router
