"""The CSI window report with charts: what `/report` sends and what goes to admins when a
window closes. Charts are rendered off the event loop; small groups are never plotted."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import tzinfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import SurveyAnswer, SurveyWindow
from bot.reports import charts
from bot.reports.charts import Chart
from bot.reports.csi import CsiReport, csi_index
from bot.surveys.questionnaire import Questionnaire
from bot.texts import charts as texts
from bot.texts.common import fmt_date

TREND_WINDOWS = 8


@dataclass(frozen=True)
class TrendPoint:
    label: str
    value: float


@dataclass
class WindowReport:
    """Text (HTML) and chart images of one window; `charts` is empty when nothing may be shown."""

    window_id: int | None
    text: str
    charts: list[Chart] = field(default_factory=list)


def csi_charts(report: CsiReport, trend: list[TrendPoint], min_group: int) -> list[Chart]:
    """The images of a CSI window: CSI per criterion, importance vs score, score distribution,
    and the trend across external windows when there are at least two. Criteria answered by
    fewer than `min_group` people are not plotted."""
    criteria = [c for c in report.criteria if c.answers >= min_group]
    if report.respondents < min_group or not criteria:
        return []
    assert report.overall is not None
    images = [
        Chart("csi", charts.csi_by_criterion(criteria, report.overall)),
        Chart("matrix", charts.importance_vs_score(criteria)),
        Chart("distribution", charts.score_distribution(criteria)),
    ]
    if len(trend) >= 2:
        images.append(
            Chart(
                "trend",
                charts.value_trend(
                    [p.label for p in trend], [p.value for p in trend], texts.TREND_TITLE
                ),
            )
        )
    return images


async def render_csi_charts(
    report: CsiReport, trend: list[TrendPoint], min_group: int
) -> list[Chart]:
    return await asyncio.to_thread(csi_charts, report, trend, min_group)


async def csi_trend(
    session: AsyncSession, window: SurveyWindow, min_group: int, tz: tzinfo
) -> list[TrendPoint]:
    """Overall CSI of the external windows up to this one (the last `TREND_WINDOWS`), from one
    grouped query over the criterion scales of all of them."""
    rows = await session.scalars(
        select(SurveyWindow)
        .where(
            SurveyWindow.audience == "external",
            SurveyWindow.opens_at <= window.opens_at,
            SurveyWindow.respondents >= min_group,
        )
        .order_by(SurveyWindow.opens_at.desc(), SurveyWindow.id.desc())
        .limit(TREND_WINDOWS)
    )
    windows = list(reversed(list(rows)))
    if len(windows) < 2:
        return []
    a = SurveyAnswer
    means: dict[tuple[int, str, str], tuple[int, float]] = {}
    for window_id, question_id, scale, answers, mean in await session.execute(
        select(a.window_id, a.question_id, a.scale, func.count(a.num), func.avg(a.num))
        .where(
            a.window_id.in_([w.id for w in windows]),
            a.scale.in_(("score", "importance")),
            a.num.is_not(None),
        )
        .group_by(a.window_id, a.question_id, a.scale)
    ):
        means[(window_id, question_id, scale)] = (int(answers), float(mean))
    points = []
    for w in windows:
        values = []
        for criterion in Questionnaire.from_json(w.questionnaire).criteria():
            score = means.get((w.id, criterion.id, "score"))
            importance = means.get((w.id, criterion.id, "importance"))
            if score and importance and score[0] >= min_group:
                values.append(csi_index(importance[1], score[1]))
        if values:
            day = w.opens_at.astimezone(tz).date()
            points.append(TrendPoint(f"№{w.id} {fmt_date(day)}", sum(values) / len(values)))
    return points
