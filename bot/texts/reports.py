"""Texts of survey reports sent to admins."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from bot.texts.admin import STATE_NAMES
from bot.texts.common import fmt_date, fmt_num, fmt_percent

if TYPE_CHECKING:
    from bot.reports.csi import CsiReport, Level
    from bot.surveys.windows import WindowView

LEVEL_NAMES: dict[str, str] = {
    "high": "высокий уровень (CSI > 71)",
    "low": "низкий уровень (CSI < 70)",
    "borderline": "пограничное значение: 70–71 порядок не относит ни к высокому, ни к низкому",
}
NO_DATA = "Ответов с оценками пока нет."


def window_header(window: WindowView) -> str:
    return (
        f"<b>Отчёт по окну №{window.id}</b> «{escape(window.title)}»\n"
        f"{fmt_date(window.opens_on)} – {fmt_date(window.closes_on)}, "
        f"{STATE_NAMES[window.state]}\n"
        f"Респондентов: {window.respondents}"
    )


def too_few(respondents: int, minimum: int) -> str:
    return (
        f"Ответов слишком мало для отчёта: {respondents} (нужно не меньше {minimum}). "
        "Маленькие группы раскрывают ответы отдельных людей, поэтому результаты не показываются."
    )


def level_line(level: Level) -> str:
    return escape(LEVEL_NAMES[level])


def csi_body(report: CsiReport, level: Level | None) -> str:
    if report.overall is None or level is None:
        return NO_DATA
    lines = [
        f"<b>Общий индекс CSI: {fmt_num(report.overall)}</b> — {level_line(level)}",
        "",
        "<b>CSI по критериям</b> (доля оценок 8–10):",
    ]
    for c in report.criteria:
        lines.append(
            f"{c.number}. {escape(c.text)} — <b>{fmt_num(c.csi)}</b> "
            f"({fmt_percent(c.satisfied_share)}, ответов: {c.answers})"
        )
    if report.ratings:
        lines += ["", "<b>Оценки (среднее из 10, доля 8–10)</b>:"]
        for r in report.ratings:
            lines.append(
                f"{r.number}. {escape(r.text)} — {fmt_num(r.mean)} ({fmt_percent(r.high_share)})"
            )
    for choice in report.choices:
        total = choice.total
        lines += ["", f"<b>{choice.number}. {escape(choice.text)}</b>"]
        for option, count in choice.counts:
            share = fmt_percent(count / total) if total else "—"
            lines.append(f"• {escape(option)}: {count} ({share})")
    if report.open_answers:
        lines += ["", f"Открытых ответов (предложений): {report.open_answers}."]
    return "\n".join(lines)


def interim_count(respondents: int) -> str:
    """An open citizen window without INTERIM_RESULTS: only the count."""
    return (
        f"Окно ещё не закрыто. Ответили: {respondents}.\n"
        "Результаты показываются после закрытия окна: сравнение двух промежуточных отчётов "
        "раскрыло бы ответы одного человека (включить промежуточные результаты: "
        "INTERIM_RESULTS=true)."
    )
