"""Sheet names, column titles and messages of the XLSX / CSV exports and the accounting form."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.surveys.questionnaire import Step

SUMMARY_SHEET = "Сводка"
RESPONSES_SHEET = "Ответы"
OPEN_SHEET = "Открытые ответы"
OPEN_COLUMNS = ("Вопрос", "Ответ")
WINDOW = "Окно опроса"
PERIOD = "Период"
RESPONDENTS = "Респондентов"
OVERALL = "Общий индекс CSI"
LEVEL = "Уровень"
COUNT = "Количество"
SHARE = "Доля"
CRITERIA_COLUMNS = (
    "N",
    "Критерий",
    "Ответов",
    "Средняя оценка",
    "Средняя важность",
    "CSI",
    "Доля оценок 8–10",
    "Уровень",
)
RATING_COLUMNS = ("N", "Вопрос", "Ответов", "Среднее", "Доля 8–10")
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
    "N",
    "Объект сбора и анализа",
    "Наименование функции, сервиса",
    "Ответственный за сбор и анализ обратной связи",
    "Метод сбора и анализа обратной связи",
    "Источник обратной связи",
    "Критерии исследования",
    "Периодичность сбора обратной связи",
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
NO_WINDOWS_YET = "окна в {year} году не открывались"
ACCOUNTING_NOTE = "Графу 4 заполняет орган: ответственное подразделение за сбор и анализ."


def column_title(number: int, step: Step) -> str:
    parts = [f"{number}. {step.question.text}"]
    if step.row is not None:
        parts.append(step.row.text)
    if step.scale:
        parts.append(SCALE_NAMES.get(step.scale, step.scale))
    return " — ".join(parts)


def periods(norm: str, spans: list[str], year: int) -> str:
    done = "; ".join(spans) if spans else NO_WINDOWS_YET.format(year=year)
    return f"{norm}. В {year} году: {done}"


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
    "№",
    "Поступило",
    "Канал",
    "Вид",
    "Тема",
    "Состояние",
    "Срок ответа",
    "Ответ дан",
    "Дней до ответа",
    "Перенаправлено в",
    "Итог жалобы",
    "Оценка",
    "Заявитель",
    "E-mail",
    "Текст",
)
APPEALS_EXPORT_CAPTION = (
    "Обращения и жалобы за {period}: сводка и реестр "
    "(персональные данные — только для служебного пользования)."
)


def appeals_filename(period: str) -> str:
    return f"appeals_{period}.xlsx"
