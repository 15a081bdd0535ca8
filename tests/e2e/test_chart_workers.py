"""Charts drawn in worker processes (a forkserver pool) come back in order and equal to the
ones drawn in this process."""

from __future__ import annotations

from datetime import date

from bot.reports.chart_pool import ChartRenderer
from bot.reports.charts import PNG_SIGNATURE
from bot.reports.csi import CriterionResult, CsiReport
from bot.reports.window import csi_chart_specs
from bot.texts import charts as texts


async def test_charts_are_drawn_in_worker_processes_in_order() -> None:
    criteria = [
        CriterionResult(1, "Понятность", 40, 6.0, 9.0, 0.4),
        CriterionResult(2, "Сроки", 40, 9.0, 8.5, 0.9),
    ]
    caption = texts.window_caption(3, date(2026, 3, 2), date(2026, 3, 13), 40)
    specs = csi_chart_specs(CsiReport(respondents=40, criteria=criteria), [], 5, caption)
    renderer = ChartRenderer(workers=2)
    try:
        images = await renderer.render(specs)
    finally:
        renderer.close()
    assert [c.name for c in images] == ["csi", "matrix", "distribution"]
    assert all(c.png.startswith(PNG_SIGNATURE) and len(c.png) > 1000 for c in images)
    assert await ChartRenderer(workers=0).render(specs[:1]) == images[:1]
