"""Turning messenger-neutral replies into Telegram messages."""

from __future__ import annotations

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.chat.replies import Button, Outcome, Reply


def inline_keyboard(buttons: list[list[Button]]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=b.label, url=b.url)
                if b.url
                else InlineKeyboardButton(text=b.label, callback_data=b.action)
                for b in row
            ]
            for row in buttons
        ]
    )


async def send_replies(
    bot: Bot, chat_id: int, replies: list[Reply], editable: Message | None = None
) -> None:
    """Send replies in order; one marked `edit` replaces the message whose button was pressed."""
    for reply in replies:
        markup = inline_keyboard(reply.buttons)
        if reply.edit and editable is not None:
            try:
                await editable.edit_text(reply.text, reply_markup=markup)
                continue
            except TelegramBadRequest:
                pass  # too old to edit, or unchanged: a new message does as well
        await bot.send_message(chat_id, reply.text, reply_markup=markup)


async def answer_message(message: Message, outcome: Outcome) -> None:
    assert message.bot is not None
    await send_replies(message.bot, message.chat.id, outcome.replies)


async def answer_callback(callback: CallbackQuery, outcome: Outcome) -> None:
    """Acknowledge the press first (Telegram shows a spinner until then), then reply."""
    await callback.answer(outcome.toast or None)
    message = callback.message if isinstance(callback.message, Message) else None
    if message is None or callback.bot is None:
        return
    await send_replies(callback.bot, message.chat.id, outcome.replies, editable=message)


class TelegramMessenger:
    """Telegram side of `bot.chat.messengers.Messengers`."""

    platform = "tg"

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, user_id: int, replies: list[Reply]) -> None:
        await send_replies(self._bot, user_id, replies)
