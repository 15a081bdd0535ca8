"""The composition root: builds every service from settings, and the Telegram and VK bots on top.

Nothing in the package creates an engine, a bot or settings at import time; tests and the demo
call these builders with their own settings, clock and API address.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Awaitable, Coroutine
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import time
from functools import partial
from typing import Any, TypeVar

import aiohttp
from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError
from aiogram.types import User
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from vk_api.exceptions import ApiHttpError

from bot.appeals.jobs import daily_digest, purge_personal_data, quarterly_analysis
from bot.appeals.model import AppealTerms
from bot.appeals.service import AppealService
from bot.body import Body
from bot.chat.admin import AdminChat
from bot.chat.appeal_intake import AppealIntake
from bot.chat.citizen import CitizenChat
from bot.chat.messengers import Messengers
from bot.chat.notifications import Fanout
from bot.chat.reminders import ReminderChat
from bot.chat.roles import Roles
from bot.chat.staff import StaffChat
from bot.chat.words import PrivateChat, StaffRoom
from bot.claims import JobClaims
from bot.clock import Clock, SystemClock
from bot.config import Settings, SettingsError
from bot.coordination import Coordination
from bot.db.session import create_engine, create_reader_engine, create_sessionmaker
from bot.handlers import ordering
from bot.handlers.backoff import Backoff
from bot.handlers.max import MaxBot, build_max
from bot.handlers.max.client import REQUESTS_PER_SECOND
from bot.handlers.positions import PollPositions
from bot.handlers.telegram import get_routers
from bot.handlers.telegram.broadcast import Broadcaster
from bot.handlers.telegram.delivery import TelegramMessenger, TelegramOutlet
from bot.handlers.telegram.membership import TelegramMembership
from bot.handlers.telegram.menu import TelegramMenu
from bot.handlers.telegram.middlewares import PerUserLock, PinResponseTypes, TelegramPace
from bot.handlers.telegram.staff_board import TelegramStaffBoard
from bot.handlers.vk import VkBot, build_vk
from bot.handlers.vk.staff_board import VkMembership, VkStaffBoard
from bot.handlers.vk.wall import VkInvitations
from bot.outbox import Outbox
from bot.reports.chart_pool import ChartRenderer
from bot.reports.service import ReportService
from bot.scheduler import WindowScheduler
from bot.startup import Resources, failure_reason, load_resources
from bot.surveys.access import EmployeeAccess
from bot.surveys.anonymity import Anonymizer
from bot.surveys.jobs import WindowJobs
from bot.surveys.plan import FrequencyPlan
from bot.surveys.release import ResponseRelease
from bot.surveys.reminders import ReminderList
from bot.surveys.service import SurveyService
from bot.surveys.windows import WindowService
from bot.texts import console

T = TypeVar("T")


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    reader: AsyncEngine
    """Where reports read (`create_reader_engine`); the engine itself on PostgreSQL."""
    clock: Clock
    windows: WindowService
    surveys: SurveyService
    reports: ReportService
    chat: CitizenChat
    messengers: Messengers
    notifications: Fanout
    plan: FrequencyPlan
    reminder_chat: ReminderChat
    jobs: WindowJobs
    access: EmployeeAccess
    appeals: AppealService
    roles: Roles
    admin_chat: AdminChat
    staff_chat: StaffChat
    chart_renderer: ChartRenderer
    coordination: Coordination
    outbox: Outbox

    async def close(self) -> None:
        self.chart_renderer.close()
        await self.coordination.close()
        if self.reader is not self.engine:
            await self.reader.dispose()
        await self.engine.dispose()


def settle_heap() -> None:
    """Take what start-up built out of the garbage collector's sight (`gc.freeze`).

    Modules, settings, services, aiogram's routers and pydantic's classes, some 360,000
    objects, live as long as the process; a full collection walked them all and stopped the
    event loop for 0.2-0.4 s, several times a minute under a crowd (the largest part of p99 at
    200 updates/s). Frozen, a collection walks only what the updates since created."""
    gc.collect()
    gc.freeze()


def build_services(
    settings: Settings, clock: Clock | None = None, resources: Resources | None = None
) -> Services:
    """`resources`: the settings' files as `load_resources` read them at start-up (read here
    when not given); a fault in them is a `SettingsError`."""
    clock = clock or SystemClock()
    resources = resources or load_resources(settings)
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    reader = create_reader_engine(settings.database_url, engine)
    anonymizer = Anonymizer(resources.secret)
    release = ResponseRelease(engine, anonymizer, settings.min_group_size)
    windows = WindowService(
        sessionmaker,
        resources.questionnaires,
        resources.calendar,
        clock,
        settings.tz,
        release,
    )
    body = Body.from_settings(settings)
    surveys = SurveyService(sessionmaker, windows, anonymizer, release, body)
    plan = FrequencyPlan(windows)
    subscribers = ReminderList(sessionmaker, anonymizer, clock)
    access = EmployeeAccess(sessionmaker, anonymizer)
    messengers = Messengers()
    notifications = Fanout(messengers, settings.all_admins)
    appeals = AppealService(
        sessionmaker,
        clock,
        settings.tz,
        resources.classifier,
        messengers,
        AppealTerms(
            answer_days=settings.appeal_answer_days,
            redirect_days=settings.appeal_redirect_days,
            extension_days=settings.appeal_extension_days,
            retention_years=settings.appeal_retention_years,
        ),
    )
    outbox = Outbox(sessionmaker, messengers, now=clock.now)
    appeals.outbox = outbox
    outbox.post_card = appeals.post_card
    chart_renderer = ChartRenderer(settings.chart_workers)
    reports = ReportService(
        create_sessionmaker(reader),
        windows,
        settings.min_group_size,
        appeals,
        chart_renderer,
        interim_results=settings.interim_results,
    )
    jobs = WindowJobs(
        sessionmaker,
        windows,
        plan,
        subscribers,
        reports.window_report,
        notifications,
        outbox,
        external_last_day_reminder=settings.external_last_day_reminder,
        body=body,
    )
    windows.report_debt = jobs
    outbox.post_report = jobs.report_to
    roles = Roles(settings.all_admins, appeals)
    coordination = Coordination.from_url(settings.redis_url)
    windows.changed = partial(coordination.changed, "windows")
    coordination.on_change("windows", windows.forget_cached)
    appeals.staff_changed = partial(coordination.changed, "staff")
    coordination.on_change("staff", appeals.forget_staff)
    return Services(
        settings=settings,
        engine=engine,
        sessionmaker=sessionmaker,
        reader=reader,
        clock=clock,
        windows=windows,
        surveys=surveys,
        reports=reports,
        chat=CitizenChat(surveys, windows, access, AppealIntake(sessionmaker, appeals, body), body),
        messengers=messengers,
        notifications=notifications,
        plan=plan,
        reminder_chat=ReminderChat(subscribers),
        jobs=jobs,
        access=access,
        appeals=appeals,
        roles=roles,
        admin_chat=AdminChat(
            roles, windows, reports, jobs, plan, access, messengers, notifications
        ),
        staff_chat=StaffChat(roles, appeals, sessionmaker, settings.min_group_size, chart_renderer),
        chart_renderer=chart_renderer,
        coordination=coordination,
        outbox=outbox,
    )


def build_bot(settings: Settings) -> Bot:
    assert settings.bot_token is not None
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    return Bot(
        settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


def register_telegram(services: Services, bot: Bot) -> None:
    """The bot as the Telegram messenger, its channel and work chat as outlets for invitations
    and the employee check, (with TG_STAFF_CHAT_ID) its staff group as the appeals' board, and
    its per-chat command menus for people whose role changes."""
    broadcaster = Broadcaster(bot)
    services.messengers.register(TelegramMessenger(bot, broadcaster))
    settings = services.settings
    outlets = {"external": settings.tg_channel_id, "internal": settings.tg_employee_chat_id}
    for audience, chat_id in outlets.items():
        if chat_id is not None:
            services.notifications.add_outlet(TelegramOutlet(broadcaster, chat_id, audience))
    if settings.tg_employee_chat_id is not None:
        services.access.register(TelegramMembership(bot, settings.tg_employee_chat_id))
    if settings.tg_staff_chat_id is not None:
        services.appeals.boards["tg"] = TelegramStaffBoard(bot, settings.tg_staff_chat_id)
    services.roles.menus["tg"] = TelegramMenu(bot)


def build_dispatcher(services: Services, bot: Bot) -> Dispatcher:
    """The dispatcher for `bot`, after registering the bot (`register_telegram`)."""
    register_telegram(services, bot)
    settings = services.settings
    staff_chat_id = settings.tg_staff_chat_id
    bot.session.middleware(PinResponseTypes())
    if settings.redis_url is not None:
        bot.session.middleware(TelegramPace(services.coordination))
    # No handler uses aiogram's FSM: every dialog keeps its state in the database, shared by
    # all instances. With the FSM on, aiogram would read a state on every update.
    dispatcher = Dispatcher(
        disable_fsm=True,
        roles=services.roles,
        admin_chat=services.admin_chat,
        staff_chat=services.staff_chat,
        staff_room=StaffRoom(services.staff_chat),
        min_group_size=services.settings.min_group_size,
        chat=services.chat,
        windows=services.windows,
        reports=services.reports,
        jobs=services.jobs,
        plan=services.plan,
        reminder_chat=services.reminder_chat,
        access=services.access,
        appeals=services.appeals,
        staff_chat_id=staff_chat_id,
        notifications=services.notifications,
    )
    dispatcher.update.outer_middleware(PerUserLock(services.coordination))
    dispatcher.include_routers(*get_routers())
    return dispatcher


def poll_telegram(dispatcher: Dispatcher, bot: Bot, **options: Any) -> Coroutine[Any, Any, None]:
    """aiogram's long polling as the bot runs it (`python -m bot run`, and the test harness):
    the signals are the bot's own (bot/__main__.py), and at most `UPDATES_IN_HAND` updates are
    in hand (bot/handlers/ordering.py); the rest wait at Telegram, unconfirmed."""
    return dispatcher.start_polling(
        bot,
        handle_signals=False,
        tasks_concurrency_limit=ordering.UPDATES_IN_HAND,
        **options,
    )


APPEALS_DIGEST_AT = time(9, 0)
APPEALS_PURGE_AT = time(3, 30)
APPEALS_QUARTERLY_AT = time(9, 5)


def build_scheduler(services: Services) -> WindowScheduler:
    """Call after the messengers are registered (`build_dispatcher`, `connect_vk`); `await
    start()` it; it runs with any messenger, Telegram or not.
    Besides the survey windows it runs the appeals' daily digest and personal-data purge, and
    on the first working day of a quarter sends the admins the previous quarter's analysis."""
    appeals = services.appeals
    return WindowScheduler(
        services.jobs,
        tz=services.settings.tz,
        claims=JobClaims(services.sessionmaker),
        daily=[
            ("appeals-digest", APPEALS_DIGEST_AT, partial(daily_digest, appeals)),
            ("appeals-purge", APPEALS_PURGE_AT, partial(purge_personal_data, appeals)),
            (
                "appeals-quarterly",
                APPEALS_QUARTERLY_AT,
                partial(
                    quarterly_analysis,
                    appeals,
                    services.sessionmaker,
                    services.windows.calendar,
                    services.notifications,
                    services.settings.min_group_size,
                    services.chart_renderer,
                ),
            ),
        ],
    )


def private_chat(services: Services) -> PrivateChat:
    """A person's private chat with the bot on VK or MAX: every role's commands and dialogs."""
    return PrivateChat(
        services.chat,
        services.admin_chat,
        services.staff_chat,
        services.roles,
        services.reminder_chat,
    )


def build_vk_bot(
    services: Services,
    *,
    wait: int = 25,
    backoff: Backoff | None = None,
    concurrent: bool = True,
) -> VkBot:
    """The VK community bot on the same services (citizens, admins and staff in private
    chats, staff in the VK_STAFF_CHAT_ID conversation); also registers it as the VK messenger,
    its staff conversation as an appeals' board and its work conversation as the employee
    check."""
    settings = services.settings
    vk = build_vk(
        settings,
        private_chat(services),
        StaffRoom(services.staff_chat),
        positions=PollPositions(services.sessionmaker),
        wait=wait,
        backoff=backoff,
        concurrent=concurrent,
    )
    services.messengers.register(vk.messenger)
    if settings.redis_url is not None:
        vk.client.shared_pace = partial(services.coordination.pace, "vk")
    if settings.vk_staff_chat_id is not None:
        services.appeals.boards["vk"] = VkStaffBoard(
            vk.client, vk.messenger, settings.vk_staff_chat_id
        )
    if settings.vk_employee_chat_id is not None:
        services.access.register(VkMembership(vk.client, settings.vk_employee_chat_id))
    return vk


NETWORK_ERRORS = (OSError, aiohttp.ClientError, TelegramNetworkError, ApiHttpError)
"""The API could not be reached (or what answers is no API): refused, no such host, timeout."""


async def reach(api: str, setting: str, url: str, call: Awaitable[T]) -> T:
    """A messenger's first call at start-up: if its API cannot be reached, the bot stops with
    one line naming the address setting (a refused token is each adapter's own line)."""
    try:
        return await call
    except NETWORK_ERRORS as exc:
        problem = console.API_UNREACHABLE.format(api=api, url=url, reason=failure_reason(exc))
        raise SettingsError(console.BAD_SETTING.format(name=setting, problem=problem)) from None


async def connect_telegram(settings: Settings, bot: Bot) -> User:
    """getMe: Telegram refusing the token (401) or being unreachable stops the bot."""
    try:
        return await reach("Telegram", "TELEGRAM_API_URL", settings.telegram_api_url, bot.get_me())
    except TelegramUnauthorizedError as exc:
        raise SettingsError(console.TELEGRAM_REFUSED.format(error=exc.message)) from None


async def connect_max(settings: Settings, max_bot: MaxBot) -> None:
    """GET /me: MAX refusing the token or being unreachable stops the bot."""
    await reach("MAX", "MAX_API_URL", settings.max_api_url, max_bot.connect())


async def connect_vk(services: Services, vk: VkBot) -> VkInvitations:
    """Check the VK token and learn the community's deep links; its wall then takes survey
    invitations. VK refusing the token or being unreachable stops the bot."""
    settings = services.settings
    invitations = await reach("ВКонтакте", "VK_API_URL", settings.vk_api_url, vk.connect())
    services.notifications.add_inviter(invitations)
    return invitations


@asynccontextmanager
async def outgoing_messengers(services: Services) -> AsyncIterator[None]:
    """Every configured messenger registered for the bot's own messages (staff chats, admins,
    outlets) without taking updates, as `run` registers them: for a job started from cron
    (`python -m bot digest`). A refused VK or MAX token, or an unreachable API, stops it with one
    line, as at start-up."""
    settings = services.settings
    async with AsyncExitStack() as stack:
        if settings.telegram_enabled:
            bot = build_bot(settings)
            stack.push_async_callback(bot.session.close)
            register_telegram(services, bot)
        if settings.vk_enabled:
            vk = build_vk_bot(services)
            stack.callback(vk.close)
            await connect_vk(services, vk)
        if settings.max_enabled:
            max_bot = build_max_bot(services)
            stack.push_async_callback(max_bot.close)
            await connect_max(settings, max_bot)
        yield


def build_max_bot(
    services: Services,
    *,
    wait: int = 30,
    backoff: Backoff | None = None,
    concurrent: bool = True,
    rps: float = REQUESTS_PER_SECOND,
) -> MaxBot:
    """The MAX bot on the same services (citizens, admins and staff in private chats); registers it
    as the MAX messenger, its channel (MAX_CHANNEL_ID) and work chat (MAX_EMPLOYEE_CHAT_ID) as
    outlets for invitations, the work chat as the employee check of MAX users, and with
    MAX_STAFF_CHAT_ID its staff chat as the appeals' board and the staff's room (commands,
    card buttons, answer previews). Then `await max_bot.connect()`."""
    max_bot = build_max(
        services.settings,
        private_chat(services),
        StaffRoom(services.staff_chat),
        positions=PollPositions(services.sessionmaker),
        wait=wait,
        backoff=backoff,
        concurrent=concurrent,
        rps=rps,
    )
    services.messengers.register(max_bot.messenger)
    if services.settings.redis_url is not None:
        max_bot.client.shared_pace = partial(services.coordination.pace, "max")
    for audience in ("external", "internal"):
        outlet = max_bot.outlet(audience)
        if outlet is not None:
            services.notifications.add_outlet(outlet)
    membership = max_bot.membership()
    if membership is not None:
        services.access.register(membership)
    board = max_bot.staff_board()
    if board is not None:
        services.appeals.boards["max"] = board
    return max_bot
