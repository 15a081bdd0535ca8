"""Titles, axis names and legends of report charts."""

from __future__ import annotations

from datetime import date

from bot.texts.common import fmt_num

CSI_TITLE = "CSI по критериям"
CSI_AXIS = "CSI, баллы из 100"
LOW_LINE = "70: ниже — низкий уровень"
HIGH_LINE = "71: выше — высокий уровень"
MATRIX_TITLE = "Важность и оценка критериев"
SCORE_AXIS = "Средняя оценка (1–10)"
IMPORTANCE_AXIS = "Средняя важность (1–10)"
PRIORITY_QUADRANT = "Важно, но оценено слабо — приоритет"
DISTRIBUTION_TITLE = "Распределение оценок по критериям"
SCORES_LOW = "1–7: не удовлетворены"
SCORES_HIGH = "8–10: удовлетворены"
SHARE_AXIS = "Доля ответов, %"
TREND_TITLE = "Общий CSI по окнам опроса"
ENPS_TREND_TITLE = "eNPS по окнам опроса сотрудников"
ENPS_AXIS = "Готовность рекомендовать работу (1–10)"
ANSWERS_AXIS = "Количество"
DAYS_AXIS = "Дней от регистрации до ответа"
OTHER = "Прочее"
SATISFACTION_TITLE = "Удовлетворённость по направлениям"
CHANNELS_TITLE = "Обращения по каналам"
TOPICS_TITLE = "Темы обращений (10 самых частых)"
OUTCOMES_TITLE = "Итоги рассмотрения жалоб"
ANSWER_TIME_TITLE = "Срок ответа на обращения"
MONTHLY_TITLE = "Обращения по месяцам"


def overall_line(value: float) -> str:
    return f"общий CSI: {fmt_num(value)}"


def enps_title(enps: float, mean: float) -> str:
    sign = "+" if round(enps) > 0 else ""
    return f"eNPS: {sign}{fmt_num(enps, 0)} (среднее {fmt_num(mean)})"


HARD_TO_SAY = "затрудняюсь"
"""An answer option starting so is neither satisfied nor not: drawn grey."""


def deadline_line(days: float) -> str:
    return f"срок: {fmt_num(days, 0)} дн."


def late_share(late: int, total: int) -> str:
    share = f"{late / total * 100:.0f}%" if total else "—"
    return f"позже срока: {late} из {total} ({share})"


SATISFIED = "Удовлетворены"
REFUSED = "Отказано"
MONTHS = ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]


def appeals_channels_title(period: str) -> str:
    return f"{CHANNELS_TITLE}, {period}"


def appeals_topics_title(period: str) -> str:
    return f"{TOPICS_TITLE}, {period}"


def month_label(first_day: date) -> str:
    return f"{MONTHS[first_day.month - 1]} {first_day.year % 100:02d}"
