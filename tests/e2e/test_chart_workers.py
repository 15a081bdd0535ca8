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


async def test_charts_drawn_lately_are_kept_within_a_bound(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from bot.reports import chart_pool, charts

    caption = texts.window_caption(3, date(2026, 3, 2), date(2026, 3, 13), 40)

    def specs(score: float):  # type: ignore[no-untyped-def]
        criteria = [CriterionResult(1, "Понятность", 40, score, 9.0, 0.4)]
        return csi_chart_specs(CsiReport(respondents=40, criteria=criteria), [], 5, caption)

    drawn: list[str] = []
    real = charts.render
    monkeypatch.setattr(charts, "render", lambda s: drawn.append(s.name) or real(s))
    renderer = ChartRenderer(workers=0)
    first = await renderer.render(specs(6.0))
    assert await renderer.render(specs(6.0)) == first
    assert drawn == ["csi", "matrix", "distribution"]  # the same data is not drawn twice
    await renderer.render(specs(6.5)[:1])  # other data: drawn anew
    assert drawn[3:] == ["csi"]
    monkeypatch.setattr(chart_pool, "CACHE_BYTES", max(len(c.png) for c in first) + 1)
    await renderer.render(specs(7.0)[:1])
    assert renderer._cached_bytes <= chart_pool.CACHE_BYTES and len(renderer._cache) == 1
