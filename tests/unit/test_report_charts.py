"""Chart images: what is drawn is read back from the matplotlib `Figure` objects before they
are rendered (bar widths and order, labels, tick labels, colours, captions), plus valid PNGs
for every report kind and nothing plotted for small groups."""

from __future__ import annotations

from datetime import date

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from bot.appeals.metrics import AppealChartData, AppealMetrics, Durations, Period
from bot.reports import charts
from bot.reports.appeal_charts import appeal_chart_specs
from bot.reports.charts import PNG_SIGNATURE, ChartSpec, _point_labels
from bot.reports.csi import CriterionResult, CsiReport
from bot.reports.employee_charts import employee_chart_specs
from bot.reports.window import TrendPoint, csi_chart_specs
from bot.surveys.questionnaire import MatrixQuestion, load_questionnaires
from bot.texts import charts as texts

LONG = "Простота и открытость коммуникации в процессе получения функции, ответа на обращение"
CAPTION = texts.window_caption(3, date(2026, 3, 2), date(2026, 3, 13), 1234)


def criterion(
    number: int, score: float, importance: float, answers: int = 40, share: float = 0.6
) -> CriterionResult:
    return CriterionResult(number, f"{LONG} {number}", answers, score, importance, share)


def is_png(data: bytes | None) -> bool:
    return data is not None and data.startswith(PNG_SIGNATURE) and len(data) > 1000


def build(spec: ChartSpec) -> Figure:
    fig = charts.figure(spec)
    assert fig is not None
    return fig


def texts_of(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.texts] + [t.get_text() for ax in fig.axes for t in ax.texts]


def ticks(axis) -> list[str]:  # type: ignore[no-untyped-def]
    formatter = axis.get_major_formatter()
    lo, hi = sorted(axis.get_view_interval())
    return [formatter(v) for v in axis.get_majorticklocs() if lo <= v <= hi]


def bars(fig: Figure) -> list[tuple[str, list[float], list[str]]]:
    """(label, widths top to bottom, colours) of every bar series of the first axes."""
    ax = fig.axes[0]
    out = []
    for container in ax.containers:
        patches = sorted(container.patches, key=lambda p: p.get_y())  # y grows downwards
        out.append(
            (
                container.get_label(),
                [p.get_width() for p in patches],
                [to_hex(p.get_facecolor()) for p in patches],
            )
        )
    return out


# --- CSI ------------------------------------------------------------------------------------
def test_csi_window_gives_three_charts_two_trends_with_two_windows() -> None:
    report = CsiReport(respondents=40, criteria=[criterion(1, 6.0, 9.0), criterion(2, 9.0, 8.5)])
    specs = csi_chart_specs(report, [], 5, CAPTION)
    assert [s.name for s in specs] == ["csi", "matrix", "distribution"]
    trend = [
        TrendPoint("№1 02.03.2026", 68.0, {f"{LONG} 1": 50.0, f"{LONG} 2": 86.0}, 21),
        TrendPoint("№2 01.09.2026", 72.5, {f"{LONG} 2": 76.5}, 40),
    ]
    specs = csi_chart_specs(report, trend, 5, CAPTION)
    assert [s.name for s in specs][-2:] == ["trend", "criteria_trend"]
    fig = build(specs[-1])
    assert len(fig.axes) == 2  # one panel per criterion
    first, second = ([list(line.get_ydata()) for line in ax.lines if line.get_marker() == "o"]
                     for ax in fig.axes)  # fmt: skip
    assert first[0][0] == 50.0 and first[0][1] != first[0][1]  # no answers: a gap (NaN), not 0
    assert second == [[86.0, 76.5]]
    assert fig.axes[0].get_title(loc="left").startswith("1. ")
    assert ticks(fig.axes[0].xaxis) == ["№1", "№2"]
    caption = " ".join(texts_of(fig)).replace("\n", " ")
    assert "№1 02.03.2026 (21 респондент)" in caption and "(40 респондентов)" in caption


def test_one_point_of_trend_is_no_trend() -> None:
    report = CsiReport(respondents=40, criteria=[criterion(1, 6.0, 9.0)])
    assert len(csi_chart_specs(report, [TrendPoint("№1", 70.0)], 5, CAPTION)) == 3


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
    assert csi_chart_specs(report, [], 5, CAPTION) == []


def test_criteria_below_minimum_are_left_out_of_the_charts() -> None:
    report = CsiReport(
        respondents=40, criteria=[criterion(1, 6.0, 9.0), criterion(2, 7.0, 8.0, answers=2)]
    )
    for spec in csi_chart_specs(report, [], 5, CAPTION):
        assert [c.number for c in spec.args[0]] == [1]


def test_csi_bars_worst_first_coloured_by_level_all_colours_in_legend() -> None:
    # CSI = imp * score: 9*9=81 (high), 8.4*8.4=70.56 (borderline), 8*8=64 (low)
    criteria = [criterion(1, 9.0, 9.0), criterion(2, 8.0, 8.0), criterion(3, 8.4, 8.4)]
    fig = build(charts.spec("csi", charts.csi_by_criterion_figure, criteria, 71.85, CAPTION))
    [(_, widths, colors)] = bars(fig)
    assert widths == pytest.approx([64.0, 70.56, 81.0])
    assert colors == [charts.RED, charts.AMBER, charts.GREEN]
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert [label.split(".")[0] for label in labels] == ["2", "3", "1"]
    legend = fig.legends[0]
    legend_colors = {
        to_hex(h.get_facecolor()) for h in legend.legend_handles if hasattr(h, "get_width")
    }
    assert set(colors) <= legend_colors
    # zoomed: 64..81 on 0..100 would squeeze the bars together
    assert ax.get_xlim() == (50.0, 90.0)
    # values sit right of the axes (axes x > 1), so no level line can cover them
    values = [t for t in ax.texts if t.get_text() in {"64,0", "70,6", "81,0"}]
    assert len(values) == 3 and all(t.get_position()[0] > 1 for t in values)
    assert {"70", "71"} <= {t.get_text().strip() for t in ax.texts}
    assert CAPTION in texts_of(fig)
    assert all("." not in label for label in ticks(ax.xaxis))


def test_csi_axis_keeps_zero_when_a_criterion_is_low() -> None:
    assert charts.csi_axis_range([20.0, 80.0]) == (0.0, 90.0)
    assert charts.csi_axis_range([64.0, 95.0]) == (50.0, 100.0)


def test_decimal_commas_on_axes() -> None:
    criteria = [criterion(1, 7.3, 9.1), criterion(2, 8.8, 8.6)]
    fig = build(charts.spec("m", charts.importance_vs_score_figure, criteria, CAPTION))
    labels = ticks(fig.axes[0].xaxis) + ticks(fig.axes[0].yaxis)
    assert any("," in label for label in labels)
    assert not any("." in label for label in labels)


def test_titles_and_captions_are_never_clipped() -> None:
    question = load_questionnaires()["employee"].questions[0]
    title = f"1. {question.text} {LONG} {LONG}"
    fig = build(
        charts.spec(
            "q", charts.stacked_satisfaction_figure, ["Строка"], ["да", "нет"], [[5, 5]],
            [charts.SATISFIED, charts.UNSATISFIED], min_group=5, title=title, caption=CAPTION,
        )
    )  # fmt: skip
    renderer = FigureCanvasAgg(fig).get_renderer()
    box = fig.bbox
    for text in fig.texts:
        extent = text.get_window_extent(renderer)
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1, text.get_text()
        assert box.y0 <= extent.y0 and extent.y1 <= box.y1, text.get_text()
    axes_top = fig.axes[0].get_window_extent(renderer).y1
    assert min(t.get_window_extent(renderer).y0 for t in fig.texts[:2]) > axes_top


# --- Employee -------------------------------------------------------------------------------
def _employee_figures(counts: dict[str, list[int]]) -> dict[str, Figure]:
    """Every matrix of the real questionnaire answered `counts[option id]` per row."""
    questionnaire = load_questionnaires()["employee"]
    choices = {
        (q.id, row.id): {o.id: counts.get(o.id, [0])[i % len(counts.get(o.id, [0]))]
                         for o in q.options}
        for q in questionnaire.questions if isinstance(q, MatrixQuestion)
        for i, row in enumerate(q.rows)
    }  # fmt: skip
    specs = employee_chart_specs(questionnaire, choices, {}, 5, CAPTION)
    return {s.name.split("_", 1)[1]: build(s) for s in specs}


def is_green(color: str) -> bool:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return g > r + 40 and g > b


def is_red(color: str) -> bool:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return r > g + 40 and r > b + 40


def is_blue(color: str) -> bool:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return b > r + 20 and b >= g


def test_employee_answers_are_coloured_by_meaning_not_position() -> None:
    counts = {"fully_yes": [3], "rather_yes": [3], "rather_no": [3], "fully_no": [3],
              "hard": [3], "never": [9], "not_involved": [9]}  # fmt: skip
    meaning = {
        "Полностью удовлетворён(а)": is_green,
        "Скорее удовлетворён(а)": is_green,
        "Скорее не удовлетворён(а)": is_red,
        "Полностью не удовлетворён(а)": is_red,
        "Затрудняюсь ответить": lambda c: c == charts.NEUTRAL_GREY,
    }
    figures = _employee_figures(counts)
    seen = set()
    for name, fig in figures.items():
        if name == "contacts":
            continue
        series = {label.replace("\n", " "): set(colors) for label, _, colors in bars(fig)}
        assert not any(label.startswith(("Не участвую", "Не взаимодейств")) for label in series)
        for label, colors in series.items():
            [color] = colors
            assert meaning[label](color), (name, label, color)
            seen.add(label)
    assert seen == set(meaning)
    # darker green = more satisfied, darker red = less satisfied
    full = {label.replace("\n", " "): colors[0] for label, _, colors in bars(figures["regulation"])}
    assert full["Полностью удовлетворён(а)"] == charts.SATISFIED_GREENS[0]
    assert full["Скорее удовлетворён(а)"] == charts.SATISFIED_GREENS[-1]
    assert full["Скорее не удовлетворён(а)"] == charts.UNSATISFIED_REDS[0]
    assert full["Полностью не удовлетворён(а)"] == charts.UNSATISFIED_REDS[-1]


def test_a_fully_dissatisfied_row_is_all_red_and_comes_first() -> None:
    counts = {"rather_yes": [9, 0], "rather_no": [1, 10], "hard": [0, 0]}
    fig = _employee_figures(counts)["colleagues"]  # rows: 9/1/0 then 0/10/0
    by_label = {label.replace("\n", " "): (widths, colors) for label, widths, colors in bars(fig)}
    assert by_label["Скорее не удовлетворён(а)"][0][0] == 100.0  # worst row on top, 100 % red
    assert by_label["Скорее удовлетворён(а)"][0][0] == 0.0
    assert is_red(by_label["Скорее не удовлетворён(а)"][1][0])


def test_frequency_matrix_gets_a_sequential_neutral_palette() -> None:
    counts = {"daily": [5], "weekly": [4], "monthly": [3], "yearly": [2], "never": [1]}
    fig = _employee_figures(counts)["contacts"]
    series = bars(fig)
    assert [label.split()[0] for label, _, _ in series] == [
        "Постоянно,",
        "Несколько",
        "Несколько",
        "Несколько",
    ]
    colors = [colors[0] for _, _, colors in series]
    assert all(is_blue(c) for c in colors) and len(set(colors)) == 4


def test_enps_counts_have_integer_ticks_and_the_caption() -> None:
    fig = build(charts.spec("e", charts.enps_distribution_figure, [1, 0, 2, 1, 3, 2, 5, 6, 8, 7],
                            min_group=5, caption=CAPTION))  # fmt: skip
    labels = ticks(fig.axes[0].yaxis)
    assert labels and all(label.lstrip("−").isdigit() for label in labels)
    assert [round(p.get_height()) for p in fig.axes[0].patches] == [1, 0, 2, 1, 3, 2, 5, 6, 8, 7]
    assert CAPTION in texts_of(fig)
    assert charts.enps_distribution_figure([0] * 8 + [2, 2], min_group=5, caption="") is None


def test_coinciding_points_share_one_label() -> None:
    labels = _point_labels([(1, 7.0, 9.0), (2, 7.05, 8.95), (3, 9.0, 9.0)])
    assert labels == [("1, 2", 7.0, 9.0), ("3", 9.0, 9.0)]


def test_long_labels_are_wrapped() -> None:
    assert max(len(line) for line in charts.wrap(LONG).splitlines()) <= charts.WRAP


# --- Appeals --------------------------------------------------------------------------------
def metrics(period: Period, complaints: int = 6) -> AppealMetrics:
    none = Durations(0, None, None, None)
    return AppealMetrics(
        period, 20, [("telegram", 12), ("email", 8)], [("appeal", 14), ("complaint", 6)],
        [("roads", 20)], none, none, 0, complaints, 2, 1, 0, 0, None, 0,
    )  # fmt: skip


def test_period_titles_in_russian() -> None:
    assert texts.period_title(date(2026, 10, 1), date(2027, 1, 1)) == "IV квартал 2026"
    assert texts.period_title(date(2026, 1, 1), date(2026, 4, 1)) == "I квартал 2026"
    assert texts.period_title(date(2026, 7, 1), date(2027, 1, 1)) == "II полугодие 2026"
    assert texts.period_title(date(2026, 1, 1), date(2027, 1, 1)) == "2026 год"
    assert texts.period_title(date(2026, 3, 2), date(2026, 3, 14)) == "02.03.2026–13.03.2026"
    assert texts.respondents(1) == "1 респондент" and texts.respondents(23) == "23 респондента"
    assert texts.respondents(100_000) == "100\u00a0000 респондентов"


def test_appeal_charts_months_to_come_are_not_zero_and_undecided_complaints_shown() -> None:
    period = Period("2026", date(2026, 1, 1), date(2027, 1, 1))
    months = [(date(2026, m, 1), 2, 1) for m in range(1, 13)]
    specs = appeal_chart_specs(
        metrics(period), AppealChartData({3: 4, 40: 1}, months), str, 30, 5, date(2026, 4, 15)
    )
    by_name = {s.name: s for s in specs}
    fig = build(by_name["appeals_by_month"])
    assert [len(line.get_xdata()) for line in fig.axes[0].lines] == [4, 4]  # Jan..Apr only
    assert all(label.lstrip("−").isdigit() for label in ticks(fig.axes[0].yaxis))
    outcomes = build(by_name["complaints_outcomes"])
    [(_, widths, _)] = bars(outcomes)
    labels = [t.get_text() for t in outcomes.axes[0].get_yticklabels()]
    assert dict(zip(labels, widths, strict=True)) == {
        texts.NO_OUTCOME: 3, texts.SATISFIED: 2, texts.REFUSED: 1,
    }  # fmt: skip
    channels = build(by_name["appeals_channels"])
    assert any("2026 год · 20 обращений" in t for t in texts_of(channels))
    assert all(label.lstrip("−").isdigit() for label in ticks(channels.axes[0].xaxis))


def test_small_appeal_periods_are_not_plotted() -> None:
    period = Period("2026Q1", date(2026, 1, 1), date(2026, 4, 1))
    small = metrics(period)
    assert appeal_chart_specs(small, AppealChartData({}, []), str, 30, 21, date(2026, 2, 1)) == []
