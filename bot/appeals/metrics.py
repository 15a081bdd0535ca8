"""The seven appeal metrics of a period (domain.md, "Appeals and complaints"), from SQL
aggregates. Percentiles fetch only the one or two durations they need (ORDER BY ... OFFSET),
so no appeal rows are pulled into Python; this works the same on SQLite and PostgreSQL."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Appeal

SECONDS_PER_DAY = 86_400

PERIOD = re.compile(r"^(\d{4})(?:([QqКк])([1-4])|([HhПп])([12]))?$")
TOP_TOPICS = 10


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    label: str
    start: date  # inclusive
    end: date  # exclusive

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The period's local midnights, in UTC."""
        return (
            datetime.combine(self.start, time(), tz).astimezone(UTC),
            datetime.combine(self.end, time(), tz).astimezone(UTC),
        )


def parse_period(text: str | None, today: date) -> Period:
    """`2026Q3`, `2026H1`, `2026`; empty means the current quarter."""
    if not text:
        quarter = (today.month - 1) // 3 + 1
        return _quarter(today.year, quarter)
    match = PERIOD.match(text.strip())
    if match is None:
        raise PeriodError(text)
    year = int(match[1])
    if match[3]:
        return _quarter(year, int(match[3]))
    if match[5]:
        half = int(match[5])
        start = date(year, 1 if half == 1 else 7, 1)
        end = date(year, 7, 1) if half == 1 else date(year + 1, 1, 1)
        return Period(f"{year}H{half}", start, end)
    return Period(str(year), date(year, 1, 1), date(year + 1, 1, 1))


def _quarter(year: int, quarter: int) -> Period:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return Period(f"{year}Q{quarter}", start, end)


@dataclass(frozen=True)
class Durations:
    """Seconds from registration to the answer (or redirect)."""

    count: int
    mean: float | None
    median: float | None
    p90: float | None


@dataclass(frozen=True)
class AppealMetrics:
    period: Period
    total: int
    by_channel: list[tuple[str, int]]
    by_kind: list[tuple[str, int]]
    by_topic: list[tuple[str, int]]
    answer: Durations
    redirect: Durations
    late_redirects: int
    complaints: int
    satisfied: int
    refused: int
    overdue: int
    rated: int
    rating_mean: float | None
    rating_satisfied: int  # ratings of 4 and 5
    rating_low: int = 0  # ratings of 1 and 2
    rating_reasons: int = 0  # low ratings the citizen explained

    @staticmethod
    def share(part: int, whole: int) -> float | None:
        return part / whole if whole else None


async def appeal_metrics(
    session: AsyncSession, period: Period, tz: ZoneInfo, now: datetime
) -> AppealMetrics:
    start, end = period.bounds(tz)
    in_period = Appeal.received_at >= start, Appeal.received_at < end
    finished = func.coalesce(Appeal.answered_at, Appeal.redirected_at, Appeal.closed_at)
    late = case(
        ((finished.is_not(None)) & (finished > Appeal.due_at), 1),
        ((finished.is_(None)) & (Appeal.due_at < now), 1),
        else_=0,
    )
    totals = (
        await session.execute(
            select(
                func.count(),
                func.sum(case((Appeal.kind == "complaint", 1), else_=0)),
                func.sum(
                    case(
                        ((Appeal.kind == "complaint") & (Appeal.outcome == "satisfied"), 1), else_=0
                    )
                ),
                func.sum(
                    case(((Appeal.kind == "complaint") & (Appeal.outcome == "refused"), 1), else_=0)
                ),
                func.sum(late),
                func.count(Appeal.rating),
                func.avg(Appeal.rating),
                func.sum(case((Appeal.rating >= 4, 1), else_=0)),
                func.sum(case((Appeal.rating <= 2, 1), else_=0)),
                func.count(Appeal.rating_reason),
                func.sum(
                    case(
                        (
                            (Appeal.redirected_at.is_not(None))
                            & (Appeal.redirected_at > Appeal.redirect_due_at),
                            1,
                        ),
                        else_=0,
                    )
                ),
            ).where(*in_period)
        )
    ).one()
    (
        total,
        complaints,
        satisfied,
        refused,
        overdue,
        rated,
        rating_mean,
        rating_ok,
        rating_low,
        reasons,
        late_redir,
    ) = totals
    return AppealMetrics(
        period=period,
        total=int(total),
        by_channel=await _counts(session, Appeal.channel, in_period),
        by_kind=await _counts(session, Appeal.kind, in_period),
        by_topic=await _counts(session, Appeal.topic, in_period, limit=TOP_TOPICS),
        answer=await _durations(session, Appeal.answer_seconds, in_period),
        redirect=await _durations(session, Appeal.redirect_seconds, in_period),
        late_redirects=int(late_redir or 0),
        complaints=int(complaints or 0),
        satisfied=int(satisfied or 0),
        refused=int(refused or 0),
        overdue=int(overdue or 0),
        rated=int(rated or 0),
        rating_mean=float(rating_mean) if rating_mean is not None else None,
        rating_satisfied=int(rating_ok or 0),
        rating_low=int(rating_low or 0),
        rating_reasons=int(reasons or 0),
    )


async def _counts(
    session: AsyncSession,
    column: ColumnElement[str],
    where: tuple[ColumnElement[bool], ...],
    limit: int | None = None,
) -> list[tuple[str, int]]:
    count = func.count().label("n")
    query = select(column, count).where(*where).group_by(column).order_by(count.desc(), column)
    if limit is not None:
        query = query.limit(limit)
    return [(str(key), int(n)) for key, n in (await session.execute(query)).all()]


async def _durations(
    session: AsyncSession, column: ColumnElement[int], where: tuple[ColumnElement[bool], ...]
) -> Durations:
    scope = (*where, column.is_not(None))
    count, mean = (
        await session.execute(select(func.count(column), func.avg(column)).where(*scope))
    ).one()
    count = int(count)
    if not count:
        return Durations(0, None, None, None)

    async def percentile(q: float) -> float:
        """Linear interpolation between the two nearest ranks (numpy's default method)."""
        position = q * (count - 1)
        low = math.floor(position)
        values = list(
            await session.scalars(
                select(column).where(*scope).order_by(column).offset(low).limit(2)
            )
        )
        if len(values) == 1:
            return float(values[0])
        return values[0] + (values[1] - values[0]) * (position - low)

    return Durations(count, float(mean), await percentile(0.5), await percentile(0.9))


@dataclass(frozen=True)
class AppealChartData:
    """What the appeal charts need beyond `AppealMetrics`, still aggregated by the database."""

    answer_days: dict[int, int]
    """Whole days from registration to the answer -> number of appeals."""
    months: list[tuple[date, int, int]]
    """(first day of the month, appeals, complaints) for each month of the period."""


def _month_starts(period: Period) -> list[date]:
    months, day = [], period.start.replace(day=1)
    while day < period.end:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


async def appeal_chart_data(session: AsyncSession, period: Period, tz: ZoneInfo) -> AppealChartData:
    start, end = period.bounds(tz)
    in_period = Appeal.received_at >= start, Appeal.received_at < end
    day = Appeal.answer_seconds // SECONDS_PER_DAY
    rows = await session.execute(
        select(day, func.count())
        .where(*in_period, Appeal.answer_seconds.is_not(None))
        .group_by(day)
    )
    answer_days = {int(d): int(n) for d, n in rows}
    # One CASE per month keeps the query portable (no strftime / to_char).
    starts = _month_starts(period)
    bounds = [
        Period("", m, n).bounds(tz) for m, n in zip(starts, [*starts[1:], period.end], strict=True)
    ]
    columns = []
    for low, high in bounds:
        in_month = (Appeal.received_at >= low) & (Appeal.received_at < high)
        columns.append(func.sum(case((in_month & (Appeal.kind == "appeal"), 1), else_=0)))
        columns.append(func.sum(case((in_month & (Appeal.kind == "complaint"), 1), else_=0)))
    counts = (await session.execute(select(*columns).where(*in_period))).one()
    months = [
        (month, int(counts[2 * i] or 0), int(counts[2 * i + 1] or 0))
        for i, month in enumerate(starts)
    ]
    return AppealChartData(answer_days, months)
