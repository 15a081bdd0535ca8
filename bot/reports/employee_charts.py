"""Charts of an employee window: satisfaction per matrix row (worst first) and the eNPS
distribution, from the same SQL aggregates as the text report."""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession

from bot.reports import charts
from bot.reports.charts import Chart
from bot.reports.survey_stats import choice_counts, numeric_distribution
from bot.surveys.questionnaire import MatrixQuestion, Questionnaire, RecommendQuestion
from bot.texts import charts as chart_texts

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


async def render_employee_charts(
    session: AsyncSession, window_id: int, questionnaire: Questionnaire, min_group: int
) -> list[Chart]:
    choices = await choice_counts(session, window_id)
    distributions = {
        q.id: await numeric_distribution(session, window_id, q.id)
        for q in questionnaire.questions
        if isinstance(q, RecommendQuestion)
    }
    return await asyncio.to_thread(
        employee_charts, questionnaire, choices, distributions, min_group
    )
