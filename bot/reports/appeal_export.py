"""The appeals workbook of a period: the analysis as tables of numbers and the register of
appeals.

Unlike survey exports it holds personal data (names, e-mails, texts), so only staff get it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.appeals.metrics import SECONDS_PER_DAY, AppealMetrics, Durations, Period
from bot.appeals.model import AppealView
from bot.appeals.service import AppealService
from bot.reports.export import ReportFile
from bot.reports.workbook import PrintableWorkbook, Section, Value
from bot.texts import appeals as appeal_texts
from bot.texts import export as texts
from bot.texts.common import plain_text


def _local(moment: datetime | None, tz: ZoneInfo) -> datetime | None:
    """A moment as the body's wall-clock time without a zone (Excel has no time zones)."""
    return moment.astimezone(tz).replace(tzinfo=None) if moment else None


def _day(moment: datetime | None, tz: ZoneInfo) -> date | None:
    local = _local(moment, tz)
    return local.date() if local else None


def register_row(view: AppealView, appeals: AppealService) -> list[Any]:
    tz = appeals.tz
    days = (
        round((view.answered_at - view.registered_at).total_seconds() / SECONDS_PER_DAY, 1)
        if view.answered_at
        else None
    )
    return [
        view.number,
        view.formal_number,
        view.formal_date,
        _local(view.received_at, tz),
        appeal_texts.CHANNEL_NAMES.get(view.channel, view.channel),
        appeal_texts.KIND_NAMES[view.kind],
        appeals.classifier.title(view.topic),
        appeal_texts.STATE_NAMES[view.state],
        _day(view.due_at, tz),
        view.extension_reason if view.extended else None,
        _day(view.answered_at, tz),
        days,
        view.executor,
        view.answer_text,
        view.redirected_to,
        plain_text(appeal_texts.OUTCOME_NAMES[view.outcome]).strip("✅❌ ")
        if view.outcome
        else None,
        view.rating,
        view.rating_reason,
        view.formal_number,
        view.formal_date,
        view.name,
        view.email,
        view.text,
    ]


def _shares(
    title: str, counts: list[tuple[str, int]], total: int, name: Callable[[str], str]
) -> Section:
    rows = [[n, name(key), count, count / total] for n, (key, count) in enumerate(counts, 1)]
    return Section(title, texts.APPEAL_SHARE_COLUMNS, rows)


def _days(seconds: float | None) -> float | None:
    return round(seconds / SECONDS_PER_DAY, 1) if seconds is not None else None


def _durations(label: str, d: Durations) -> list[Any]:
    return [None, label, d.count, _days(d.mean), _days(d.median), _days(d.p90)]


def appeals_summary(m: AppealMetrics, topic_title: Callable[[str], str]) -> list[Section]:
    """The seven metrics of the period (domain.md) as small tables of numbers."""
    share = AppealMetrics.share
    figures: list[list[Any]] = [
        [None, texts.APPEALS_PERIOD, m.period.label],
        [None, texts.APPEALS_TOTAL, Value(m.total, "int")],
        [None, texts.APPEALS_COMPLAINTS, Value(m.complaints, "int")],
        [None, texts.APPEALS_SATISFIED, Value(m.satisfied, "int")],
        [None, texts.APPEALS_SATISFIED_SHARE, Value(share(m.satisfied, m.complaints), "percent")],
        [None, texts.APPEALS_REFUSED, Value(m.refused, "int")],
        [None, texts.APPEALS_REFUSED_SHARE, Value(share(m.refused, m.complaints), "percent")],
        [None, texts.APPEALS_OVERDUE, Value(m.overdue, "int")],
        [None, texts.APPEALS_LATE_REDIRECTS, Value(m.late_redirects, "int")],
        [None, texts.APPEALS_RATED, Value(m.rated, "int")],
        [None, texts.APPEALS_RATING_MEAN, Value(m.rating_mean, "num")],
        [None, texts.APPEALS_RATING_HIGH, Value(share(m.rating_satisfied, m.rated), "percent")],
    ]
    sections = [Section(texts.KEY_FIGURES, texts.APPEAL_KEY_COLUMNS, figures)]
    if not m.total:
        return sections
    sections += [
        _shares(
            texts.APPEALS_BY_CHANNEL,
            m.by_channel,
            m.total,
            lambda c: appeal_texts.CHANNEL_NAMES.get(c, c),
        ),
        _shares(
            texts.APPEALS_BY_KIND, m.by_kind, m.total, lambda k: appeal_texts.KIND_NAMES.get(k, k)
        ),
        _shares(texts.APPEALS_BY_TOPIC, m.by_topic, m.total, topic_title),
        Section(
            texts.APPEALS_DURATIONS,
            texts.APPEAL_DURATION_COLUMNS,
            [
                _durations(texts.APPEALS_ANSWER_TIME, m.answer),
                _durations(texts.APPEALS_REDIRECT_TIME, m.redirect),
            ],
        ),
    ]
    return sections


async def appeals_workbook(appeals: AppealService, period: Period) -> ReportFile:
    metrics = await appeals.metrics(period)
    views = await appeals.in_period(period)
    summary = appeals_summary(metrics, appeals.classifier.title)
    rows = [register_row(v, appeals) for v in views]

    def build() -> bytes:
        book = PrintableWorkbook()
        book.sections(texts.APPEALS_SUMMARY_SHEET, texts.appeals_heading(period.label), summary)
        book.table(texts.APPEALS_REGISTER_SHEET, texts.APPEALS_REGISTER_COLUMNS, rows)
        return book.save()

    return ReportFile(
        texts.appeals_filename(period.label),
        await asyncio.to_thread(build),
        texts.APPEALS_EXPORT_CAPTION.format(period=period.label),
    )
