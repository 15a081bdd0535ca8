"""Charts of the appeals analysis for a period: channels, topics, answer time against the
deadline, complaint outcomes, and the monthly trend when the period is longer than a month."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.appeals.metrics import AppealChartData, AppealMetrics, Period
from bot.appeals.service import AppealService
from bot.reports import charts
from bot.reports.charts import Chart
from bot.texts import appeals as appeal_texts
from bot.texts import charts as texts


def appeal_charts(
    metrics: AppealMetrics,
    data: AppealChartData,
    topic_title: Callable[[str], str],
    answer_deadline_days: int,
    min_group: int,
) -> list[Chart]:
    """Nothing for a period with fewer appeals than `min_group`: a tiny period's pictures
    would point at individual people."""
    if metrics.total < min_group:
        return []
    images = [
        Chart(
            "appeals_channels",
            charts.share_bars(
                [appeal_texts.CHANNEL_NAMES.get(c, c) for c, _ in metrics.by_channel],
                [n for _, n in metrics.by_channel],
                texts.appeals_channels_title(metrics.period.label),
            ),
        ),
        Chart(
            "appeals_topics",
            charts.share_bars(
                [topic_title(t) for t, _ in metrics.by_topic],
                [n for _, n in metrics.by_topic],
                texts.appeals_topics_title(metrics.period.label),
            ),
        ),
    ]
    days = [float(d) for d, n in sorted(data.answer_days.items()) for _ in range(n)]
    if days:
        images.append(
            Chart(
                "appeals_answer_time",
                charts.answer_time(days, answer_deadline_days, texts.ANSWER_TIME_TITLE),
            )
        )
    decided = [(texts.SATISFIED, metrics.satisfied), (texts.REFUSED, metrics.refused)]
    if metrics.satisfied + metrics.refused:
        images.append(
            Chart(
                "complaints_outcomes",
                charts.share_bars(
                    [label for label, _ in decided],
                    [n for _, n in decided],
                    texts.OUTCOMES_TITLE,
                ),
            )
        )
    if len(data.months) > 1:
        images.append(
            Chart(
                "appeals_by_month",
                charts.monthly_trend(
                    [texts.month_label(m) for m, _, _ in data.months],
                    {
                        appeal_texts.KIND_NAMES["appeal"]: [a for _, a, _ in data.months],
                        appeal_texts.KIND_NAMES["complaint"]: [c for _, _, c in data.months],
                    },
                    texts.MONTHLY_TITLE,
                ),
            )
        )
    return images


async def appeals_analysis(
    appeals: AppealService, period: Period, min_group: int
) -> tuple[str, list[Chart]]:
    """The period's analysis as staff and admins get it: the metrics text and its charts."""
    metrics = await appeals.metrics(period)
    images = await asyncio.to_thread(
        appeal_charts,
        metrics,
        await appeals.chart_data(period),
        appeals.classifier.title,
        appeals.terms.answer_days,
        min_group,
    )
    return appeal_texts.metrics_text(metrics, appeals.classifier.title), images
