"""Chart images for reports: plain data in, PNG bytes out.

Only matplotlib's object API is used (`Figure()` rendered by Agg into a buffer): pyplot keeps
global state that is not safe in a server running several reports at once. Every function is
synchronous and CPU-bound, so callers run it with `asyncio.to_thread`. Figures are 1200 px
wide with large fonts, so they stay readable on a phone; long labels are wrapped rather than
allowed to run into each other.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bot.reports.csi import HIGH_ABOVE, LOW_BELOW, CriterionResult
from bot.texts import charts as texts
from bot.texts.common import fmt_num

WIDTH_IN = 8.0
DPI = 150
FONT = 11
WRAP = 32
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HIGH_SCORE = 8.0
"""8-10 means satisfied / important (domain.md): the quadrant border of the matrix."""

GREEN, AMBER, RED, GREY, BLUE = "#2e7d32", "#f9a825", "#c62828", "#9e9e9e", "#1565c0"
SATISFACTION_COLORS = ("#2e7d32", "#81c784", "#ef9a9a", "#c62828", "#bdbdbd")


@dataclass(frozen=True)
class Chart:
    """One rendered image; `name` doubles as the file name stem in exports and the demo."""

    name: str
    png: bytes


def wrap(label: str, width: int = WRAP) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def _figure(height: float) -> Figure:
    return Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")


LABEL_WIDTH_IN = 2.75
"""Room for a row label wrapped at `WRAP` characters in `FONT - 2` points."""
TITLE_IN, XAXIS_IN, LEGEND_ROW_IN = 0.55, 0.65, 0.28


def _fixed_axes(rows: int, legend_rows: int) -> tuple[Figure, Axes]:
    """A bar chart with margins computed in inches rather than by a layout engine: the CSI
    charts are drawn for every report, and constrained layout would cost a third of the time.
    Row labels are wrapped to `WRAP` characters, so `LABEL_WIDTH_IN` always holds them."""
    bottom = XAXIS_IN + LEGEND_ROW_IN * legend_rows + 0.15
    height = TITLE_IN + bottom + max(2.0, 0.62 * rows)
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    ax = fig.add_axes(
        (
            LABEL_WIDTH_IN / WIDTH_IN,
            bottom / height,
            1 - (LABEL_WIDTH_IN + 0.3) / WIDTH_IN,
            1 - (bottom + TITLE_IN) / height,
        )
    )
    return fig, ax


def _bottom_legend(fig: Figure, ncols: int) -> None:
    fig.legend(loc="lower center", bbox_to_anchor=(0.5, 0.01), ncols=ncols, fontsize=FONT - 2)


def _png(fig: Figure) -> bytes:
    buffer = BytesIO()
    # zlib level 1: the file is about a quarter bigger, encoded in about half the time.
    fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _level_color(value: float) -> str:
    shown = round(value, 1)
    return GREEN if shown > HIGH_ABOVE else RED if shown < LOW_BELOW else AMBER


def _bar_height(rows: int) -> float:
    """Height that gives every (wrapped) row label room: about 0.55 inch a row."""
    return max(3.5, 2.2 + 0.55 * rows)


# --- CSI window -----------------------------------------------------------------------------
def csi_by_criterion(criteria: Sequence[CriterionResult], overall: float) -> bytes:
    """CSI per criterion as horizontal bars, the 70 / 71 level lines and the overall value."""
    fig, ax = _fixed_axes(len(criteria), legend_rows=3)
    labels = [wrap(f"{c.number}. {c.text}") for c in criteria]
    values = [c.csi for c in criteria]
    positions = range(len(criteria))
    ax.barh(positions, values, color=[_level_color(v) for v in values], height=0.6)
    for y, value in zip(positions, values, strict=True):
        inside = value >= 15
        ax.text(
            value - 1 if inside else value + 1,
            y,
            fmt_num(value),
            va="center",
            ha="right" if inside else "left",
            color="white" if inside else "black",
            fontsize=FONT,
        )
    ax.axvline(LOW_BELOW, color=RED, linestyle="--", linewidth=1, label=texts.LOW_LINE)
    ax.axvline(HIGH_ABOVE, color=GREEN, linestyle="--", linewidth=1, label=texts.HIGH_LINE)
    ax.axvline(overall, color=BLUE, linewidth=2, label=texts.overall_line(overall))
    ax.set_yticks(list(positions), labels, fontsize=FONT - 2)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(texts.CSI_AXIS, fontsize=FONT)
    ax.set_title(texts.CSI_TITLE, fontsize=FONT + 3)
    _bottom_legend(fig, ncols=1)
    return _png(fig)


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


def importance_vs_score(criteria: Sequence[CriterionResult]) -> bytes:
    """Each criterion a numbered point (score across, importance up); the key lists the names.
    The "important but weak" quadrant is shaded: those criteria are the priorities."""
    key = [wrap(f"{c.number}. {c.text}", 70) for c in criteria]
    key_lines = sum(k.count("\n") + 1 for k in key)
    key_height = 0.3 + 0.19 * key_lines
    plot_height = 5.0
    height = TITLE_IN + plot_height + XAXIS_IN + key_height
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    ax = fig.add_axes(
        (0.9 / WIDTH_IN, (key_height + XAXIS_IN) / height, 1 - 1.2 / WIDTH_IN, plot_height / height)
    )
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
    ax.set_xlabel(texts.SCORE_AXIS, fontsize=FONT)
    ax.set_ylabel(texts.IMPORTANCE_AXIS, fontsize=FONT)
    ax.set_title(texts.MATRIX_TITLE, fontsize=FONT + 3)
    fig.text(0.02, key_height / height, "\n".join(key), va="top", ha="left", fontsize=FONT - 2)
    return _png(fig)


def score_distribution(criteria: Sequence[CriterionResult]) -> bytes:
    """Share of scores 1-7 against 8-10 per criterion, as 100 % stacked bars."""
    fig, ax = _fixed_axes(len(criteria), legend_rows=1)
    positions = list(range(len(criteria)))
    high = [c.satisfied_share * 100 for c in criteria]
    low = [100 - h for h in high]
    ax.barh(positions, low, color=RED, height=0.6, label=texts.SCORES_LOW)
    ax.barh(positions, high, left=low, color=GREEN, height=0.6, label=texts.SCORES_HIGH)
    for y, lo, hi in zip(positions, low, high, strict=True):
        _segment_label(ax, lo / 2, y, lo)
        _segment_label(ax, lo + hi / 2, y, hi)
    ax.set_yticks(positions, [wrap(f"{c.number}. {c.text}") for c in criteria], fontsize=FONT - 2)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(texts.SHARE_AXIS, fontsize=FONT)
    ax.set_title(texts.DISTRIBUTION_TITLE, fontsize=FONT + 3)
    _bottom_legend(fig, ncols=2)
    return _png(fig)


def _segment_label(ax, x: float, y: float, percent: float) -> None:  # type: ignore[no-untyped-def]
    """A percent inside a bar segment, only where the segment is wide enough to hold it."""
    if percent >= 9:
        ax.text(x, y, f"{percent:.0f}%", ha="center", va="center", color="white", fontsize=FONT)


def value_trend(
    labels: Sequence[str], values: Sequence[float], title: str, *, levels: bool = True
) -> bytes:
    """A value across windows or months (overall CSI per external window, eNPS per internal);
    `levels` draws the CSI 70 / 71 lines."""
    fig = _figure(4.5)
    ax = fig.add_subplot()
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
    ax.set_title(title, fontsize=FONT + 3)
    return _png(fig)


# --- Employee survey ------------------------------------------------------------------------
def stacked_satisfaction(
    rows: Sequence[str],
    categories: Sequence[str],
    counts: Sequence[Sequence[int]],
    *,
    negative: Sequence[int],
    min_group: int,
    title: str,
    neutral: Sequence[int] = (),
) -> bytes | None:
    """One 100 % bar per matrix row, split by answer category, worst row (largest share of the
    `negative` categories) first. `neutral` categories ("hard to say") are drawn grey, the
    others in the satisfied-to-unsatisfied palette. Rows answered by fewer than `min_group`
    people are left out; None when no row is left."""
    kept = [(r, c) for r, c in zip(rows, counts, strict=True) if sum(c) >= min_group]
    if not kept:
        return None
    kept.sort(key=lambda rc: -sum(rc[1][i] for i in negative) / sum(rc[1]))
    fig = _figure(_bar_height(len(kept)))
    ax = fig.add_subplot()
    positions = list(range(len(kept)))
    left = [0.0] * len(kept)
    for index, category in enumerate(categories):
        shares = [c[index] / sum(c) * 100 for _, c in kept]
        palette_index = sum(1 for i in range(index) if i not in neutral)
        color = (
            SATISFACTION_COLORS[-1]
            if index in neutral
            else SATISFACTION_COLORS[palette_index % (len(SATISFACTION_COLORS) - 1)]
        )
        ax.barh(positions, shares, left=left, color=color, height=0.6, label=wrap(category, 20))
        for y, x, share in zip(positions, left, shares, strict=True):
            _segment_label(ax, x + share / 2, y, share)
        left = [a + b for a, b in zip(left, shares, strict=True)]
    ax.set_yticks(positions, [wrap(r) for r, _ in kept], fontsize=FONT - 2)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(texts.SHARE_AXIS, fontsize=FONT)
    ax.set_title(title, fontsize=FONT + 3)
    fig.legend(loc="outside lower center", ncols=min(3, len(categories)), fontsize=FONT - 2)
    return _png(fig)


def enps_distribution(counts: Sequence[int], *, min_group: int) -> bytes | None:
    """Answers 1-10 to "would you recommend": detractors 1-6, passives 7-8, promoters 9-10,
    with eNPS = share of 9-10 minus share of 1-6 and the mean in the title."""
    if len(counts) != 10:
        raise ValueError("eNPS needs the counts of the answers 1..10")
    total = sum(counts)
    if total < min_group:
        return None
    enps = (sum(counts[8:]) - sum(counts[:6])) / total * 100
    mean = sum((i + 1) * n for i, n in enumerate(counts)) / total
    fig = _figure(4.5)
    ax = fig.add_subplot()
    scores = list(range(1, 11))
    colors = [RED] * 6 + [GREY] * 2 + [GREEN] * 2
    ax.bar(scores, counts, color=colors)
    for x, n in zip(scores, counts, strict=True):
        if n:
            ax.annotate(str(n), (x, n), xytext=(0, 3), textcoords="offset points", ha="center")
    ax.set_xticks(scores)
    ax.set_xlabel(texts.ENPS_AXIS, fontsize=FONT)
    ax.set_ylabel(texts.ANSWERS_AXIS, fontsize=FONT)
    ax.margins(y=0.15)
    ax.set_title(texts.enps_title(enps, mean), fontsize=FONT + 3)
    return _png(fig)


# --- Appeals --------------------------------------------------------------------------------
def share_bars(labels: Sequence[str], counts: Sequence[int], title: str, top: int = 10) -> bytes:
    """Counts with percent shares, largest first, at most `top` bars (channels, topics,
    complaint outcomes); the rest are summed into "other"."""
    pairs = sorted(zip(labels, counts, strict=True), key=lambda p: -p[1])
    if len(pairs) > top:
        pairs = [*pairs[: top - 1], (texts.OTHER, sum(n for _, n in pairs[top - 1 :]))]
    total = sum(n for _, n in pairs) or 1
    fig = _figure(_bar_height(len(pairs)))
    ax = fig.add_subplot()
    positions = list(range(len(pairs)))
    values = [n for _, n in pairs]
    ax.barh(positions, values, color=BLUE, height=0.6)
    for y, n in zip(positions, values, strict=True):
        ax.text(n, y, f" {n} ({n / total * 100:.0f}%)", va="center", fontsize=FONT)
    ax.set_yticks(positions, [wrap(label) for label, _ in pairs], fontsize=FONT - 2)
    ax.invert_yaxis()
    ax.set_xlim(0, max(values, default=1) * 1.35 or 1)
    ax.set_xlabel(texts.ANSWERS_AXIS, fontsize=FONT)
    ax.set_title(title, fontsize=FONT + 3)
    return _png(fig)


def answer_time(days: Sequence[float], deadline_days: float, title: str) -> bytes:
    """Histogram of days from registration to answer, with the legal deadline marked."""
    fig = _figure(4.5)
    ax = fig.add_subplot()
    upper = max([*days, deadline_days]) + 1
    bins = [x * upper / 15 for x in range(16)]
    ax.hist(days, bins=bins, color=BLUE, edgecolor="white")
    ax.axvline(deadline_days, color=RED, linestyle="--", label=texts.deadline_line(deadline_days))
    late = sum(1 for d in days if d > deadline_days)
    ax.set_xlabel(texts.DAYS_AXIS, fontsize=FONT)
    ax.set_ylabel(texts.ANSWERS_AXIS, fontsize=FONT)
    ax.set_title(f"{title}\n{texts.late_share(late, len(days))}", fontsize=FONT + 2)
    ax.legend(fontsize=FONT - 2)
    return _png(fig)


def monthly_trend(months: Sequence[str], series: dict[str, Sequence[int]], title: str) -> bytes:
    """Counts per month, one line per series (e.g. appeals and complaints)."""
    fig = _figure(4.5)
    ax = fig.add_subplot()
    positions = list(range(len(months)))
    for name, values in series.items():
        ax.plot(positions, list(values), marker="o", linewidth=2, label=name)
    ax.set_xticks(positions, list(months), fontsize=FONT - 2, rotation=0)
    ax.set_ylim(bottom=0)
    ax.margins(y=0.15)
    ax.set_ylabel(texts.ANSWERS_AXIS, fontsize=FONT)
    ax.set_title(title, fontsize=FONT + 3)
    ax.legend(fontsize=FONT - 2)
    return _png(fig)
