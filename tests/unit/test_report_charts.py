"""Chart images: valid PNGs for every report kind, nothing plotted for small groups."""

from __future__ import annotations

import pytest

from bot.reports import charts
from bot.reports.charts import PNG_SIGNATURE, _point_labels
from bot.reports.csi import CriterionResult, CsiReport
from bot.reports.window import TrendPoint, csi_charts

LONG = "Простота и открытость коммуникации в процессе получения функции, ответа на обращение"


def criterion(number: int, score: float, importance: float, answers: int = 40) -> CriterionResult:
    return CriterionResult(number, f"{LONG} {number}", answers, score, importance, 0.6)


def is_png(data: bytes | None) -> bool:
    return data is not None and data.startswith(PNG_SIGNATURE) and len(data) > 1000


def test_csi_window_gives_three_charts_and_a_trend_with_two_windows() -> None:
    report = CsiReport(respondents=40, criteria=[criterion(1, 6.0, 9.0), criterion(2, 9.0, 8.5)])
    images = csi_charts(report, [], min_group=5)
    assert [c.name for c in images] == ["csi", "matrix", "distribution"]
    assert all(is_png(c.png) for c in images)
    trend = [TrendPoint("№1 02.03.2026", 68.0), TrendPoint("№2 01.09.2026", 72.5)]
    with_trend = csi_charts(report, trend, min_group=5)
    assert [c.name for c in with_trend][-1] == "trend" and is_png(with_trend[-1].png)


def test_one_point_of_trend_is_no_trend() -> None:
    report = CsiReport(respondents=40, criteria=[criterion(1, 6.0, 9.0)])
    assert len(csi_charts(report, [TrendPoint("№1", 70.0)], min_group=5)) == 3


@pytest.mark.parametrize(
    "report",
    [
        CsiReport(respondents=0),
        CsiReport(respondents=4, criteria=[criterion(1, 6.0, 9.0, answers=4)]),
        CsiReport(respondents=40, criteria=[criterion(1, 6.0, 9.0, answers=3)]),
    ],
    ids=["empty", "below-minimum-window", "below-minimum-criterion"],
)
def test_small_or_empty_windows_are_not_plotted(report: CsiReport) -> None:
    assert csi_charts(report, [], min_group=5) == []


def test_criteria_below_minimum_are_left_out_of_the_charts(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    plotted: list[list[int]] = []
    monkeypatch.setattr(
        charts, "score_distribution", lambda cs: plotted.append([c.number for c in cs]) or b""
    )
    report = CsiReport(
        respondents=40, criteria=[criterion(1, 6.0, 9.0), criterion(2, 7.0, 8.0, answers=2)]
    )
    csi_charts(report, [], min_group=5)
    assert plotted == [[1]]


def test_coinciding_points_share_one_label() -> None:
    labels = _point_labels([(1, 7.0, 9.0), (2, 7.05, 8.95), (3, 9.0, 9.0)])
    assert labels == [("1, 2", 7.0, 9.0), ("3", 9.0, 9.0)]


def test_long_labels_are_wrapped() -> None:
    assert max(len(line) for line in charts.wrap(LONG).splitlines()) <= charts.WRAP


def test_employee_charts_from_plain_numbers() -> None:
    rows = ["Качество представляемой информации", "Соблюдение сроков", "Мало ответов"]
    categories = ["Полностью", "Скорее да", "Скорее нет", "Совсем нет", "Затрудняюсь"]
    counts = [[5, 10, 3, 1, 2], [2, 3, 8, 6, 1], [1, 1, 0, 0, 0]]
    image = charts.stacked_satisfaction(
        rows, categories, counts, negative=[2, 3], min_group=5, title="Удовлетворённость"
    )
    assert is_png(image)
    assert (
        charts.stacked_satisfaction(
            rows[2:], categories, counts[2:], negative=[2, 3], min_group=5, title="т"
        )
        is None
    )
    assert is_png(charts.enps_distribution([1, 0, 2, 1, 3, 2, 5, 6, 8, 7], min_group=5))
    assert charts.enps_distribution([0, 0, 0, 0, 0, 0, 0, 0, 2, 2], min_group=5) is None
    assert is_png(charts.value_trend(["2025", "2026"], [12.0, 20.5], "eNPS", levels=False))


def test_worst_matrix_row_comes_first(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    real = charts.wrap
    monkeypatch.setattr(
        charts, "wrap", lambda label, width=charts.WRAP: seen.append(label) or real(label, width)
    )
    charts.stacked_satisfaction(
        ["Хорошо", "Плохо"], ["да", "нет"], [[9, 1], [2, 8]], negative=[1], min_group=5, title="т"
    )
    assert seen.index("Плохо") < seen.index("Хорошо")


def test_appeals_charts_from_plain_numbers() -> None:
    channels = ["Telegram", "ВКонтакте", "Сайт", "Почта", "Госуслуги (ПОС)"]
    assert is_png(charts.share_bars(channels, [40, 20, 15, 5, 30], "Каналы"))
    topics = [f"Тема {n}" for n in range(14)]
    assert is_png(charts.share_bars(topics, list(range(14)), "Темы", top=10))
    assert is_png(charts.answer_time([1, 3, 5, 10, 29, 31, 45], 30, "Срок ответа"))
    assert is_png(
        charts.monthly_trend(["01.2026", "02.2026"], {"обращения": [10, 12], "жалобы": [2, 3]}, "т")
    )
