"""Sending report images and files to Telegram: charts as one album, workbooks as documents."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import Bot
from aiogram.types import BufferedInputFile, InputMediaPhoto

from bot.core.ports import Document, Picture

ALBUM_LIMIT = 10
"""Telegram takes 2-10 photos per album."""


async def send_charts(bot: Bot, chat_id: int | str, charts: Sequence[Picture]) -> None:
    for start in range(0, len(charts), ALBUM_LIMIT):
        part = charts[start : start + ALBUM_LIMIT]
        photos = [BufferedInputFile(c.png, filename=f"{c.name}.png") for c in part]
        if len(photos) == 1:
            await bot.send_photo(chat_id, photos[0])
        else:
            await bot.send_media_group(chat_id, [InputMediaPhoto(media=p) for p in photos])


async def send_file(bot: Bot, chat_id: int | str, file: Document) -> None:
    await bot.send_document(
        chat_id, BufferedInputFile(file.data, filename=file.filename), caption=file.caption
    )
