"""Sheet names, column titles and messages of the XLSX / CSV exports and the accounting form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.reports.workbook import Col

if TYPE_CHECKING:
    from bot.surveys.questionnaire import Step

SUMMARY_SHEET = "Сводка"
RESPONSES_SHEET = "Ответы"
OPEN_SHEET = "Открытые ответы"
OPEN_COLUMNS = (Col("Вопрос", "long", 40), Col("Ответ", "long", 80))
WINDOW = "Окно опроса"
PERIOD = "Период"
RESPONDENTS = "Респондентов"
OVERALL = "Общий индекс CSI"
LEVEL = "Уровень"
OPEN_COUNT = "Открытых ответов"
ENPS = "eNPS (доля 9–10 минус доля 1–6)"
INDICATOR = "Показатель"
VALUE = "Значение"
KEY_FIGURES = "Основные показатели"
HIDDEN = "ответов меньше {minimum}: не показываем"


def summary_heading(window_id: int, title: str) -> str:
    return f"Сводка по окну опроса №{window_id} «{title}»"


CRITERIA_SECTION = "Критерии CSI"
CRITERIA_COLUMNS = (
    Col("№", "int"),
    Col("Критерий", "long"),
    Col("Ответов", "int"),
    Col("Средняя оценка", "num2"),
    Col("Средняя важность", "num2"),
    Col("CSI", "num"),
    Col("Доля оценок 8–10", "percent"),
    Col("Уровень"),
)
RATINGS_SECTION = "Оценки"
RATING_COLUMNS = (
    Col("№", "int"),
    Col("Вопрос", "long"),
    Col("Ответов", "int"),
    Col("Средняя оценка", "num2"),
    Col("Доля оценок 8–10", "percent"),
)
CHOICES_SECTION = "Варианты ответов"
CHOICE_COLUMNS = (
    Col("№", "int"),
    Col("Вопрос: вариант ответа", "long"),
    Col("Количество", "int"),
    Col("Доля", "percent"),
)
SATISFACTION_SECTION = "Удовлетворённость по строкам (полностью + скорее), худшие сверху"
SATISFACTION_COLUMNS = (
    Col("№", "int"),
    Col("Вопрос: строка", "long"),
    Col("Ответов", "int"),
    Col("Удовлетворены", "percent"),
)
ENPS_SECTION = "Готовность рекомендовать (eNPS)"
ENPS_COLUMNS = (
    Col("№", "int"),
    Col("Вопрос", "long"),
    Col("Ответов", "int"),
    Col("eNPS", "num"),
    Col("Средняя оценка", "num2"),
    Col("Доля 9–10", "percent"),
    Col("Доля 7–8", "percent"),
    Col("Доля 1–6", "percent"),
    Col("Примечание"),
)
ANSWERS_SECTION = "Ответы по вариантам"
ANSWER_COLUMNS = (
    Col("№", "int"),
    Col("Вопрос: строка — вариант ответа", "long"),
    Col("Количество", "int"),
    Col("Доля", "percent"),
    Col("Примечание"),
)
OPEN_SECTION = "Открытые вопросы (тексты — на листе «Открытые ответы»)"
OPEN_COUNT_COLUMNS = (
    Col("№", "int"),
    Col("Вопрос: строка", "long"),
    Col("Ответов текстом", "int"),
    Col("Примечание"),
)
SCALE_NAMES = {"score": "оценка", "importance": "важность"}

EXPORT_USAGE = (
    "Использование:\n/export ID — выгрузка окна опроса в XLSX\n"
    "/export accounting [ГОД] — форма учёта сбора и анализа обратной связи"
)
PAINMAP_USAGE = "Использование: /painmap ID (номер окна из /surveys)"
STILL_OPEN = "Окно №{id} ещё идёт: результаты опроса сотрудников выгружаются после закрытия."
STILL_OPEN_CITIZEN = (
    "Окно №{id} ещё идёт: ответы и открытые тексты выгружаются после закрытия "
    "(иначе две выгрузки с разницей в один ответ раскрыли бы его). Сейчас доступно только "
    "число ответивших: /report {id}"
)
EXPORT_CAPTION = (
    "Выгрузка окна №{id}: сводка, обезличенные ответы (порядок перемешан), открытые ответы."
)
PAINMAP_CAPTION = (
    "Проект карты болей по окну №{id}. Графы «мероприятия», «ответственный», «срок» "
    "заполняет рабочая группа."
)
ACCOUNTING_CAPTION = "Форма учёта сбора и анализа обратной связи за {year} год (Приложение 1)."

ACCOUNTING_SHEET = "Форма учета"
ACCOUNTING_TITLE = "Форма учета сбора и анализа обратной связи от клиентов за {year} год"
ACCOUNTING_COLUMNS = (
    Col("№", "int"),
    Col("Объект сбора и анализа", "long", 22),
    Col("Наименование функции, сервиса", "long", 26),
    Col("Ответственный за сбор и анализ обратной связи", "long", 22),
    Col("Метод сбора и анализа обратной связи", "long", 28),
    Col("Источник обратной связи", "long", 26),
    Col("Критерии исследования", "long", 50),
    Col("Периодичность сбора обратной связи", "long", 36),
)
AUDIENCE_OBJECTS = {
    "external": "Внешние клиенты (граждане, организации)",
    "internal": "Внутренние клиенты (сотрудники)",
}
SURVEY_METHOD = (
    "Анонимный онлайн-опрос через чат-бот (Telegram, ВКонтакте); "
    "расчёт индексов и анализ в отчёте бота"
)
SURVEY_SOURCE = "Анкеты онлайн-опроса «{title}»"
NORMS = {
    "external": "не реже двух раз в год, по {days} рабочих дней",
    "internal": "не реже одного раза в год, по {days} рабочих дней",
}
ENPS_CRITERION = "Готовность рекомендовать работу в органе (eNPS)"
ACCOUNTING_NOTE = "Графу 4 заполняет орган: ответственное подразделение за сбор и анализ."


def column_title(number: int, step: Step) -> str:
    parts = [f"{number}. {step.question.text}"]
    if step.row is not None:
        parts.append(step.row.text)
    if step.scale:
        parts.append(SCALE_NAMES.get(step.scale, step.scale))
    return " — ".join(parts)


def periods(norm: str, spans: list[str], year: int) -> str:
    """The norm, and the windows of the year when there were any."""
    norm = norm[0].upper() + norm[1:]
    return f"{norm}; в {year} году: " + "; ".join(spans) if spans else norm


def criteria_list(criteria: list[str]) -> str:
    """One criterion a line, numbered, so the cell reads as a short list."""
    return "\n".join(f"{n}) {c}" for n, c in enumerate(criteria, start=1))


def window_filename(window_id: int, ext: str) -> str:
    return f"okno-{window_id}.{ext}"


def painmap_filename(window_id: int) -> str:
    return f"karta-boley-okno-{window_id}.xlsx"


def accounting_filename(year: int) -> str:
    return f"forma-ucheta-{year}.xlsx"


CLI_USAGE = "Укажите номер окна или accounting: python -m bot export 3 [--csv] [--out ФАЙЛ]"
SAVED = "Сохранено: {path}"

APPEALS_SUMMARY_SHEET = "Сводка"
APPEALS_REGISTER_SHEET = "Реестр обращений"
APPEALS_REGISTER_COLUMNS = (
    Col("№", "int"),
    Col("Рег. номер (59-ФЗ)"),
    Col("Дата регистрации (59-ФЗ)", "date"),
    Col("Поступило", "datetime"),
    Col("Канал"),
    Col("Вид"),
    Col("Тема", "long", 24),
    Col("Состояние"),
    Col("Срок ответа", "date"),
    Col("Срок продлён: причина", "long", 24),
    Col("Ответ дан", "date"),
    Col("Дней до ответа", "num"),
    Col("Исполнитель", "long", 24),
    Col("Текст ответа", "long", 50),
    Col("Перенаправлено в", "long", 24),
    Col("Итог жалобы"),
    Col("Оценка", "int"),
    Col("Что не устроило в ответе", "long", 30),
    Col("Рег. № по 59-ФЗ"),
    Col("Дата регистрации по 59-ФЗ", "date"),
    Col("Заявитель", "long", 24),
    Col("E-mail"),
    Col("Текст обращения", "long", 60),
)
APPEAL_KEY_COLUMNS = (Col("", "int"), Col("Показатель", "long"), Col("Значение"))
APPEAL_SHARE_COLUMNS = (
    Col("№", "int"),
    Col("Наименование", "long"),
    Col("Количество", "int"),
    Col("Доля", "percent"),
)
APPEAL_DURATION_COLUMNS = (
    Col("", "int"),
    Col("Показатель", "long"),
    Col("Количество", "int"),
    Col("Среднее, дней", "num"),
    Col("Медиана, дней", "num"),
    Col("90-й процентиль, дней", "num"),
)
APPEALS_PERIOD = "Период"
APPEALS_TOTAL = "Всего поступило"
APPEALS_COMPLAINTS = "Жалоб"
APPEALS_SATISFIED = "Жалоб удовлетворено"
APPEALS_SATISFIED_SHARE = "Доля удовлетворённых жалоб"
APPEALS_REFUSED = "Жалоб с отказом"
APPEALS_REFUSED_SHARE = "Доля жалоб с отказом"
APPEALS_OVERDUE = "Нарушен срок ответа"
APPEALS_LATE_REDIRECTS = "Перенаправлено позже 7 дней"
APPEALS_RATED = "Оценок заявителей"
APPEALS_RATING_MEAN = "Средняя оценка (из 5)"
APPEALS_RATING_HIGH = "Доля оценок 4–5"
APPEALS_BY_CHANNEL = "1. По каналам поступления"
APPEALS_BY_KIND = "Обращения и жалобы"
APPEALS_BY_TOPIC = "2–3. По темам (основные причины)"
APPEALS_DURATIONS = "4. Время до ответа и до перенаправления"
APPEALS_ANSWER_TIME = "От регистрации до ответа"
APPEALS_REDIRECT_TIME = "От регистрации до перенаправления"


def appeals_heading(period: str) -> str:
    return f"Обращения и жалобы за {period}"


APPEALS_EXPORT_CAPTION = (
    "Обращения и жалобы за {period}: сводка и реестр "
    "(персональные данные — только для служебного пользования)."
)


def appeals_filename(period: str) -> str:
    return f"appeals_{period}.xlsx"
