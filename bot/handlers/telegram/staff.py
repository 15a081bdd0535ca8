"""Staff handling appeals in Telegram: buttons and replies in the staff group, private
commands (/answer, /redirect, /extend, /close, /appeals, /register, /report appeals) and the
admins' /staff. Every handler checks the role; everyone else is refused and sees no appeal."""

from __future__ import annotations

import re
from datetime import datetime

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, ForceReply, Message

from bot.appeals import render
from bot.appeals.metrics import Period, PeriodError, parse_period
from bot.appeals.model import KINDS, OFFLINE_CHANNELS, OUTCOMES, AppealError
from bot.appeals.service import AppealService
from bot.chat.appeal_intake import TEXT_MAX
from bot.core.ports import Button
from bot.handlers.telegram.admin import IsAdmin
from bot.handlers.telegram.delivery import inline_keyboard
from bot.handlers.telegram.files import send_charts, send_file
from bot.reports.appeal_charts import appeals_analysis
from bot.reports.appeal_export import appeals_workbook
from bot.texts import appeals as texts

STAFF_COMMANDS = ("answer", "redirect", "extend", "close", "appeals", "register", "formal")
NUMBER = re.compile(r"№(\d+)")
REGISTER = "rg:"


class IsStaff(Filter):
    """ADMIN_IDS, or a staff member added with /staff add."""

    async def __call__(
        self, event: Message | CallbackQuery, admin_ids: frozenset[int], appeals: AppealService
    ) -> bool:
        user = event.from_user
        return user is not None and (user.id in admin_ids or await appeals.is_staff(user.id))


class InStaffChat(Filter):
    async def __call__(self, event: Message | CallbackQuery, staff_chat_id: int | None) -> bool:
        message = event.message if isinstance(event, CallbackQuery) else event
        return (
            staff_chat_id is not None
            and isinstance(message, Message)
            and message.chat.id == staff_chat_id
        )


class AppealsArgument(Filter):
    """`/report appeals ...`, `/export appeals ...`: the staff's variant of an admin command."""

    async def __call__(self, message: Message, command: CommandObject) -> bool:
        return (command.args or "").split()[:1] == ["appeals"]


class RegisterForm(StatesGroup):
    channel = State()
    kind = State()
    topic = State()
    text = State()
    received = State()


def _who(event: Message | CallbackQuery) -> tuple[int, str]:
    user = event.from_user
    assert user is not None
    return user.id, user.full_name


def _number_and_rest(args: str | None) -> tuple[int | None, str]:
    head, _, rest = (args or "").strip().partition(" ")
    head = head.lstrip("№")
    return (int(head) if head.isdigit() else None), rest.strip()


# --- answering, shared by the group reply and /answer ---------------------------------------
async def _answer(message: Message, appeals: AppealService, number: int, text: str) -> None:
    staff_id, _ = _who(message)
    try:
        view = await appeals.answer(number, staff_id, text)
    except AppealError as exc:
        await message.answer(str(exc))
        return
    await message.answer(texts.answered(number))
    if view.kind == "complaint":
        prompt = render.staff_outcome_prompt(number)
        await message.answer(prompt.text, reply_markup=inline_keyboard(prompt.buttons))


# --- the staff group --------------------------------------------------------------------------
async def group_reply(message: Message, appeals: AppealService, admin_ids: frozenset[int]) -> None:
    """A reply to an appeal card, a follow-up or a prompt: an answer, or a redirect."""
    replied = message.reply_to_message
    assert replied is not None
    quoted = replied.text or replied.caption or ""
    found = NUMBER.search(quoted)
    if not quoted.startswith(texts.REPLYABLE) or found is None or not (message.text or "").strip():
        return
    if not await IsStaff()(message, admin_ids, appeals):
        await message.reply(texts.NOT_STAFF)
        return
    number = int(found[1])
    if quoted.startswith(texts.REDIRECT_PROMPT_PREFIX):
        await _redirect(message, appeals, number, message.text or "")
    else:
        await _answer(message, appeals, number, message.text or "")


async def staff_button(
    callback: CallbackQuery, appeals: AppealService, admin_ids: frozenset[int]
) -> None:
    """A staff button: on an appeal card in the group, or the complaint outcome prompt (which
    /answer also sends in a private chat)."""
    assert callback.data is not None
    if not await IsStaff()(callback, admin_ids, appeals):
        await callback.answer(texts.NOT_STAFF, show_alert=True)
        return
    staff_id, staff_name = _who(callback)
    _, action, payload = callback.data.split(":", 2)
    number_text, _, value = payload.partition(":")
    number = int(number_text) if number_text.isdigit() else 0
    message = callback.message if isinstance(callback.message, Message) else None
    try:
        if action == "take":
            await appeals.take(number, staff_id)
            note: str | None = texts.taken(number, staff_name)
        elif action == "answer":
            note = None
            if message is not None:
                await message.answer(
                    texts.ANSWER_PROMPT.format(number=number), reply_markup=ForceReply()
                )
        elif action == "redirect":
            note = None
            if message is not None:
                await message.answer(
                    texts.REDIRECT_PROMPT.format(number=number), reply_markup=ForceReply()
                )
        elif action == "close":
            await appeals.close(number, staff_id)
            note = texts.closed(number)
        elif action == "outcome" and value in OUTCOMES:
            await appeals.set_outcome(number, value)
            note = texts.outcome_recorded(number, value)
        else:
            await callback.answer(texts.STALE)
            return
    except AppealError as exc:
        await callback.answer(str(exc), show_alert=True)
        return
    await callback.answer()
    if note is not None and message is not None:
        await message.answer(note)


# --- private commands -------------------------------------------------------------------------
async def answer_command(message: Message, command: CommandObject, appeals: AppealService) -> None:
    number, text = _number_and_rest(command.args)
    if number is None or not text:
        await message.answer(texts.ANSWER_USAGE)
        return
    await _answer(message, appeals, number, text)


async def _redirect(message: Message, appeals: AppealService, number: int, body: str) -> None:
    staff_id, _ = _who(message)
    try:
        view = await appeals.redirect(number, staff_id, body)
    except AppealError as exc:
        await message.answer(str(exc))
        return
    await message.answer(texts.redirected(number, view.redirected_to or ""))


async def redirect_command(
    message: Message, command: CommandObject, appeals: AppealService
) -> None:
    number, body = _number_and_rest(command.args)
    if number is None or not body:
        await message.answer(texts.REDIRECT_USAGE)
        return
    await _redirect(message, appeals, number, body)


async def extend_command(message: Message, command: CommandObject, appeals: AppealService) -> None:
    number, reason = _number_and_rest(command.args)
    if number is None or not reason:
        await message.answer(texts.EXTEND_USAGE)
        return
    staff_id, _ = _who(message)
    try:
        view = await appeals.extend(number, staff_id, reason)
    except AppealError as exc:
        await message.answer(str(exc))
        return
    await message.answer(texts.extended(number, view.due_at.astimezone(appeals.tz).date()))


async def close_command(message: Message, command: CommandObject, appeals: AppealService) -> None:
    number, _ = _number_and_rest(command.args)
    if number is None:
        await message.answer(texts.CLOSE_USAGE)
        return
    staff_id, _ = _who(message)
    try:
        await appeals.close(number, staff_id)
    except AppealError as exc:
        await message.answer(str(exc))
        return
    await message.answer(texts.closed(number))


async def formal_command(message: Message, command: CommandObject, appeals: AppealService) -> None:
    """`/formal N номер дата`: the appeal was registered formally; the card shows it."""
    number, rest = _number_and_rest(command.args)
    reg_number, _, raw_date = rest.rpartition(" ")
    today = appeals.now().astimezone(appeals.tz).date()
    try:
        raw_date = raw_date.strip().lower()
        reg_date = (
            today
            if raw_date in texts.TODAY_WORDS
            else datetime.strptime(raw_date, "%d.%m.%Y").date()
        )
    except ValueError:
        reg_date = None
    if number is None or not reg_number.strip() or reg_date is None:
        await message.answer(texts.FORMAL_USAGE)
        return
    try:
        view = await appeals.record_formal(number, reg_number, reg_date)
    except AppealError as exc:
        await message.answer(str(exc))
        return
    await message.answer(texts.formal_recorded(view))


async def list_command(message: Message, command: CommandObject, appeals: AppealService) -> None:
    which = (command.args or "open").strip()
    if which not in ("open", "overdue", "all"):
        await message.answer(texts.APPEALS_USAGE)
        return
    views = await appeals.for_staff(which)
    now = appeals.now()
    lines = [texts.staff_line(v, appeals.tz, now) for v in views]
    await message.answer("\n".join(lines) if lines else texts.NOTHING_FOUND)


async def _period(
    message: Message, command: CommandObject, appeals: AppealService
) -> Period | None:
    """The PERIOD after `appeals` (default: the current quarter); None after telling the usage."""
    arg = (command.args or "").split()[1:2]
    try:
        return parse_period(arg[0] if arg else None, appeals.now().astimezone(appeals.tz).date())
    except PeriodError:
        await message.answer(texts.REPORT_USAGE)
        return None


async def report_command(
    message: Message, command: CommandObject, appeals: AppealService, min_group_size: int
) -> None:
    period = await _period(message, command, appeals)
    if period is None:
        return
    text, images = await appeals_analysis(appeals, period, min_group_size)
    await message.answer(text)
    if images and message.bot is not None:
        await send_charts(message.bot, message.chat.id, images)


async def export_command(message: Message, command: CommandObject, appeals: AppealService) -> None:
    """`/export appeals [PERIOD]`: the analysis and the register with personal data, XLSX."""
    period = await _period(message, command, appeals)
    if period is None or message.bot is None:
        return
    await send_file(message.bot, message.chat.id, await appeals_workbook(appeals, period))


async def staff_command(message: Message, command: CommandObject, appeals: AppealService) -> None:
    parts = (command.args or "").split()
    if not parts:
        await message.answer(texts.staff_list(await appeals.staff_ids()))
        return
    if len(parts) != 2 or parts[0] not in ("add", "remove") or not parts[1].isdigit():
        await message.answer(texts.STAFF_USAGE)
        return
    user_id = int(parts[1])
    if parts[0] == "add":
        admin_id, _ = _who(message)
        await message.answer(texts.staff_added(user_id, await appeals.add_staff(user_id, admin_id)))
    else:
        await message.answer(texts.staff_removed(user_id, await appeals.remove_staff(user_id)))


# --- /register: an appeal received by e-mail, post, phone... -----------------------------------
def _choice(prefix: str, options: list[tuple[str, str]]) -> list[list[Button]]:
    return [[Button(label, f"{REGISTER}{prefix}:{value}")] for value, label in options]


async def register_start(message: Message, state: FSMContext) -> None:
    await state.set_state(RegisterForm.channel)
    buttons = _choice("channel", [(c, texts.CHANNEL_NAMES[c]) for c in OFFLINE_CHANNELS])
    await message.answer(texts.REGISTER_CHANNEL, reply_markup=inline_keyboard(buttons))


async def register_pressed(
    callback: CallbackQuery, state: FSMContext, appeals: AppealService
) -> None:
    assert callback.data is not None
    _, field, value = callback.data.split(":", 2)
    current = await state.get_state()
    message = callback.message if isinstance(callback.message, Message) else None
    await callback.answer()
    if message is None:
        return
    if field == "channel" and current == RegisterForm.channel.state and value in OFFLINE_CHANNELS:
        await state.update_data(channel=value)
        await state.set_state(RegisterForm.kind)
        buttons = _choice("kind", [(k, texts.KIND_NAMES[k]) for k in KINDS])
        await message.answer(texts.REGISTER_KIND, reply_markup=inline_keyboard(buttons))
    elif field == "kind" and current == RegisterForm.kind.state and value in KINDS:
        await state.update_data(kind=value)
        await state.set_state(RegisterForm.topic)
        topics = [(t.id, t.title) for t in appeals.classifier.topics]
        await message.answer(
            texts.REGISTER_TOPIC, reply_markup=inline_keyboard(_choice("topic", topics))
        )
    elif field == "topic" and current == RegisterForm.topic.state and value in appeals.classifier:
        await state.update_data(topic=value)
        await state.set_state(RegisterForm.text)
        await message.answer(texts.REGISTER_TEXT)


async def register_text(message: Message, state: FSMContext) -> None:
    text = (message.text or "").strip()
    if not text:
        await message.answer(texts.REGISTER_TEXT)
        return
    if len(text) > TEXT_MAX:
        await message.answer(texts.text_too_long(len(text), TEXT_MAX))
        return
    await state.update_data(text=text)
    await state.set_state(RegisterForm.received)
    await message.answer(texts.REGISTER_DATE)


async def register_date(message: Message, state: FSMContext, appeals: AppealService) -> None:
    raw = (message.text or "").strip().lower()
    today = appeals.now().astimezone(appeals.tz).date()
    try:
        received = today if raw in texts.TODAY_WORDS else datetime.strptime(raw, "%d.%m.%Y").date()
    except ValueError:
        await message.answer(texts.REGISTER_BAD_DATE)
        return
    if received > today:
        await message.answer(texts.REGISTER_FUTURE_DATE)
        return
    data = await state.get_data()
    await state.clear()
    view = await appeals.register(
        data["channel"], data["kind"], data["topic"], data["text"], received
    )
    await message.answer(texts.registered(view.number, view.due_at.astimezone(appeals.tz).date()))


async def register_cancel(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(texts.REGISTER_CANCELLED)


async def refuse(message: Message) -> None:
    await message.answer(texts.NOT_STAFF)


async def refuse_admin(message: Message) -> None:
    await message.answer(texts.NOT_ADMIN)


def make_router() -> Router:
    router = Router(name="staff")

    group = Router(name="staff-group")
    group.message.filter(InStaffChat())
    group.callback_query.filter(InStaffChat())
    group.callback_query.register(staff_button, F.data.startswith("st:"))
    group.message.register(
        group_reply, F.reply_to_message.from_user.is_bot, F.text, ~F.text.startswith("/")
    )

    private = Router(name="staff-private")
    private.message.filter(F.chat.type == "private")
    staff = Router(name="staff-only")
    staff.message.filter(IsStaff())
    staff.callback_query.filter(IsStaff())
    staff.message.register(answer_command, Command("answer"))
    staff.message.register(redirect_command, Command("redirect"))
    staff.message.register(extend_command, Command("extend"))
    staff.message.register(close_command, Command("close"))
    staff.message.register(list_command, Command("appeals"))
    staff.message.register(formal_command, Command("formal"))
    staff.message.register(report_command, Command("report"), AppealsArgument())
    staff.message.register(export_command, Command("export"), AppealsArgument())
    staff.message.register(register_cancel, Command("cancel"), StateFilter(RegisterForm))
    staff.message.register(register_start, Command("register"))
    staff.callback_query.register(register_pressed, F.data.startswith(REGISTER))
    staff.callback_query.register(staff_button, F.data.startswith("st:"))
    staff.message.register(register_text, RegisterForm.text)
    staff.message.register(register_date, RegisterForm.received)
    admin = Router(name="staff-admin")
    admin.message.filter(IsAdmin())
    admin.message.register(staff_command, Command("staff"))
    refusal = Router(name="staff-refusal")
    refusal.message.register(refuse, Command(*STAFF_COMMANDS))
    refusal.message.register(refuse_admin, Command("staff"))
    private.include_routers(admin, staff, refusal)

    router.include_routers(group, private)
    return router
