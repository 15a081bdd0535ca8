"""Employee-window charts: the eNPS trend across closed internal windows."""

from __future__ import annotations

from bot.db.models import SurveyWindow
from bot.devtools.harness import RunningBot
from bot.reports.employee_charts import enps_trend
from tests.support.clock import FakeClock
from tests.support.report_data import add_responses


async def test_enps_trend_over_two_closed_windows(running: RunningBot, clock: FakeClock) -> None:
    services = running.services
    windows = services.windows
    first = await windows.open_window("employee")
    # 9, 10, 10, 7, 3: promoters 3, detractors 1 of 5 -> eNPS +40.
    await add_responses(services, first.id, [{"recommend": n} for n in (9, 10, 10, 7, 3)])
    await windows.close_window(first.id)
    second = await windows.open_window("employee")
    # 5, 6, 8, 9, 2, 7: promoters 1, detractors 3 of 6 -> eNPS (1 - 3) / 6 = -33.3.
    await add_responses(services, second.id, [{"recommend": n} for n in (5, 6, 8, 9, 2, 7)])
    async with services.sessionmaker() as session:
        window = await session.get(SurveyWindow, second.id)
        assert window is not None
        assert await enps_trend(session, window, 5, windows.tz) == []  # second still open
    await windows.close_window(second.id)
    async with services.sessionmaker() as session:
        window = await windows.get(second.id)
        assert window is not None
        points = await enps_trend(session, window, 5, windows.tz)
    assert [label for label, _ in points] == ["№1 24.12.2026", "№2 24.12.2026"]
    assert [round(v, 1) for _, v in points] == [40.0, -33.3]
