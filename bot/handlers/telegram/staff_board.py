"""The Telegram staff group (TG_STAFF_CHAT_ID) as the appeals' `StaffBoard`."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import ReplyParameters

from bot.appeals.model import Attachment
from bot.core.ports import Reply, fit_replies
from bot.handlers.telegram.delivery import inline_keyboard


class TelegramStaffBoard:
    platform = "tg"

    def __init__(self, bot: Bot, chat_id: int) -> None:
        self._bot = bot
        self.chat_id = chat_id

    async def post(self, reply: Reply, attachments: list[Attachment] | None = None) -> str:
        """The card, then each Telegram attachment as a reply to it (so a reply to a photo
        finds the appeal too: its caption carries the number). Other platforms' file ids mean
        nothing to Telegram; the card counts them. A text over the limit (a digest of many
        appeals) goes as several messages; the last, with the buttons, is the card."""
        for part in fit_replies([reply]):
            card = await self._bot.send_message(
                self.chat_id, part.text, reply_markup=inline_keyboard(part.buttons)
            )
        caption = reply.text.split("\n", 1)[0]
        for item in attachments or []:
            if item.platform != "tg":
                continue
            send = self._bot.send_photo if item.kind == "photo" else self._bot.send_document
            await send(
                self.chat_id,
                item.file_id,
                caption=caption,
                reply_parameters=ReplyParameters(message_id=card.message_id),
            )
        return str(card.message_id)
