"""Staff in Telegram: the staff group (TG_STAFF_CHAT_ID) through `StaffRoom`, as on VK and
MAX, and private commands, each a call to `StaffChat`; what it does not take in a private chat
falls through to the admin and citizen routers."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, CommandObject, Filter
from aiogram.types import CallbackQuery, Message

from bot.chat.staff import STAFF_COMMANDS, StaffChat
from bot.chat.words import StaffRoom
from bot.core.actions import Scope, parse
from bot.core.ports import Outcome
from bot.handlers.telegram.citizen import person_of
from bot.handlers.telegram.delivery import answer_callback, answer_message

COMMANDS = (*STAFF_COMMANDS, "staff", "cancel", "report", "export")


class InStaffChat(Filter):
    async def __call__(self, event: Message | CallbackQuery, staff_chat_id: int | None) -> bool:
        message = event.message if isinstance(event, CallbackQuery) else event
        return (
            staff_chat_id is not None
            and isinstance(message, Message)
            and message.chat.id == staff_chat_id
        )


def _display(event: Message | CallbackQuery) -> str:
    return event.from_user.full_name if event.from_user is not None else ""


async def _answer_or_skip(message: Message, outcome: Outcome | None) -> None:
    if outcome is None:
        raise SkipHandler
    await answer_message(message, outcome)


async def staff_command(message: Message, command: CommandObject, staff_chat: StaffChat) -> None:
    outcome = await staff_chat.command(
        person_of(message), command.command, command.args, _display(message)
    )
    await _answer_or_skip(message, outcome)


def _reply_to(message: Message) -> str | None:
    """The id of the bot's message this one replies to (an appeal's post), if any."""
    replied = message.reply_to_message
    from_bot = replied is not None and replied.from_user is not None and replied.from_user.is_bot
    return str(replied.message_id) if replied is not None and from_bot else None


async def staff_text(message: Message, staff_chat: StaffChat) -> None:
    """A reply to an appeal's post (by its message id) or the next step of a staff dialog."""
    await _answer_or_skip(
        message, await staff_chat.text(person_of(message), message.text, _reply_to(message))
    )


async def group_message(message: Message, staff_room: StaffRoom) -> None:
    """The staff group, as on VK and MAX (`StaffRoom`): what it does not take is the
    colleagues' own chat and gets no answer."""
    outcome = await staff_room.text(
        person_of(message), message.text or "", _reply_to(message), _display(message)
    )
    await answer_message(message, outcome)


async def group_pressed(callback: CallbackQuery, staff_room: StaffRoom) -> None:
    outcome = await staff_room.press(person_of(callback), callback.data or "", _display(callback))
    await answer_callback(callback, outcome)


async def staff_pressed(callback: CallbackQuery, staff_chat: StaffChat) -> None:
    pressed = parse(callback.data)
    assert pressed is not None
    outcome = await staff_chat.action(person_of(callback), pressed, _display(callback))
    await answer_callback(callback, outcome)


def make_router() -> Router:
    router = Router(name="staff")
    buttons = F.data.startswith(f"{Scope.STAFF.value}:") | F.data.startswith(
        f"{Scope.REGISTER.value}:"
    )

    group = Router(name="staff-group")
    group.message.filter(InStaffChat())
    group.callback_query.filter(InStaffChat())
    group.callback_query.register(group_pressed, buttons)
    group.message.register(group_message, F.text)

    private = Router(name="staff-private")
    private.message.filter(F.chat.type == "private")
    private.message.register(staff_command, Command(*COMMANDS))
    private.message.register(staff_text, F.text, ~F.text.startswith("/"))
    private.callback_query.register(staff_pressed, buttons)

    router.include_routers(group, private)
    return router
