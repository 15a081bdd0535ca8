"""The appeals workbook of a period: the analysis as text lines and the register of appeals.

Unlike survey exports it holds personal data (names, e-mails, texts), so only staff get it.
"""

from __future__ import annotations

import asyncio

from bot.appeals.metrics import Period
from bot.appeals.model import AppealView
from bot.appeals.service import AppealService
from bot.reports.export import ReportFile, StreamingWorkbook
from bot.texts import appeals as appeal_texts
from bot.texts import export as texts
from bot.texts.common import fmt_datetime, plain_text


def register_row(view: AppealView, appeals: AppealService) -> list[object]:
    local = appeals.tz

    def when(moment):  # type: ignore[no-untyped-def]
        return fmt_datetime(moment.astimezone(local)) if moment else ""

    days = (
        round((view.answered_at - view.registered_at).total_seconds() / 86_400, 1)
        if view.answered_at
        else ""
    )
    return [
        view.number,
        when(view.received_at),
        appeal_texts.CHANNEL_NAMES.get(view.channel, view.channel),
        appeal_texts.KIND_NAMES[view.kind],
        appeals.classifier.title(view.topic),
        appeal_texts.STATE_NAMES[view.state],
        when(view.due_at),
        when(view.answered_at),
        days,
        view.redirected_to or "",
        plain_text(appeal_texts.OUTCOME_NAMES[view.outcome]) if view.outcome else "",
        view.rating or "",
        view.name or "",
        view.email or "",
        view.text,
    ]


async def appeals_workbook(appeals: AppealService, period: Period) -> ReportFile:
    metrics = await appeals.metrics(period)
    views = await appeals.in_period(period)
    summary = plain_text(appeal_texts.metrics_text(metrics, appeals.classifier.title))
    rows = [register_row(v, appeals) for v in views]

    def build() -> bytes:
        book = StreamingWorkbook()
        book.plain_sheet(
            texts.APPEALS_SUMMARY_SHEET, [[line] for line in summary.split("\n")], (90,)
        )
        sheet = book.sheet(
            texts.APPEALS_REGISTER_SHEET,
            texts.APPEALS_REGISTER_COLUMNS,
            (6, 16, 14, 11, 26, 14, 16, 16, 9, 24, 16, 8, 26, 22, 60),
        )
        for row in rows:
            book.append(sheet, row)
        return book.save()

    return ReportFile(
        texts.appeals_filename(period.label),
        await asyncio.to_thread(build),
        texts.APPEALS_EXPORT_CAPTION.format(period=period.label),
    )
