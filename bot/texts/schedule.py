"""Texts of what the bot does on its own around survey windows: invitations, reminders,
the closing report, publication deadlines, the frequency plan and the production calendar."""

from __future__ import annotations

from datetime import date
from html import escape

from bot.texts.common import fmt_date

AUDIENCE_CHATS = {"external": "канале", "internal": "рабочем чате"}
AUDIENCE_SETTINGS = {"external": "TG_CHANNEL_ID", "internal": "TG_EMPLOYEE_CHAT_ID"}
START_BUTTON = "📝 Пройти опрос"
CONTINUE_BUTTON = "📝 Продолжить опрос"


# --- Posts in the channel / work chat ----------------------------------------------------
def invitation(title: str, audience: str, closes_on: date, body: str) -> str:
    """A mass post: "вы" in lowercase, as to many readers."""
    who = (
        f"{escape(body)} приглашает вас оценить качество нашей работы."
        if audience == "external"
        else "Коллеги, приглашаем вас принять участие в анонимном опросе сотрудников "
        f"({escape(body)})."
    )
    return (
        f"{who}\n\n<b>{escape(title)}</b>\n"
        f"Опрос анонимный и проводится до {fmt_date(closes_on)} включительно. "
        "Нажмите кнопку ниже, чтобы ответить в боте."
    )


def midpoint_post(title: str, closes_on: date) -> str:
    return (
        f"Коллеги, напоминаем: идёт анонимный опрос «{escape(title)}». "
        f"Ответить можно до {fmt_date(closes_on)} включительно. Если вы уже ответили — спасибо!"
    )


def last_day_post(title: str) -> str:
    return (
        f"Сегодня последний день опроса «{escape(title)}». "
        "Если вы ещё не ответили, это займёт несколько минут. Опрос анонимный."
    )


def private_reminder(title: str, closes_on: date) -> str:
    return (
        f"Напоминание: Вы ещё можете пройти анонимный опрос «{escape(title)}» "
        f"до {fmt_date(closes_on)} включительно. Отписаться от напоминаний: /stop_reminders"
    )


def unfinished_reminder(title: str) -> str:
    return (
        f"Сегодня последний день опроса «{escape(title)}», а Вы ответили ещё не на все "
        "вопросы. Незаконченные ответы не учитываются: продолжить можно до конца дня. "
        "Отписаться от напоминаний: /stop_reminders"
    )


def ready_to_post(text: str, link: str | None, audience: str) -> str:
    """For admins when the bot has no chat to post into."""
    tail = f"\n\nСсылка для кнопки: {link}" if link else ""
    return (
        f"Бот не публикует сам в {AUDIENCE_CHATS[audience]}: не задан "
        f"{AUDIENCE_SETTINGS[audience]}. Опубликуйте, пожалуйста, этот текст:\n\n"
        f"{text}{tail}"
    )


INVITATION_POSTED = "Приглашение опубликовано в {chat}."


# --- For admins --------------------------------------------------------------------------
def report_on_close(publish_by: date) -> str:
    return (
        f"Опрос завершён. Результаты нужно опубликовать на сайте до {fmt_date(publish_by)} "
        "(15 рабочих дней после окончания)."
    )


def publication_due(window_id: int, title: str, publish_by: date) -> str:
    return (
        f"⏰ {fmt_date(publish_by)} — срок публикации результатов опроса "
        f"№{window_id} «{escape(title)}» на официальном сайте (15 рабочих дней после "
        "окончания). Итоги:"
    )


def publish_by_line(publish_by: date) -> str:
    return f"публикация до {fmt_date(publish_by)}"


# --- Reminders for employees -------------------------------------------------------------
SUBSCRIBED = (
    "Хорошо, я напомню Вам о следующих опросах сотрудников, пока Вы в них не ответили. "
    "Опросы анонимные: напоминание не раскрывает, кто ответил. Отписаться: /stop_reminders"
)
UNSUBSCRIBED = "Напоминаний больше не будет. Подписаться снова: /remind_me"
NOT_SUBSCRIBED = "Вы и так не подписаны на напоминания. Подписаться: /remind_me"


# --- Frequency plan ----------------------------------------------------------------------
AUDIENCE_PLAN = {
    "external": "опрос внешних клиентов — не реже одного раза в полугодие (2 в год)",
    "internal": "опрос сотрудников — не реже одного раза в год",
}


def period_name(audience: str, start: date, end: date) -> str:
    if audience == "internal":
        return f"{start.year} год"
    half = "1-е" if start.month == 1 else "2-е"
    return f"{half} полугодие {start.year}"


def plan_header(year: int) -> str:
    return f"<b>План опросов на {year} год</b>"


def plan_period_line(audience: str, start: date, end: date, count: int) -> str:
    mark = "✅" if count else "⚠️"
    return f"{mark} {period_name(audience, start, end)}: окон — {count}"


def plan_window_line(window_id: int, title: str, opens: date, closes: date, state: str) -> str:
    return f"   №{window_id} · {escape(title)} · {fmt_date(opens)} – {fmt_date(closes)} · {state}"


def plan_warning(audience: str, start: date, end: date) -> str:
    return (
        f"⚠️ Не выполнен план: {AUDIENCE_PLAN[audience]}; "
        f"на {period_name(audience, start, end)} окна нет. Назначить: /open_survey ВИД ДАТА"
    )


PLAN_OK = "План на год выполняется."


def plan_reminder(audience: str, start: date, end: date, last_start: date) -> str:
    return (
        f"⏰ {period_name(audience, start, end).capitalize()} заканчивается {fmt_date(end)}, "
        f"а опроса нет ({AUDIENCE_PLAN[audience]}). Чтобы окно успело закончиться, откройте его "
        f"не позже {fmt_date(last_start)}: /open_survey ВИД ДАТА"
    )


# --- Production calendar -----------------------------------------------------------------
CALENDAR_USAGE = "Использование: /calendar [ГОД], например /calendar 2027"


def calendar_text(year: int, days_off: list[tuple[date, str]], working_weekends: list[date]) -> str:
    lines = [f"<b>Производственный календарь {year}</b>", "", "Праздничные и нерабочие дни:"]
    lines += [f"{fmt_date(d)} — {escape(name)}" for d, name in days_off] or ["нет"]
    lines += ["", "Рабочие выходные дни:"]
    lines += [fmt_date(d) for d in working_weekends] or ["нет"]
    lines += [
        "",
        "Сверьте с официальным календарём; региональные дни задаются в CALENDAR_OVERRIDES.",
    ]
    return "\n".join(lines)
