"""Sending report images and files to Telegram: charts as one album, workbooks as documents."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aiogram import Bot
from aiogram.types import BufferedInputFile, InputMediaPhoto

from bot.reports.charts import Chart
from bot.reports.export import ReportFile
from bot.reports.window import WindowReport

ALBUM_LIMIT = 10
"""Telegram takes 2-10 photos per album."""


async def send_charts(bot: Bot, chat_id: int, charts: Sequence[Chart]) -> None:
    for start in range(0, len(charts), ALBUM_LIMIT):
        part = charts[start : start + ALBUM_LIMIT]
        photos = [BufferedInputFile(c.png, filename=f"{c.name}.png") for c in part]
        if len(photos) == 1:
            await bot.send_photo(chat_id, photos[0])
        else:
            await bot.send_media_group(chat_id, [InputMediaPhoto(media=p) for p in photos])


async def send_file(bot: Bot, chat_id: int, file: ReportFile) -> None:
    await bot.send_document(
        chat_id, BufferedInputFile(file.data, filename=file.filename), caption=file.caption
    )


async def send_window_report(bot: Bot, chat_ids: Iterable[int], report: WindowReport) -> None:
    """The text, then the charts as an album, to each chat (e.g. every admin when a window
    closes)."""
    for chat_id in chat_ids:
        await bot.send_message(chat_id, report.text)
        await send_charts(bot, chat_id, report.charts)
