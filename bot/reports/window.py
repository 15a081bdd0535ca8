"""The CSI window report with charts: what `/report` sends and what goes to admins when a
window closes. Charts are rendered off the event loop; small groups are never plotted."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import tzinfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import SurveyAnswer, SurveyWindow
from bot.reports import charts
from bot.reports.charts import Chart, ChartSpec
from bot.reports.csi import CsiReport, csi_index
from bot.surveys.questionnaire import Questionnaire
from bot.texts import charts as texts
from bot.texts.common import fmt_date

TREND_WINDOWS = 8


@dataclass(frozen=True)
class TrendPoint:
    """One external window in the trend: its label, overall CSI, and CSI per criterion (by
    criterion text; criteria with too few answers in that window are absent)."""

    label: str
    value: float
    criteria: dict[str, float] = field(default_factory=dict)
    respondents: int = 0


@dataclass
class WindowReport:
    """Text (HTML) and chart images of one window; `charts` is empty when nothing may be shown."""

    window_id: int | None
    text: str
    charts: list[Chart] = field(default_factory=list)


@dataclass(frozen=True)
class PendingReport:
    """A report whose text is ready and whose charts are drawn only when `draw_charts` is
    awaited, so a messenger can send the text first."""

    window_id: int | None
    text: str
    draw_charts: Callable[[], Awaitable[list[Chart]]]


def csi_chart_specs(
    report: CsiReport, trend: list[TrendPoint], min_group: int, caption: str
) -> list[ChartSpec]:
    """The images of a CSI window: CSI per criterion, importance vs score, score distribution,
    and, when there are at least two windows, the overall CSI and each criterion's CSI across
    them. Criteria answered by fewer than `min_group` people are not plotted."""
    criteria = [c for c in report.criteria if c.answers >= min_group]
    if report.respondents < min_group or not criteria:
        return []
    assert report.overall is not None
    specs = [
        charts.spec("csi", charts.csi_by_criterion_figure, criteria, report.overall, caption),
        charts.spec("matrix", charts.importance_vs_score_figure, criteria, caption),
        charts.spec("distribution", charts.score_distribution_figure, criteria, caption),
    ]
    if len(trend) >= 2:
        labels = [p.label for p in trend]
        trend_caption = texts.trend_caption(
            [f"{p.label} ({texts.respondents(p.respondents)})" for p in trend]
        )
        specs.append(
            charts.spec(
                "trend",
                charts.value_trend_figure,
                labels,
                [p.value for p in trend],
                texts.TREND_TITLE,
                trend_caption,
            )
        )
        series = [
            (f"{c.number}. {c.text}", [p.criteria.get(c.text) for p in trend]) for c in criteria
        ]
        specs.append(
            charts.spec(
                "criteria_trend",
                charts.criteria_trend_figure,
                [label.split()[0] for label in labels],
                series,
                trend_caption,
            )
        )
    return specs


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
        values: dict[str, float] = {}
        for criterion in Questionnaire.from_json(w.questionnaire).criteria():
            score = means.get((w.id, criterion.id, "score"))
            importance = means.get((w.id, criterion.id, "importance"))
            if score and importance and score[0] >= min_group:
                values[criterion.text] = csi_index(importance[1], score[1])
        if values:
            day = w.opens_at.astimezone(tz).date()
            overall = sum(values.values()) / len(values)
            label = f"№{w.id} {fmt_date(day)}"
            points.append(TrendPoint(label, overall, values, w.respondents))
    return points
