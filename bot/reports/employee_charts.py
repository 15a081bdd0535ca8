"""Charts of an employee window: satisfaction per matrix row (worst first) and the eNPS
distribution, from the same SQL aggregates as the text report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import SurveyAnswer, SurveyWindow
from bot.reports import charts
from bot.reports.charts import ChartSpec
from bot.reports.employee import enps
from bot.reports.survey_stats import (
    DETRACTOR_MAX,
    PROMOTER_MIN,
    choice_counts,
    numeric_distribution,
)
from bot.reports.window import TREND_WINDOWS
from bot.surveys.questionnaire import MatrixQuestion, Option, Questionnaire, RecommendQuestion
from bot.texts import charts as chart_texts
from bot.texts.common import fmt_date

ChoiceCounts = dict[tuple[str, str], dict[str, int]]


def option_meanings(options: Sequence[Option]) -> list[str]:
    """What each (applicable) matrix column means, from the questionnaire's flags: a matrix
    with no satisfied column is an order such as frequency, not a judgement."""
    if not any(o.satisfied for o in options):
        return [charts.ORDINAL] * len(options)
    return [
        charts.SATISFIED if o.satisfied else charts.NEUTRAL if o.neutral else charts.UNSATISFIED
        for o in options
    ]


def employee_chart_specs(
    questionnaire: Questionnaire,
    choices: ChoiceCounts,
    distributions: dict[str, dict[int, int]],
    min_group: int,
    caption: str,
) -> list[ChartSpec]:
    """ "Not applicable" columns are left out of the bars; rows and questions answered by fewer
    than `min_group` people are never plotted."""
    specs: list[ChartSpec] = []
    for number, question in enumerate(questionnaire.questions, start=1):
        if isinstance(question, MatrixQuestion):
            options = [o for o in question.options if not o.na]
            counts = [
                [choices.get((question.id, row.id), {}).get(o.id, 0) for o in options]
                for row in question.rows
            ]
            if all(sum(c) < min_group for c in counts):
                continue
            specs.append(
                charts.spec(
                    f"q{number:02d}_{question.id}",
                    charts.stacked_satisfaction_figure,
                    [row.text for row in question.rows],
                    [o.text for o in options],
                    counts,
                    option_meanings(options),
                    min_group=min_group,
                    title=f"{number}. {question.text}",
                    caption=caption,
                )
            )
        elif isinstance(question, RecommendQuestion):
            values = distributions.get(question.id, {})
            answers = [values.get(n, 0) for n in range(1, 11)]
            if sum(answers) >= min_group:
                specs.append(
                    charts.spec(
                        f"q{number:02d}_{question.id}_enps",
                        charts.enps_distribution_figure,
                        answers,
                        min_group=min_group,
                        caption=caption,
                    )
                )
    return specs


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


async def employee_chart_data(
    session: AsyncSession,
    window: SurveyWindow,
    questionnaire: Questionnaire,
    min_group: int,
    tz: tzinfo,
    caption: str,
) -> list[ChartSpec]:
    """The charts of a closed employee window as specs (to be drawn elsewhere): a bar chart per
    matrix, the eNPS distribution, and the eNPS trend across closed internal windows."""
    choices = await choice_counts(session, window.id)
    distributions = {
        q.id: await numeric_distribution(session, window.id, q.id)
        for q in questionnaire.questions
        if isinstance(q, RecommendQuestion)
    }
    trend = await enps_trend(session, window, min_group, tz)
    specs = employee_chart_specs(questionnaire, choices, distributions, min_group, caption)
    if trend:
        labels = [label for label, _ in trend]
        specs.append(
            charts.spec(
                "enps_trend",
                charts.value_trend_figure,
                labels,
                [value for _, value in trend],
                chart_texts.ENPS_TREND_TITLE,
                chart_texts.trend_caption(labels),
                levels=False,
            )
        )
    return specs
