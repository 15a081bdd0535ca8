"""SQL aggregates over a window's answers: the database does the counting, Python gets one row
per question (and row, and scale), however many people answered."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import SurveyAnswer

HIGH_RATING = 8
"""8-10 counts as satisfied / important (domain.md); 1-7 as not."""


@dataclass(frozen=True)
class NumericStat:
    question_id: str
    row_id: str
    scale: str
    answers: int
    mean: float
    high: int
    """How many answers were 8-10."""


async def numeric_stats(session: AsyncSession, window_id: int) -> list[NumericStat]:
    a = SurveyAnswer
    rows = await session.execute(
        select(
            a.question_id,
            a.row_id,
            a.scale,
            func.count(a.num),
            func.avg(a.num),
            func.sum(case((a.num >= HIGH_RATING, 1), else_=0)),
        )
        .where(a.window_id == window_id, a.num.is_not(None))
        .group_by(a.question_id, a.row_id, a.scale)
    )
    return [NumericStat(q, r, s, int(n), float(m), int(h or 0)) for q, r, s, n, m, h in rows]


async def choice_counts(
    session: AsyncSession, window_id: int
) -> dict[tuple[str, str], dict[str, int]]:
    """(question, row) -> option -> count. The literal '' lets the database use the partial
    index of chosen options (a bound parameter would not match its condition)."""
    a = SurveyAnswer
    rows = await session.execute(
        select(a.question_id, a.row_id, a.choice, func.count())
        .where(a.window_id == window_id, a.choice != literal_column("''"))
        .group_by(a.question_id, a.row_id, a.choice)
    )
    out: dict[tuple[str, str], dict[str, int]] = {}
    for question_id, row_id, choice, count in rows:
        out.setdefault((question_id, row_id), {})[choice] = int(count)
    return out


async def text_counts(session: AsyncSession, window_id: int) -> dict[tuple[str, str], int]:
    a = SurveyAnswer
    rows = await session.execute(
        select(a.question_id, a.row_id, func.count())
        .where(a.window_id == window_id, a.text.is_not(None))
        .group_by(a.question_id, a.row_id)
    )
    return {(q, r): int(n) for q, r, n in rows}


PROMOTER_MIN = 9
DETRACTOR_MAX = 6
"""eNPS on the 1-10 scale (domain.md): 9-10 promoters, 1-6 detractors, 7-8 neither."""


@dataclass(frozen=True)
class RecommendStat:
    question_id: str
    answers: int
    mean: float
    promoters: int
    detractors: int


async def recommend_stats(
    session: AsyncSession, window_id: int, question_ids: list[str]
) -> dict[str, RecommendStat]:
    a = SurveyAnswer
    rows = await session.execute(
        select(
            a.question_id,
            func.count(a.num),
            func.avg(a.num),
            func.sum(case((a.num >= PROMOTER_MIN, 1), else_=0)),
            func.sum(case((a.num <= DETRACTOR_MAX, 1), else_=0)),
        )
        .where(a.window_id == window_id, a.question_id.in_(question_ids), a.num.is_not(None))
        .group_by(a.question_id)
    )
    return {
        q: RecommendStat(q, int(n), float(m), int(p or 0), int(d or 0)) for q, n, m, p, d in rows
    }


async def respondents_per_question(session: AsyncSession, window_id: int) -> dict[str, int]:
    """How many responses answered each question at all (a multiple choice has several rows
    per response, so counting rows would overstate it)."""
    a = SurveyAnswer
    rows = await session.execute(
        select(a.question_id, func.count(func.distinct(a.response_id)))
        .where(a.window_id == window_id)
        .group_by(a.question_id)
    )
    return {q: int(n) for q, n in rows}


async def numeric_distribution(
    session: AsyncSession, window_id: int, question_id: str
) -> dict[int, int]:
    """How many answers gave each value, e.g. the 1-10 of a recommend question."""
    a = SurveyAnswer
    rows = await session.execute(
        select(a.num, func.count())
        .where(a.window_id == window_id, a.question_id == question_id, a.num.is_not(None))
        .group_by(a.num)
    )
    return {int(value): int(count) for value, count in rows}
