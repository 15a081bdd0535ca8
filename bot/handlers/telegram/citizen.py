"""Citizens in a private chat: /start (with deep links), /appeal, /status, /privacy, /forget,
buttons, typed answers, photos and documents for an appeal, /cancel."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message

from bot.appeals.model import Attachment
from bot.chat.citizen import APPEAL_PAYLOAD, CitizenChat
from bot.core.actions import Scope
from bot.core.ports import Person
from bot.handlers.telegram.delivery import answer_callback, answer_message


def person_of(message_or_callback: Message | CallbackQuery) -> Person:
    user = message_or_callback.from_user
    assert user is not None
    return Person("tg", user.id)


async def start(message: Message, command: CommandObject, chat: CitizenChat) -> None:
    await answer_message(message, await chat.start(person_of(message), command.args))


async def appeal(message: Message, chat: CitizenChat) -> None:
    await answer_message(message, await chat.start(person_of(message), APPEAL_PAYLOAD))


async def status(message: Message, command: CommandObject, chat: CitizenChat) -> None:
    await answer_message(message, await chat.status(person_of(message), command.args))


async def cancel(message: Message, chat: CitizenChat) -> None:
    await answer_message(message, await chat.cancel(person_of(message)))


async def privacy(message: Message, chat: CitizenChat) -> None:
    await answer_message(message, await chat.privacy())


async def forget(message: Message, chat: CitizenChat) -> None:
    await answer_message(message, await chat.forget(person_of(message)))


async def pressed(callback: CallbackQuery, chat: CitizenChat) -> None:
    assert callback.data is not None
    await answer_callback(callback, await chat.action(person_of(callback), callback.data))


def attachments_of(message: Message) -> list[Attachment]:
    """Telegram file ids, not the files: the bot stores ids and staff open them in Telegram."""
    if message.photo:
        largest = message.photo[-1]
        return [Attachment("tg", "photo", largest.file_id, largest.file_size)]
    if message.document:
        doc = message.document
        return [Attachment("tg", "document", doc.file_id, doc.file_size)]
    return []


async def typed(message: Message, chat: CitizenChat) -> None:
    text = message.text if message.text is not None else message.caption
    outcome = await chat.text(person_of(message), text, attachments_of(message))
    await answer_message(message, outcome)


def make_survey_router() -> Router:
    """Survey presses, by far the most frequent update, first: no other router takes `sv:`
    buttons, and trying the staff and admin filters on each cost a tenth of a press."""
    router = Router(name="survey-presses")
    router.callback_query.register(pressed, F.data.startswith(f"{Scope.SURVEY.value}:"))
    return router


def make_router() -> Router:
    """A new router each call: aiogram routers attach to one dispatcher only, and tests and
    the demo build several."""
    router = Router(name="citizen")
    router.message.filter(F.chat.type == "private")
    router.message.register(start, CommandStart())
    router.message.register(appeal, Command("appeal"))
    router.message.register(status, Command("status"))
    router.message.register(cancel, Command("cancel"))
    router.message.register(privacy, Command("privacy"))
    router.message.register(forget, Command("forget"))
    router.callback_query.register(pressed, F.data)
    router.message.register(typed)
    return router
