"""Texts of the employee survey: access, invitation codes, the employee report."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from bot.texts.common import fmt_num, fmt_percent

if TYPE_CHECKING:
    from bot.reports.employee import (
        ChoiceBlock,
        Counted,
        EmployeeReport,
        OpenBlock,
        RecommendBlock,
    )


def fmt_signed(value: float) -> str:
    """eNPS -20.0 -> '−20', 37.5 -> '+37,5': the sign is the point of the number."""
    shown = fmt_num(abs(value)).removesuffix(",0")
    if shown == "0":
        return "0"
    return f"+{shown}" if value > 0 else f"−{shown}"


# --- Access -------------------------------------------------------------------------------
NOT_EMPLOYEE = (
    "Этот опрос проводится только среди сотрудников органа, и подтвердить, что Вы сотрудник, "
    "не удалось. Если Вы сотрудник, откройте опрос по кнопке из рабочего чата или попросите "
    "у администратора персональный код приглашения. Спасибо за понимание!"
)
INVITE_INVALID = (
    "Код приглашения не подошёл: он неверен или уже использован. Каждый код действует один "
    "раз. Попросите, пожалуйста, у администратора новый код."
)

# --- /invite_codes -----------------------------------------------------------------------
INVITE_USAGE = "Использование: /invite_codes N — выдать N одноразовых кодов (от 1 до {max})."


def invite_codes(links: list[str], unused: int) -> str:
    return (
        f"Одноразовые приглашения в опрос сотрудников ({len(links)}). Раздайте по одной ссылке "
        "каждому сотруднику; кто какую получил, нигде не записывается, а после использования "
        "код удаляется.\n\n" + "\n".join(links) + f"\n\nНеиспользованных кодов всего: {unused}."
    )


# --- The employee report -----------------------------------------------------------------
def interim(respondents: int) -> str:
    return (
        f"Окно ещё не закрыто. Ответили: {respondents}.\n"
        "Результаты опроса сотрудников показываются только после закрытия окна: сравнение двух "
        "промежуточных отчётов раскрыло бы ответы одного человека."
    )


def too_few_here(minimum: int) -> str:
    return f"ответов меньше {minimum}, не показываем"


def _share(count: int, total: int) -> str:
    return fmt_percent(count / total) if total else "—"


def _counted_lines(counted: Counted, minimum: int, *, indent: str) -> list[str]:
    if counted.hidden:
        return [f"{indent}<i>{too_few_here(minimum)}</i>"]
    return [
        f"{indent}• {escape(text)}: {count} ({_share(count, counted.total)})"
        for text, count in counted.counts
    ]


def _choice_block(block: ChoiceBlock, minimum: int) -> list[str]:
    lines = [f"<b>{block.number}. {escape(block.text)}</b>"]
    if block.multi:
        row = block.rows[0]
        if not row.hidden:
            lines.append(f"Ответили: {row.total}; доля — от ответивших, можно несколько вариантов")
        return lines + _counted_lines(row, minimum, indent="")
    if len(block.rows) == 1 and not block.rows[0].label:
        return lines + _counted_lines(block.rows[0], minimum, indent="")
    for row in block.rows:
        head = f"<u>{escape(row.label)}</u>"
        if row.satisfied_share is not None:
            head += f" — удовлетворены: <b>{fmt_percent(row.satisfied_share)}</b>"
        if not row.hidden:
            head += f" (ответов: {row.total})"
        lines.append(head)
        if row.hidden:
            lines.append(f"   <i>{too_few_here(minimum)}</i>")
        else:
            lines.append(
                "   "
                + " · ".join(
                    f"{escape(text)} {count} ({_share(count, row.total)})"
                    if count
                    else f"{escape(text)} 0"
                    for text, count in row.counts
                )
            )
    return lines


def _open_block(block: OpenBlock, minimum: int) -> list[str]:
    lines = [f"<b>{block.number}. {escape(block.text)}</b> (открытый вопрос)"]
    for row in block.rows:
        label = f"{escape(row.label)}: " if row.label else ""
        if row.hidden:
            lines.append(f"• {label}<i>{too_few_here(minimum)}</i>")
            continue
        ready = "".join(f"; {escape(text).lower()}: {count}" for text, count in row.ready)
        lines.append(f"• {label}ответов текстом: {row.texts}{ready}")
    return lines


def _recommend_block(block: RecommendBlock, minimum: int) -> list[str]:
    lines = [f"<b>{block.number}. {escape(block.text)}</b>"]
    if block.hidden:
        return [*lines, f"<i>{too_few_here(minimum)}</i>"]
    passives = block.answers - block.promoters - block.detractors
    return [
        *lines,
        f"eNPS: <b>{fmt_signed(block.enps)}</b> (доля 9–10 минус доля 1–6), "
        f"средняя оценка: <b>{fmt_num(block.mean)}</b> из 10",
        f"9–10: {block.promoters} ({_share(block.promoters, block.answers)}), "
        f"7–8: {passives} ({_share(passives, block.answers)}), "
        f"1–6: {block.detractors} ({_share(block.detractors, block.answers)}); "
        f"ответов: {block.answers}",
    ]


def employee_body(report: EmployeeReport) -> str:
    minimum = report.min_group
    lines: list[str] = []
    if report.lowest:
        lines.append("<b>Строки с самой низкой удовлетворённостью</b> (полностью + скорее):")
        for number, _question, row in report.lowest:
            assert row.satisfied_share is not None
            lines.append(
                f"• {fmt_percent(row.satisfied_share)} — вопрос {number}: {escape(row.label)}"
            )
        lines.append("")
    for block in report.blocks:
        if block.kind == "choice":
            lines += _choice_block(block, minimum)
        elif block.kind == "open":
            lines += _open_block(block, minimum)
        else:
            lines += _recommend_block(block, minimum)
        lines.append("")
    lines.append(
        "Тексты открытых ответов в чат не выводятся. Блоки, где ответов меньше "
        f"{minimum}, скрыты: маленькие группы раскрывают ответы отдельных людей."
    )
    return "\n".join(lines)
