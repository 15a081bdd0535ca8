"""Turning messenger-neutral replies into Telegram messages: text with inline keyboards
(callback or link buttons), pictures as albums, documents as files; and the Telegram
`Messenger` and channel `Outlet` the notifications fan out to."""

from __future__ import annotations

import logging
from functools import lru_cache

from aiogram import Bot
from aiogram.exceptions import AiogramError, TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.core.ports import Button, Delivery, Outcome, Reply, fit_replies, send_outcome
from bot.handlers.telegram.broadcast import Broadcaster, ChatId
from bot.handlers.telegram.files import send_charts, send_file
from bot.texts import logs

log = logging.getLogger(__name__)


def _button(button: Button) -> InlineKeyboardButton:
    if button.url is not None:
        return InlineKeyboardButton(text=button.label, url=button.url)
    return InlineKeyboardButton(text=button.label, callback_data=button.action)


def inline_keyboard(buttons: list[list[Button]]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return _markup(tuple(tuple(row) for row in buttons))


@lru_cache(maxsize=4096)
def _markup(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
    """A survey's keyboards are the same for everyone at the same question, and building one
    (a dozen pydantic models) cost more than the rest of the press; aiogram only reads them."""
    return InlineKeyboardMarkup(inline_keyboard=[[_button(b) for b in row] for row in rows])


async def _attachments(bot: Bot, chat_id: ChatId, reply: Reply) -> None:
    if reply.pictures:
        await send_charts(bot, chat_id, reply.pictures)
    for document in reply.documents:
        await send_file(bot, chat_id, document)


async def send_replies(
    bot: Bot, chat_id: ChatId, replies: list[Reply], editable: Message | None = None
) -> None:
    """Send replies in order; one marked `edit` replaces the message whose button was pressed.
    A text over the messenger's limit goes as several messages, the buttons under the last."""
    for reply in fit_replies(replies):
        markup = inline_keyboard(reply.buttons)
        if reply.edit and editable is not None:
            try:
                await editable.edit_text(reply.text, reply_markup=markup)
                continue
            except TelegramBadRequest:
                pass  # too old to edit, or unchanged: a new message does as well
        if reply.text:
            await bot.send_message(chat_id, reply.text, reply_markup=markup)
        await _attachments(bot, chat_id, reply)


async def answer_message(message: Message, outcome: Outcome) -> None:
    bot = message.bot
    assert bot is not None
    await send_outcome(lambda replies: send_replies(bot, message.chat.id, replies), outcome)


async def answer_callback(callback: CallbackQuery, outcome: Outcome) -> None:
    """Acknowledge the press first (Telegram shows a spinner until then), then reply."""
    await callback.answer(outcome.toast or None)
    message = callback.message if isinstance(callback.message, Message) else None
    if message is None or callback.bot is None:
        return
    bot = callback.bot
    await send_replies(bot, message.chat.id, outcome.replies, editable=message)
    if outcome.then is not None:
        await send_replies(bot, message.chat.id, await outcome.then())


class TelegramMessenger:
    """Telegram as a `bot.core.ports.Messenger`."""

    platform = "tg"

    def __init__(self, bot: Bot, broadcaster: Broadcaster) -> None:
        self._bot = bot
        self._broadcaster = broadcaster

    async def send(self, user_id: int, replies: list[Reply]) -> None:
        await send_replies(self._bot, user_id, replies)

    async def deliver(self, user_id: int, replies: list[Reply]) -> Delivery:
        """Texts through the rate-limited broadcaster; pictures and files after them are best
        effort: the text is what must arrive."""
        result = Delivery.SENT
        for reply in replies:
            if reply.text:
                result = await self._broadcaster.send(
                    user_id, reply.text, inline_keyboard(reply.buttons)
                )
                if result is not Delivery.SENT:
                    return result
            try:
                await _attachments(self._bot, user_id, reply)
            except AiogramError as exc:
                log.warning(logs.TG_ATTACHMENTS_FAILED, user_id, exc)
        return result

    async def link(self, payload: str) -> str | None:
        me = await self._bot.me()
        return f"https://t.me/{me.username}?start={payload}" if me.username else None


class TelegramOutlet:
    """A Telegram channel (citizens) or work chat (employees) invitations are posted to."""

    platform = "tg"

    def __init__(self, broadcaster: Broadcaster, chat_id: ChatId, audience: str) -> None:
        self._broadcaster = broadcaster
        self._chat_id = chat_id
        self.audience = audience

    async def post(self, text: str, button: Button | None) -> bool:
        markup = inline_keyboard([[button]]) if button is not None else None
        return await self._broadcaster.send(self._chat_id, text, markup) is Delivery.SENT
