"""Charts of an employee window: satisfaction per matrix row (worst first) and the eNPS
distribution, from the same SQL aggregates as the text report."""

from __future__ import annotations

import asyncio
from datetime import tzinfo

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import SurveyAnswer, SurveyWindow
from bot.reports import charts
from bot.reports.charts import Chart
from bot.reports.employee import enps
from bot.reports.survey_stats import (
    DETRACTOR_MAX,
    PROMOTER_MIN,
    choice_counts,
    numeric_distribution,
)
from bot.reports.window import TREND_WINDOWS
from bot.surveys.questionnaire import MatrixQuestion, Questionnaire, RecommendQuestion
from bot.texts import charts as chart_texts
from bot.texts.common import fmt_date

ChoiceCounts = dict[tuple[str, str], dict[str, int]]


def employee_charts(
    questionnaire: Questionnaire,
    choices: ChoiceCounts,
    distributions: dict[str, dict[int, int]],
    min_group: int,
) -> list[Chart]:
    """ "Not applicable" columns are left out of the bars; rows and questions answered by fewer
    than `min_group` people are never plotted (the chart functions drop them)."""
    images: list[Chart] = []
    for number, question in enumerate(questionnaire.questions, start=1):
        if isinstance(question, MatrixQuestion):
            options = [o for o in question.options if not o.na]
            neutral = [
                i
                for i, o in enumerate(options)
                if o.text.casefold().startswith(chart_texts.HARD_TO_SAY)
            ]
            counts = [
                [choices.get((question.id, row.id), {}).get(o.id, 0) for o in options]
                for row in question.rows
            ]
            png = charts.stacked_satisfaction(
                [row.text for row in question.rows],
                [o.text for o in options],
                counts,
                negative=[i for i, o in enumerate(options) if not o.satisfied and i not in neutral],
                neutral=neutral,
                min_group=min_group,
                title=f"{number}. {charts.wrap(question.text, 60)}",
            )
            if png is not None:
                images.append(Chart(f"q{number:02d}_{question.id}", png))
        elif isinstance(question, RecommendQuestion):
            values = distributions.get(question.id, {})
            png = charts.enps_distribution(
                [values.get(n, 0) for n in range(1, 11)], min_group=min_group
            )
            if png is not None:
                images.append(Chart(f"q{number:02d}_{question.id}_enps", png))
    return images


async def enps_trend(
    session: AsyncSession, window: SurveyWindow, min_group: int, tz: tzinfo
) -> list[tuple[str, float]]:
    """eNPS of the closed internal windows up to this one (the last `TREND_WINDOWS`), from
    one grouped query; empty unless there are two points to join."""
    rows = await session.scalars(
        select(SurveyWindow)
        .where(
            SurveyWindow.audience == "internal",
            SurveyWindow.closed_at.is_not(None),
            SurveyWindow.opens_at <= window.opens_at,
            SurveyWindow.respondents >= min_group,
        )
        .order_by(SurveyWindow.opens_at.desc(), SurveyWindow.id.desc())
        .limit(TREND_WINDOWS)
    )
    windows = list(reversed(list(rows)))
    recommend_ids = {
        q.id
        for w in windows
        for q in Questionnaire.from_json(w.questionnaire).questions
        if isinstance(q, RecommendQuestion)
    }
    if len(windows) < 2 or not recommend_ids:
        return []
    a = SurveyAnswer
    stats = {
        window_id: (int(n), int(p or 0), int(d or 0))
        for window_id, n, p, d in await session.execute(
            select(
                a.window_id,
                func.count(a.num),
                func.sum(case((a.num >= PROMOTER_MIN, 1), else_=0)),
                func.sum(case((a.num <= DETRACTOR_MAX, 1), else_=0)),
            )
            .where(
                a.window_id.in_([w.id for w in windows]),
                a.question_id.in_(recommend_ids),
                a.num.is_not(None),
            )
            .group_by(a.window_id)
        )
    }
    points = []
    for w in windows:
        answers, promoters, detractors = stats.get(w.id, (0, 0, 0))
        if answers >= min_group:
            day = w.opens_at.astimezone(tz).date()
            points.append((f"№{w.id} {fmt_date(day)}", enps(promoters, detractors, answers)))
    return points if len(points) >= 2 else []


async def render_employee_charts(
    session: AsyncSession,
    window: SurveyWindow,
    questionnaire: Questionnaire,
    min_group: int,
    tz: tzinfo,
) -> list[Chart]:
    choices = await choice_counts(session, window.id)
    distributions = {
        q.id: await numeric_distribution(session, window.id, q.id)
        for q in questionnaire.questions
        if isinstance(q, RecommendQuestion)
    }
    trend = await enps_trend(session, window, min_group, tz)
    images = await asyncio.to_thread(
        employee_charts, questionnaire, choices, distributions, min_group
    )
    if trend:
        png = await asyncio.to_thread(
            charts.value_trend,
            [label for label, _ in trend],
            [value for _, value in trend],
            chart_texts.ENPS_TREND_TITLE,
            levels=False,
        )
        images.append(Chart("enps_trend", png))
    return images
