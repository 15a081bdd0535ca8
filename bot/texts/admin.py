"""Texts of the admin commands that manage survey windows."""

from __future__ import annotations

from datetime import date
from html import escape

from bot.texts.common import fmt_date

# --- Admin commands ----------------------------------------------------------------------
NOT_ADMIN = "Эта команда доступна только администраторам."
OPEN_SURVEY_USAGE = (
    "Использование: /open_survey ВИД [ДАТА]\n"
    "ВИД: {kinds}. ДАТА: ДД.ММ.ГГГГ или ГГГГ-ММ-ДД, по умолчанию сегодня."
)
BAD_DATE = "Не понял дату {value!r}. Пишите ДД.ММ.ГГГГ или ГГГГ-ММ-ДД."
UNKNOWN_KIND = "Нет анкеты {kind!r}. Доступны: {kinds}."
CLOSE_USAGE = "Использование: /close_survey ID (номер окна из /surveys)"
REPORT_USAGE = "Использование: /report [ID]"
NO_WINDOWS = "Окон опросов пока нет. Открыть: /open_survey csi"
WINDOW_NOT_FOUND = "Окно №{id} не найдено."
WINDOW_ALREADY_CLOSED = "Окно №{id} уже закрыто."
WINDOW_OPENED_MEANWHILE = (
    "Окно опроса «{kind}» только что открыл другой администратор, второе не открыто. "
    "Список окон: /surveys"
)
DATE_IN_PAST = "Дата начала {day} уже прошла: окно можно открыть сегодня или позже."

STATE_NAMES = {"scheduled": "запланировано", "open": "идёт", "closed": "закрыто"}
AUDIENCE_NAMES = {"external": "внешние клиенты", "internal": "сотрудники"}


def window_opened(window_id: int, title: str, opens: date, closes: date, link: str | None) -> str:
    text = (
        f"Окно №{window_id} «{escape(title)}»: с {fmt_date(opens)} по {fmt_date(closes)} "
        "включительно (до 23:59:59)."
    )
    if link:
        text += f"\n\nСсылка для публикации в канале:\n{link}"
    return text


def window_scheduled(window_id: int, title: str, opens: date, closes: date) -> str:
    return (
        f"Окно №{window_id} «{escape(title)}» запланировано: с {fmt_date(opens)} "
        f"по {fmt_date(closes)} включительно."
    )


def window_already_open(window_id: int, opens: date, closes: date) -> str:
    return (
        f"Уже есть открытое или запланированное окно этого вида: №{window_id} "
        f"({fmt_date(opens)} – {fmt_date(closes)}). Закрыть его: /close_survey {window_id}"
    )


def window_closed(window_id: int, respondents: int) -> str:
    return f"Окно №{window_id} закрыто. Ответов: {respondents}. Отчёт: /report {window_id}"


def windows_line(
    window_id: int, kind: str, opens: date, closes: date, state: str, respondents: int
) -> str:
    return (
        f"№{window_id} · {kind} · {fmt_date(opens)} – {fmt_date(closes)} · "
        f"{STATE_NAMES[state]} · ответов: {respondents}"
    )


WINDOWS_HEADER = "<b>Окна опросов</b>"


# --- Confirmation of /close_survey -----------------------------------------------------------
def confirm_close(window_id: int, title: str, respondents: int) -> str:
    return (
        f"Закрыть окно №{window_id} «{escape(title)}» досрочно? Ответов сейчас: {respondents}. "
        "После закрытия новые ответы не принимаются, администраторам уйдёт отчёт."
    )


BUTTON_CONFIRM_CLOSE = "Да, закрыть"
BUTTON_CANCEL = "Отмена"
CLOSE_CANCELLED = "Окно не закрыто."
STALE = "Кнопка устарела."
