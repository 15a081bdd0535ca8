"""Chart images for reports: plain data in, a matplotlib `Figure` out, PNG bytes at the end.

Building a figure (`*_figure` functions) is kept apart from rendering it (`png`), so tests can
read back what was drawn (bar widths, labels, tick labels, colours) from the `Figure` objects,
and so the report can describe its charts as picklable `ChartSpec`s and have them drawn in
worker processes (Agg spends most of its time drawing text while holding the GIL, so threads
do not help). Only matplotlib's object API is used: pyplot keeps global state that is not safe
in a server.

Every picture carries a caption (the window's number and dates, or the appeals period, and how
many people it is about), decimal commas on every axis, integer ticks on counts, and titles
wrapped so that they are never clipped. Margins are computed in inches rather than by a layout
engine: the charts are drawn for every report and constrained layout costs a third of the time.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from bot.reports.csi import HIGH_ABOVE, LOW_BELOW, CriterionResult
from bot.texts import charts as texts
from bot.texts.common import fmt_num

WIDTH_IN = 8.0
DPI = 150
FONT = 11
WRAP = 32
TITLE_WRAP = 62
"""Characters of a title line at `FONT + 3` points that fit the 8-inch width."""
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HIGH_SCORE = 8.0
"""8-10 means satisfied / important (domain.md): the quadrant border of the matrix."""

GREEN, AMBER, RED, GREY, BLUE = "#2e7d32", "#f9a825", "#c62828", "#9e9e9e", "#1565c0"
SATISFIED_GREENS = ("#1b5e20", "#43a047", "#a5d6a7")
"""Satisfied answers, most satisfied first: the darker the green, the more satisfied."""
UNSATISFIED_REDS = ("#ef9a9a", "#e53935", "#b71c1c")
"""Not satisfied answers, mildest first ("rather not" light, "fully not" dark)."""
NEUTRAL_GREY = "#bdbdbd"
FREQUENCY_BLUES = ("#0d47a1", "#1e88e5", "#64b5f6", "#bbdefb", "#e3f2fd")
"""A sequential palette for answers that are an order, not a judgement (how often)."""

SATISFIED, UNSATISFIED, NEUTRAL, ORDINAL = "satisfied", "unsatisfied", "neutral", "ordinal"


@dataclass(frozen=True)
class Chart:
    """One rendered image; `name` doubles as the file name stem in exports and the demo."""

    name: str
    png: bytes


@dataclass(frozen=True)
class ChartSpec:
    """What to draw, without drawing it: the name of a `*_figure` function of this module and
    its arguments. Plain data, so it can be sent to a worker process."""

    name: str
    builder: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


def figure(spec: ChartSpec) -> Figure | None:
    """The figure `spec` describes, not yet rendered (tests read it back); None when a group is
    too small to plot."""
    build: Callable[..., Figure | None] = BUILDERS[spec.builder]
    return build(*spec.args, **spec.kwargs)


def render(spec: ChartSpec) -> Chart:
    """Build and render one chart; runs in a worker process."""
    fig = figure(spec)
    if fig is None:
        raise ValueError(f"chart {spec.name}: nothing to draw; the caller checks the group size")
    try:
        return Chart(spec.name, png(fig))
    finally:
        fig.clear()  # drop the artists now rather than at the next garbage collection


def png(fig: Figure) -> bytes:
    buffer = BytesIO()
    # Glyphs unhinted: at 150 dpi they look the same, and drawing takes a sixth less time.
    with rc_context({"text.hinting": "no_hinting"}):
        # zlib level 1: the file is about a quarter bigger, encoded in about half the time.
        fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def warm_up() -> None:
    """Draw a tiny picture with Cyrillic text, so fonts are loaded before the first report."""
    fig = Figure(figsize=(1, 1), dpi=20)
    fig.text(0.5, 0.5, "Жж 0,5")
    png(fig)


def wrap(label: str, width: int = WRAP) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def tick(value: float, _position: object = None) -> str:
    """An axis tick with a decimal comma: 2.5 -> '2,5', 60.0 -> '60'."""
    return f"{value:g}".replace(".", ",").replace("-", "−")


# --- Layout ---------------------------------------------------------------------------------
TITLE_LINE_IN, CAPTION_LINE_IN, TOP_PAD_IN = 0.3, 0.24, 0.12
XAXIS_IN, LEGEND_ROW_IN = 0.65, 0.28
LABEL_WIDTH_IN = 2.75
"""Room for a row label wrapped at `WRAP` characters in `FONT - 2` points."""


CAPTION_WRAP = 100


def _header_in(title: str, caption: str) -> float:
    """Inches the title and caption take; both are already wrapped."""
    lines = title.count("\n") + 1
    return TOP_PAD_IN + TITLE_LINE_IN * lines + CAPTION_LINE_IN * (caption.count("\n") + 1) + 0.15


def _header(fig: Figure, title: str, caption: str) -> None:
    """The title and, under it, the caption (window, dates, respondents), in the top margin
    reserved by `_header_in`."""
    height = fig.get_figheight()
    lines = title.count("\n") + 1
    fig.text(
        0.5,
        1 - TOP_PAD_IN / height,
        title,
        ha="center",
        va="top",
        fontsize=FONT + 3,
        linespacing=1.15,
    )
    fig.text(
        0.5,
        1 - (TOP_PAD_IN + TITLE_LINE_IN * lines + 0.04) / height,
        caption,
        ha="center",
        va="top",
        fontsize=FONT - 2,
        color="#555555",
    )


def _canvas(
    title: str,
    caption: str,
    plot_in: float,
    *,
    left_in: float = 0.9,
    right_in: float = 0.3,
    bottom_in: float = XAXIS_IN,
) -> tuple[Figure, Axes]:
    """A figure with one axes placed by inches: the title block on top, `bottom_in` under the
    plot for the x axis and the legend."""
    title, caption = wrap(title, TITLE_WRAP), wrap(caption, CAPTION_WRAP)
    top_in = _header_in(title, caption)
    height = top_in + plot_in + bottom_in
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    ax = fig.add_axes(
        (
            left_in / WIDTH_IN,
            bottom_in / height,
            1 - (left_in + right_in) / WIDTH_IN,
            plot_in / height,
        )
    )
    _header(fig, title, caption)
    return fig, ax


def _bar_canvas(
    title: str, caption: str, rows: int, legend_rows: int, right_in: float = 0.3
) -> tuple[Figure, Axes]:
    """Horizontal bars with wrapped row labels on the left and the legend under the axis."""
    return _canvas(
        title,
        caption,
        max(2.0, 0.62 * rows),
        left_in=LABEL_WIDTH_IN,
        right_in=right_in,
        bottom_in=XAXIS_IN + LEGEND_ROW_IN * legend_rows + 0.15,
    )


def _bottom_legend(fig: Figure, ncols: int, handles: Sequence[Any] | None = None) -> None:
    kwargs: dict[str, Any] = {"handles": list(handles)} if handles is not None else {}
    fig.legend(
        loc="lower center", bbox_to_anchor=(0.5, 0.01), ncols=ncols, fontsize=FONT - 2, **kwargs
    )


def _comma_ticks(ax: Axes, *, x: bool = True, y: bool = True) -> None:
    formatter = FuncFormatter(tick)
    if x:
        ax.xaxis.set_major_formatter(formatter)
    if y:
        ax.yaxis.set_major_formatter(formatter)


def _integer_ticks(axis: Any) -> None:
    """Counts are whole numbers: never a tick at 2,5 answers."""
    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(FuncFormatter(tick))


def _level_color(value: float) -> str:
    shown = round(value, 1)
    return GREEN if shown > HIGH_ABOVE else RED if shown < LOW_BELOW else AMBER


def _segment_label(ax: Axes, x: float, y: float, percent: float) -> None:
    """A percent inside a bar segment, only where the segment is wide enough to hold it."""
    if percent >= 9:
        ax.text(x, y, f"{percent:.0f}%", ha="center", va="center", color="white", fontsize=FONT)


def csi_axis_range(values: Sequence[float]) -> tuple[float, float]:
    """The CSI axis: 0-100 unless that squeezes the bars, then zoomed to tens around the data
    and the 70 / 71 levels (so a criterion at 78 and one at 84 look different)."""
    low = min([*values, LOW_BELOW])
    high = max([*values, HIGH_ABOVE])
    start = 0.0 if low < 35 else math.floor((low - 5) / 10) * 10
    end = 100.0 if high > 90 else math.ceil((high + 5) / 10) * 10
    return start, end


# --- CSI window -----------------------------------------------------------------------------
def csi_by_criterion_figure(
    criteria: Sequence[CriterionResult], overall: float, caption: str
) -> Figure:
    """CSI per criterion as horizontal bars, worst first, coloured by level (every colour in
    the legend), the 70 / 71 lines labelled above the plot and the values written to the right
    of it, where no line can cover them."""
    ordered = sorted(criteria, key=lambda c: (c.csi, c.number))
    values = [c.csi for c in ordered]
    colors = [_level_color(v) for v in values]
    levels = [
        (GREEN, texts.LEVEL_HIGH),
        (AMBER, texts.LEVEL_BORDER),
        (RED, texts.LEVEL_LOW),
    ]
    present = [(c, label) for c, label in levels if c in colors]
    fig, ax = _bar_canvas(
        texts.CSI_TITLE, caption, len(ordered), legend_rows=len(present) + 3, right_in=0.75
    )
    positions = list(range(len(ordered)))
    ax.barh(positions, values, color=colors, height=0.6)
    beside = blended_transform_factory(ax.transAxes, ax.transData)
    for y, value in zip(positions, values, strict=True):
        ax.text(1.02, y, fmt_num(value), transform=beside, va="center", ha="left", fontsize=FONT)
    ax.axvline(LOW_BELOW, color=RED, linestyle="--", linewidth=1)
    ax.axvline(HIGH_ABOVE, color=GREEN, linestyle="--", linewidth=1)
    ax.axvline(overall, color=BLUE, linewidth=2)
    above = blended_transform_factory(ax.transData, ax.transAxes)
    for x, color, align in ((LOW_BELOW, RED, "right"), (HIGH_ABOVE, GREEN, "left")):
        ax.text(x, 1.01, f" {x:.0f} ", transform=above, ha=align, va="bottom", color=color,
                fontsize=FONT - 2)  # fmt: skip
    ax.set_yticks(positions, [wrap(f"{c.number}. {c.text}") for c in ordered], fontsize=FONT - 2)
    ax.invert_yaxis()
    ax.set_xlim(*csi_axis_range([*values, overall]))
    _comma_ticks(ax, y=False)
    ax.set_xlabel(texts.CSI_AXIS, fontsize=FONT)
    handles = [
        *(Patch(color=c, label=label) for c, label in present),
        Line2D([], [], color=RED, linestyle="--", linewidth=1, label=texts.LOW_LINE),
        Line2D([], [], color=GREEN, linestyle="--", linewidth=1, label=texts.HIGH_LINE),
        Line2D([], [], color=BLUE, linewidth=2, label=texts.overall_line(overall)),
    ]
    _bottom_legend(fig, 1, handles)
    return fig


def _point_labels(points: Sequence[tuple[int, float, float]]) -> list[tuple[str, float, float]]:
    """Numbers of criteria whose points (almost) coincide are written once, joined, so the
    labels never lie on top of each other."""
    groups: list[tuple[list[int], float, float]] = []
    for number, x, y in points:
        for numbers, gx, gy in groups:
            if abs(gx - x) < 0.15 and abs(gy - y) < 0.15:
                numbers.append(number)
                break
        else:
            groups.append(([number], x, y))
    return [(", ".join(map(str, numbers)), x, y) for numbers, x, y in groups]


def importance_vs_score_figure(criteria: Sequence[CriterionResult], caption: str) -> Figure:
    """Each criterion a numbered point (score across, importance up); the key lists the names.
    The "important but weak" quadrant is shaded: those criteria are the priorities."""
    key = [wrap(f"{c.number}. {c.text}", 70) for c in criteria]
    key_lines = sum(k.count("\n") + 1 for k in key)
    key_in = 0.3 + 0.19 * key_lines
    fig, ax = _canvas(texts.MATRIX_TITLE, caption, 5.0, bottom_in=XAXIS_IN + key_in)
    xs = [c.mean_score for c in criteria]
    ys = [c.mean_importance for c in criteria]
    low = min([*xs, *ys, HIGH_SCORE]) - 0.6
    ax.set_xlim(low, 10.3)
    ax.set_ylim(low, 10.3)
    ax.axvspan(low, HIGH_SCORE, ymin=(HIGH_SCORE - low) / (10.3 - low), color=RED, alpha=0.12)
    ax.text(low + 0.1, 10.2, texts.PRIORITY_QUADRANT, va="top", fontsize=FONT - 1, color=RED)
    ax.axvline(HIGH_SCORE, color=GREY, linewidth=1)
    ax.axhline(HIGH_SCORE, color=GREY, linewidth=1)
    ax.scatter(xs, ys, s=60, color=BLUE, zorder=3)
    points = [(c.number, c.mean_score, c.mean_importance) for c in criteria]
    for label, x, y in _point_labels(points):
        ax.annotate(
            label, (x, y), xytext=(6, -4), textcoords="offset points", fontsize=FONT, zorder=4
        )
    _comma_ticks(ax)
    ax.set_xlabel(texts.SCORE_AXIS, fontsize=FONT)
    ax.set_ylabel(texts.IMPORTANCE_AXIS, fontsize=FONT)
    fig.text(0.02, key_in / fig.get_figheight(), "\n".join(key), va="top", fontsize=FONT - 2)
    return fig


def score_distribution_figure(criteria: Sequence[CriterionResult], caption: str) -> Figure:
    """Share of scores 1-7 against 8-10 per criterion as 100 % stacked bars, the criterion
    with the fewest satisfied first."""
    ordered = sorted(criteria, key=lambda c: (c.satisfied_share, c.number))
    fig, ax = _bar_canvas(texts.DISTRIBUTION_TITLE, caption, len(ordered), legend_rows=1)
    positions = list(range(len(ordered)))
    high = [c.satisfied_share * 100 for c in ordered]
    low = [100 - h for h in high]
    ax.barh(positions, low, color=RED, height=0.6, label=texts.SCORES_LOW)
    ax.barh(positions, high, left=low, color=GREEN, height=0.6, label=texts.SCORES_HIGH)
    for y, lo, hi in zip(positions, low, high, strict=True):
        _segment_label(ax, lo / 2, y, lo)
        _segment_label(ax, lo + hi / 2, y, hi)
    ax.set_yticks(positions, [wrap(f"{c.number}. {c.text}") for c in ordered], fontsize=FONT - 2)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    _comma_ticks(ax, y=False)
    ax.set_xlabel(texts.SHARE_AXIS, fontsize=FONT)
    _bottom_legend(fig, ncols=2)
    return fig


def value_trend_figure(
    labels: Sequence[str],
    values: Sequence[float],
    title: str,
    caption: str,
    *,
    levels: bool = True,
) -> Figure:
    """A value across windows (overall CSI per external window, eNPS per internal);
    `levels` draws the CSI 70 / 71 lines."""
    fig, ax = _canvas(title, caption, 3.4, bottom_in=XAXIS_IN + 0.25)
    positions = list(range(len(values)))
    ax.plot(positions, values, marker="o", color=BLUE, linewidth=2)
    for x, value in zip(positions, values, strict=True):
        ax.annotate(
            fmt_num(value), (x, value), xytext=(0, 8), textcoords="offset points", ha="center"
        )
    if levels:
        ax.axhline(LOW_BELOW, color=RED, linestyle="--", linewidth=1, label=texts.LOW_LINE)
        ax.axhline(HIGH_ABOVE, color=GREEN, linestyle="--", linewidth=1, label=texts.HIGH_LINE)
        ax.legend(fontsize=FONT - 2, loc="lower left")
    ax.set_xticks(positions, [wrap(label, 12) for label in labels], fontsize=FONT - 2)
    ax.margins(x=0.08, y=0.2)
    _comma_ticks(ax, x=False)
    return fig


def criteria_trend_figure(
    windows: Sequence[str],
    criteria: Sequence[tuple[str, Sequence[float | None]]],
    caption: str,
) -> Figure:
    """CSI of every criterion across windows, one small panel per criterion on a shared scale
    with the 70 / 71 lines; a window where a criterion had too few answers leaves a gap."""
    columns = 2
    rows = math.ceil(len(criteria) / columns)
    panel_in, gap_in = 1.45, 0.75
    title, caption = wrap(texts.CRITERIA_TREND_TITLE, TITLE_WRAP), wrap(caption, CAPTION_WRAP)
    top_in = _header_in(title, caption)
    height = top_in + rows * (panel_in + gap_in) + 0.1
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    _header(fig, title, caption)
    known = [v for _, series in criteria for v in series if v is not None]
    low, high = csi_axis_range(known)
    width_in = (WIDTH_IN - 0.7 - 0.55 * columns) / columns
    positions = list(range(len(windows)))
    for index, (name, series) in enumerate(criteria):
        row, column = divmod(index, columns)
        left = 0.6 + column * (width_in + 0.55)
        bottom = height - top_in - (row + 1) * (panel_in + gap_in) + 0.35
        ax = fig.add_axes(
            (left / WIDTH_IN, bottom / height, width_in / WIDTH_IN, panel_in / height)
        )
        ax.axhline(LOW_BELOW, color=RED, linestyle="--", linewidth=0.8)
        ax.axhline(HIGH_ABOVE, color=GREEN, linestyle="--", linewidth=0.8)
        ys = [math.nan if v is None else v for v in series]
        ax.plot(positions, ys, marker="o", color=BLUE, linewidth=1.5, markersize=4)
        last = max((i for i, v in enumerate(series) if v is not None), default=None)
        if last is not None:
            value = series[last]
            assert value is not None
            ax.annotate(fmt_num(value), (last, value), xytext=(4, 4), textcoords="offset points",
                        fontsize=FONT - 3)  # fmt: skip
        ax.set_ylim(low, high)
        ax.set_xlim(-0.3, len(windows) - 0.7)
        ax.set_xticks(positions, list(windows), fontsize=FONT - 4)
        ax.tick_params(axis="y", labelsize=FONT - 4)
        _comma_ticks(ax, x=False)
        ax.set_title(wrap(name, 44), fontsize=FONT - 3, loc="left")
    return fig


# --- Employee survey ------------------------------------------------------------------------
def meaning_colors(meanings: Sequence[str]) -> list[str]:
    """A colour for each answer option from what it means, never from its position:
    satisfied ones green (darker the more satisfied, in the questionnaire's order), not
    satisfied ones red (darker the less satisfied), "hard to say" grey, and an order without a
    judgement (how often) a sequential blue."""
    satisfied = [i for i, m in enumerate(meanings) if m == SATISFIED]
    unsatisfied = [i for i, m in enumerate(meanings) if m == UNSATISFIED]
    ordinal = [i for i, m in enumerate(meanings) if m == ORDINAL]

    def shades(palette: Sequence[str], count: int) -> list[str]:
        if count == 1:
            return [palette[len(palette) // 2]]
        return [palette[round(k * (len(palette) - 1) / (count - 1))] for k in range(count)]

    colors = [NEUTRAL_GREY] * len(meanings)
    for indices, palette in (
        (satisfied, SATISFIED_GREENS),
        (unsatisfied, UNSATISFIED_REDS),
        (ordinal, FREQUENCY_BLUES),
    ):
        for i, color in zip(indices, shades(palette, len(indices)), strict=True):
            colors[i] = color
    return colors


def stacked_satisfaction_figure(
    rows: Sequence[str],
    categories: Sequence[str],
    counts: Sequence[Sequence[int]],
    meanings: Sequence[str],
    *,
    min_group: int,
    title: str,
    caption: str,
) -> Figure | None:
    """One 100 % bar per matrix row, split by answer, coloured by `meanings` (see
    `meaning_colors`); the row with the largest share of not satisfied answers first (for an
    order such as frequency: the questionnaire's row order). Rows answered by fewer than
    `min_group` people are left out; None when no row is left."""
    kept = [(r, c) for r, c in zip(rows, counts, strict=True) if sum(c) >= min_group]
    if not kept:
        return None
    negative = [i for i, m in enumerate(meanings) if m == UNSATISFIED]
    if negative:
        kept.sort(key=lambda rc: -sum(rc[1][i] for i in negative) / sum(rc[1]))
    colors = meaning_colors(meanings)
    legend_rows = math.ceil(len(categories) / 3) * 2
    fig, ax = _bar_canvas(title, caption, len(kept), legend_rows=legend_rows)
    positions = list(range(len(kept)))
    left = [0.0] * len(kept)
    for index, category in enumerate(categories):
        shares = [c[index] / sum(c) * 100 for _, c in kept]
        ax.barh(
            positions, shares, left=left, color=colors[index], height=0.6,
            label=wrap(category, 24),
        )  # fmt: skip
        for y, x, share in zip(positions, left, shares, strict=True):
            _segment_label(ax, x + share / 2, y, share)
        left = [a + b for a, b in zip(left, shares, strict=True)]
    ax.set_yticks(positions, [wrap(r) for r, _ in kept], fontsize=FONT - 2)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    _comma_ticks(ax, y=False)
    ax.set_xlabel(texts.SHARE_AXIS, fontsize=FONT)
    _bottom_legend(fig, ncols=min(3, len(categories)))
    return fig


def enps_distribution_figure(
    counts: Sequence[int], *, min_group: int, caption: str
) -> Figure | None:
    """Answers 1-10 to "would you recommend": detractors 1-6, passives 7-8, promoters 9-10,
    with eNPS = share of 9-10 minus share of 1-6 and the mean in the title."""
    if len(counts) != 10:
        raise ValueError("eNPS needs the counts of the answers 1..10")
    total = sum(counts)
    if total < min_group:
        return None
    enps = (sum(counts[8:]) - sum(counts[:6])) / total * 100
    mean = sum((i + 1) * n for i, n in enumerate(counts)) / total
    fig, ax = _canvas(texts.enps_title(enps, mean), caption, 3.4, bottom_in=XAXIS_IN + 0.35)
    scores = list(range(1, 11))
    colors = [RED] * 6 + [GREY] * 2 + [GREEN] * 2
    ax.bar(scores, counts, color=colors)
    for x, n in zip(scores, counts, strict=True):
        if n:
            ax.annotate(str(n), (x, n), xytext=(0, 3), textcoords="offset points", ha="center")
    ax.set_xticks(scores)
    _integer_ticks(ax.yaxis)
    ax.set_xlabel(texts.ENPS_AXIS, fontsize=FONT)
    ax.set_ylabel(texts.ANSWERS_AXIS, fontsize=FONT)
    ax.margins(y=0.15)
    handles = [
        Patch(color=RED, label=texts.DETRACTORS),
        Patch(color=GREY, label=texts.PASSIVES),
        Patch(color=GREEN, label=texts.PROMOTERS),
    ]
    _bottom_legend(fig, 3, handles)
    return fig


# --- Appeals --------------------------------------------------------------------------------
def share_bars_figure(
    labels: Sequence[str], counts: Sequence[int], title: str, caption: str, top: int = 10
) -> Figure:
    """Counts with percent shares, largest first, at most `top` bars (channels, topics,
    complaint outcomes); the rest are summed into "other"."""
    pairs = sorted(zip(labels, counts, strict=True), key=lambda p: -p[1])
    if len(pairs) > top:
        pairs = [*pairs[: top - 1], (texts.OTHER, sum(n for _, n in pairs[top - 1 :]))]
    total = sum(n for _, n in pairs) or 1
    fig, ax = _bar_canvas(title, caption, len(pairs), legend_rows=0)
    positions = list(range(len(pairs)))
    values = [n for _, n in pairs]
    ax.barh(positions, values, color=BLUE, height=0.6)
    for y, n in zip(positions, values, strict=True):
        ax.text(n, y, f" {n} ({n / total * 100:.0f}%)", va="center", fontsize=FONT)
    ax.set_yticks(positions, [wrap(label) for label, _ in pairs], fontsize=FONT - 2)
    ax.invert_yaxis()
    ax.set_xlim(0, max(values, default=1) * 1.35 or 1)
    _integer_ticks(ax.xaxis)
    ax.set_xlabel(texts.ANSWERS_AXIS, fontsize=FONT)
    return fig


def answer_time_figure(
    days: Sequence[float], deadline_days: float, title: str, caption: str
) -> Figure:
    """Histogram of days from registration to answer, with the legal deadline marked."""
    late = sum(1 for d in days if d > deadline_days)
    fig, ax = _canvas(
        f"{title}. {texts.late_share(late, len(days))}", caption, 3.4, bottom_in=XAXIS_IN + 0.1
    )
    upper = max([*days, deadline_days]) + 1
    bins = [x * upper / 15 for x in range(16)]
    ax.hist(days, bins=bins, color=BLUE, edgecolor="white")
    ax.axvline(deadline_days, color=RED, linestyle="--", label=texts.deadline_line(deadline_days))
    _integer_ticks(ax.yaxis)
    _comma_ticks(ax, y=False)
    ax.set_xlabel(texts.DAYS_AXIS, fontsize=FONT)
    ax.set_ylabel(texts.ANSWERS_AXIS, fontsize=FONT)
    ax.legend(fontsize=FONT - 2)
    return fig


def monthly_trend_figure(
    months: Sequence[str], series: dict[str, Sequence[int]], title: str, caption: str
) -> Figure:
    """Counts per month, one line per series (e.g. appeals and complaints); the caller passes
    only the months that have begun."""
    fig, ax = _canvas(title, caption, 3.4, bottom_in=XAXIS_IN + 0.1)
    positions = list(range(len(months)))
    for name, values in series.items():
        ax.plot(positions, list(values), marker="o", linewidth=2, label=name)
    ax.set_xticks(positions, list(months), fontsize=FONT - 2)
    ax.set_ylim(bottom=0)
    ax.margins(y=0.15)
    _integer_ticks(ax.yaxis)
    ax.set_ylabel(texts.ANSWERS_AXIS, fontsize=FONT)
    ax.legend(fontsize=FONT - 2)
    return fig


BUILDERS: dict[str, Callable[..., Any]] = {
    f.__name__: f
    for f in (
        csi_by_criterion_figure,
        importance_vs_score_figure,
        score_distribution_figure,
        value_trend_figure,
        criteria_trend_figure,
        stacked_satisfaction_figure,
        enps_distribution_figure,
        share_bars_figure,
        answer_time_figure,
        monthly_trend_figure,
    )
}


def spec(name: str, builder: Callable[..., Any], *args: Any, **kwargs: Any) -> ChartSpec:
    """A `ChartSpec` for one of the builders above, named by the function itself."""
    if BUILDERS.get(builder.__name__) is not builder:
        raise ValueError(f"{builder.__name__} is not a chart builder")
    return ChartSpec(name, builder.__name__, args, kwargs)
