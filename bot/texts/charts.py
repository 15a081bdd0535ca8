"""Titles, axis names and legends of report charts."""

from __future__ import annotations

from datetime import date

from bot.texts.common import fmt_num, plural

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


LEVEL_HIGH = "высокий уровень (выше 71)"
LEVEL_BORDER = "пограничный уровень (70–71)"
LEVEL_LOW = "низкий уровень (ниже 70)"
CRITERIA_TREND_TITLE = "CSI по критериям в окнах опроса"
DETRACTORS = "1–6: критики"
PASSIVES = "7–8: нейтральные"
PROMOTERS = "9–10: сторонники"
NO_OUTCOME = "Итог ещё не известен"
ROMAN_QUARTERS = ("I", "II", "III", "IV")


def respondents(count: int) -> str:
    """'1 респондент', '23 респондента', '100 000 респондентов'."""
    return f"{_thousands(count)} {plural(count, 'респондент', 'респондента', 'респондентов')}"


def appeals_count(count: int) -> str:
    return f"{_thousands(count)} {plural(count, 'обращение', 'обращения', 'обращений')}"


def window_caption(window_id: int, opens_on: date, closes_on: date, count: int) -> str:
    """What every chart of a survey window carries: which window and how many answered."""
    return f"Окно №{window_id}, {opens_on:%d.%m.%Y}–{closes_on:%d.%m.%Y} · {respondents(count)}"


def period_caption(period: str, count: int) -> str:
    return f"{period} · {appeals_count(count)}"


def period_title(start: date, end: date) -> str:
    """A reporting period in Russian: 'IV квартал 2026', 'I полугодие 2026', '2026 год';
    `end` is the first day after the period. Anything else is written as dates."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if start.day == 1 and end.day == 1:
        if months == 3 and start.month % 3 == 1:
            return f"{ROMAN_QUARTERS[start.month // 3]} квартал {start.year}"
        if months == 6 and start.month in (1, 7):
            return f"{'I' if start.month == 1 else 'II'} полугодие {start.year}"
        if months == 12 and start.month == 1:
            return f"{start.year} год"
        if months == 1:
            return f"{MONTH_NAMES[start.month - 1]} {start.year}"
    last = date.fromordinal(end.toordinal() - 1)
    return f"{start:%d.%m.%Y}–{last:%d.%m.%Y}"


MONTH_NAMES = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip


def _thousands(count: int) -> str:
    return f"{count:,}".replace(",", "\u00a0")


def trend_caption(labels: list[str]) -> str:
    """The windows a trend joins: 'Окна №1 02.03.2026 … №4 01.09.2027'."""
    return f"Окна опроса: {', '.join(labels)}"


def complaints_caption(period: str, count: int) -> str:
    word = plural(count, "жалоба", "жалобы", "жалоб")
    return f"{period} · {_thousands(count)} {word}"
