"""Admin commands for survey windows and reports; everyone else gets a refusal and no data."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, Filter
from aiogram.types import Message

from bot.core.ports import split_text
from bot.handlers.telegram.files import send_charts, send_file
from bot.handlers.vk.wall import VkInvitations
from bot.reports.service import ReportService
from bot.surveys.jobs import WindowJobs
from bot.surveys.plan import FrequencyPlan
from bot.surveys.windows import WindowError, WindowService, parse_date
from bot.texts import admin as texts
from bot.texts import export as export_texts
from bot.texts import schedule as schedule_texts

ADMIN_COMMANDS = (
    "open_survey",
    "close_survey",
    "surveys",
    "report",
    "plan",
    "calendar",
    "export",
    "painmap",
)


class IsAdmin(Filter):
    async def __call__(self, message: Message, admin_ids: frozenset[int]) -> bool:
        return message.from_user is not None and message.from_user.id in admin_ids


async def open_survey(
    message: Message,
    command: CommandObject,
    windows: WindowService,
    jobs: WindowJobs,
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
    posted = await jobs.invite_now(view.id)
    text = texts.window_opened(view.id, view.title, view.opens_on, view.closes_on, link)
    if posted:
        chat = schedule_texts.AUDIENCE_CHATS[view.audience]
        text += "\n\n" + schedule_texts.INVITATION_POSTED.format(chat=chat)
    await message.answer(text)
    if vk_invitations is not None and view.audience == "external":
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
        + " · "
        + schedule_texts.publish_by_line(v.publish_by)
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
    pending = await reports.report_then_charts(int(arg) if arg else None)
    for part in split_text(pending.text):
        await message.answer(part)  # the text first: the charts take a while to draw
    images = await pending.draw_charts()
    if images and message.bot is not None:
        await send_charts(message.bot, message.chat.id, images)


async def export(message: Message, command: CommandObject, reports: ReportService) -> None:
    """`/export ID`: the window as XLSX; `/export accounting [YEAR]`: the accounting form."""
    args = (command.args or "").split()
    assert message.bot is not None
    if args[:1] == ["accounting"] and len(args) <= 2 and all(a.isdigit() for a in args[1:]):
        year = int(args[1]) if len(args) == 2 else None
        await send_file(message.bot, message.chat.id, await reports.accounting_form(year))
        return
    if len(args) != 1 or not args[0].isdigit():
        await message.answer(export_texts.EXPORT_USAGE)
        return
    result = await reports.export_window(int(args[0]))
    if isinstance(result, str):
        await message.answer(result)
        return
    await send_file(message.bot, message.chat.id, result)


async def painmap(message: Message, command: CommandObject, reports: ReportService) -> None:
    arg = (command.args or "").strip()
    if not arg.isdigit():
        await message.answer(export_texts.PAINMAP_USAGE)
        return
    result = await reports.painmap(int(arg))
    if isinstance(result, str):
        await message.answer(result)
        return
    assert message.bot is not None
    await send_file(message.bot, message.chat.id, result)


async def show_plan(message: Message, windows: WindowService, plan: FrequencyPlan) -> None:
    year = windows.today().year
    lines = [schedule_texts.plan_header(year)]
    warnings = []
    for period in await plan.year(year):
        lines.append(
            schedule_texts.plan_period_line(
                period.audience, period.start, period.end, len(period.windows)
            )
        )
        lines += [
            schedule_texts.plan_window_line(
                v.id, v.kind, v.opens_on, v.closes_on, texts.STATE_NAMES[v.state]
            )
            for v in period.windows
        ]
        if not period.met:
            warnings.append(schedule_texts.plan_warning(period.audience, period.start, period.end))
    lines += ["", *(warnings or [schedule_texts.PLAN_OK])]
    await message.answer("\n".join(lines))


async def show_calendar(message: Message, command: CommandObject, windows: WindowService) -> None:
    arg = (command.args or "").strip()
    if arg and not (arg.isdigit() and 2000 <= int(arg) <= 2100):
        await message.answer(schedule_texts.CALENDAR_USAGE)
        return
    year = int(arg) if arg else windows.today().year
    await message.answer(
        schedule_texts.calendar_text(
            year, windows.calendar.days_off(year), windows.calendar.working_weekend_days(year)
        )
    )


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
    admin.message.register(show_plan, Command("plan"))
    admin.message.register(show_calendar, Command("calendar"))
    admin.message.register(export, Command("export"))
    admin.message.register(painmap, Command("painmap"))
    refusal = Router(name="admin-refusal")
    refusal.message.register(refuse, Command(*ADMIN_COMMANDS))
    router.include_routers(admin, refusal)
    return router
