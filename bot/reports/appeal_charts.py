"""Charts of the appeals analysis for a period: channels, topics, answer time against the
deadline, complaint outcomes, and the monthly trend when the period is longer than a month."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date

from bot.appeals.metrics import AppealChartData, AppealMetrics, Period
from bot.appeals.service import AppealService
from bot.reports import charts
from bot.reports.chart_pool import ChartRenderer
from bot.reports.charts import Chart, ChartSpec
from bot.texts import appeals as appeal_texts
from bot.texts import charts as texts


def appeal_chart_specs(
    metrics: AppealMetrics,
    data: AppealChartData,
    topic_title: Callable[[str], str],
    answer_deadline_days: int,
    min_group: int,
    today: date,
) -> list[ChartSpec]:
    """Nothing for a period with fewer appeals than `min_group`: a tiny period's pictures
    would point at individual people. Months after `today` are not drawn (they have not come,
    they are not zero), and complaints still without an outcome are a bar of their own."""
    if metrics.total < min_group:
        return []
    period = texts.period_title(metrics.period.start, metrics.period.end)
    caption = texts.period_caption(period, metrics.total)
    specs = [
        charts.spec(
            "appeals_channels",
            charts.share_bars_figure,
            [appeal_texts.CHANNEL_NAMES.get(c, c) for c, _ in metrics.by_channel],
            [n for _, n in metrics.by_channel],
            texts.appeals_channels_title(period),
            caption,
        ),
        charts.spec(
            "appeals_topics",
            charts.share_bars_figure,
            [topic_title(t) for t, _ in metrics.by_topic],
            [n for _, n in metrics.by_topic],
            texts.appeals_topics_title(period),
            caption,
        ),
    ]
    days = [float(d) for d, n in sorted(data.answer_days.items()) for _ in range(n)]
    if days:
        specs.append(
            charts.spec(
                "appeals_answer_time",
                charts.answer_time_figure,
                days,
                answer_deadline_days,
                texts.ANSWER_TIME_TITLE,
                caption,
            )
        )
    if metrics.complaints:
        undecided = max(0, metrics.complaints - metrics.satisfied - metrics.refused)
        outcomes = [
            (texts.SATISFIED, metrics.satisfied),
            (texts.REFUSED, metrics.refused),
            (texts.NO_OUTCOME, undecided),
        ]
        specs.append(
            charts.spec(
                "complaints_outcomes",
                charts.share_bars_figure,
                [label for label, _ in outcomes],
                [n for _, n in outcomes],
                texts.OUTCOMES_TITLE,
                texts.complaints_caption(period, metrics.complaints),
            )
        )
    months = [m for m in data.months if m[0] <= today]
    if len(months) > 1:
        specs.append(
            charts.spec(
                "appeals_by_month",
                charts.monthly_trend_figure,
                [texts.month_label(m) for m, _, _ in months],
                {
                    appeal_texts.KIND_NAMES["appeal"]: [a for _, a, _ in months],
                    appeal_texts.KIND_NAMES["complaint"]: [c for _, _, c in months],
                },
                texts.MONTHLY_TITLE,
                caption,
            )
        )
    return specs


async def appeals_analysis(
    appeals: AppealService,
    period: Period,
    min_group: int,
    renderer: ChartRenderer,
) -> tuple[str, Callable[[], Awaitable[list[Chart]]]]:
    """The period's analysis as staff and admins get it: the metrics text at once, and a step
    that gives its charts when awaited. The chart data query and the drawing (in the
    renderer's worker processes) start as soon as the text is ready, so they overlap the
    sending of the text and never delay it (as `ReportService.report_then_charts`)."""
    metrics = await appeals.metrics(period)
    today = appeals.now().astimezone(appeals.tz).date()

    async def draw() -> list[Chart]:
        specs = appeal_chart_specs(
            metrics,
            await appeals.chart_data(period),
            appeals.classifier.title,
            appeals.terms.answer_days,
            min_group,
            today,
        )
        return await renderer.render(specs)

    drawing = asyncio.ensure_future(draw())

    async def draw_charts() -> list[Chart]:
        return await drawing

    return appeal_texts.metrics_text(metrics, appeals.classifier.title), draw_charts
