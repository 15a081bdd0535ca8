"""Texts of appeals and complaints: the citizen's dialog, notices, staff messages, metrics."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.appeals.metrics import AppealMetrics
from bot.appeals.model import AppealView
from bot.texts.common import fmt_date, fmt_datetime, fmt_num, fmt_percent

KIND_NAMES = {"appeal": "Обращение", "complaint": "Жалоба"}
STATE_NAMES = {
    "registered": "зарегистрировано",
    "in_work": "в работе",
    "answered": "дан ответ",
    "redirected": "перенаправлено",
    "closed": "закрыто",
}
OUTCOME_NAMES = {"satisfied": "✅ Удовлетворена", "refused": "❌ Отказано"}
CHANNEL_NAMES = {
    "telegram": "Telegram",
    "vk": "ВКонтакте",
    "max": "MAX",
    "email": "Электронная почта",
    "post": "Почта",
    "phone": "Телефон",
    "website": "Сайт",
    "reception": "Личный приём",
    "portal": "Госуслуги / ПОС",
}

# --- Citizen: the intake dialog -----------------------------------------------------------
MENU_APPEAL = "✉️ Написать обращение или жалобу"
BUTTON_CANCEL = "Отменить"
BUTTON_DONE = "Готово"
BUTTON_NO_FILES = "Без вложений"
BUTTON_SKIP = "Пропустить"
BUTTON_USE_CONTACT = "Да, всё верно"
BUTTON_CHANGE_CONTACT = "Изменить"
BUTTON_CONSENT = "Согласен(на)"
BUTTON_FOLLOWUP = "Задать уточняющий вопрос"
BUTTON_BACK = "← Назад"
BACK_WORDS = ("назад", "← назад", "<- назад")
BUTTON_OFFER_YES = "Да, отправить как обращение"
BUTTON_OFFER_NO = "Нет"
OFFER_APPEAL = "Отправить это как обращение?"
OFFER_DECLINED = "Хорошо, сообщение никуда не отправлено. Меню: /start"
OFFER_IN_SURVEY = "Ответы опроса сохранены: вернуться к нему можно в любой момент командой /start."
TEXT_CARRIED = (
    "Ваш текст уже добавлен ({length} из {maximum} символов). Допишите ещё или нажмите «Готово»."
)
ASK_RATING_REASON = (
    "Жаль, что ответ Вас не устроил. Что было не так? Напишите одним сообщением — это поможет "
    "нам работать лучше. Или нажмите «Пропустить»."
)
RATING_REASON_THANKS = "Спасибо! Ваше пояснение передано сотрудникам."

ASK_KIND = (
    "Что Вы хотите направить?\n\n"
    "<b>Обращение</b> — вопрос, предложение или заявление.\n"
    "<b>Жалоба</b> — просьба восстановить нарушенные права или интересы."
)
ASK_TOPIC = "Выберите тему:"
ASK_TEXT = (
    "Опишите суть {kind_lower} (от {min} до {max} символов). Можно несколькими сообщениями. "
    "Когда закончите, нажмите «Готово»."
)
ASK_FILES = (
    "Если нужно, приложите фотографии или документы (до {count} файлов, каждый до {mb} МБ). "
    "Когда закончите, нажмите «Готово»."
)
ASK_NAME = (
    "Как к Вам обращаться? Напишите фамилию, имя и (если есть) отчество: ответ будет "
    "адресован Вам лично."
)
ASK_EMAIL = (
    "Если хотите получить и письменный ответ, напишите адрес электронной почты. "
    "Иначе нажмите «Пропустить» — ответ придёт сюда, в этот чат."
)
INTAKE_CANCELLED = "Обращение не отправлено, черновик удалён. Начать заново: /appeal"
TEXT_TOO_SHORT = "Текст слишком короткий: нужно не меньше {min} символов. Допишите, пожалуйста."
NO_TEXT_YET = "Сначала напишите текст обращения."
FILE_WRONG_STEP = "Файлы можно приложить после текста, на следующем шаге."
NOT_A_FILE = "Пришлите фотографию или документ, или нажмите «Готово»."
FILES_LIMIT = "Можно приложить не больше {count} файлов."
FILE_TOO_BIG = "Файл больше {mb} МБ не принимается. Пришлите файл поменьше."
NAME_BAD = "Напишите, пожалуйста, имя текстом (от 2 до 200 символов)."
TEXT_INVISIBLE = (
    "В сообщении нет видимых букв или цифр — только пробелы или невидимые символы. "
    "Напишите, пожалуйста, текстом."
)
EMAIL_BAD = "Это не похоже на адрес электронной почты. Пример: ivanov@mail.ru"
PRESS_BUTTON = "Пожалуйста, нажмите одну из кнопок выше."
APPEAL_PAUSED = "Черновик обращения сохранён. Продолжить его: /appeal"
FOLLOWUP_ASK = "Напишите уточняющий вопрос по обращению №{number} одним сообщением."
FOLLOWUP_SENT = "Уточняющий вопрос по обращению №{number} передан. Мы ответим здесь же."
RATED = "Спасибо за оценку!"
FINISH_DRAFT_FIRST = "Сначала отправьте или отмените начатое обращение (/cancel)."
STALE = "Эта кнопка уже неактуальна."

# --- Citizen: status and notices ------------------------------------------------------------
NO_APPEALS = "У Вас пока нет обращений. Написать: /appeal"
STATUS_HEADER = "<b>Ваши обращения</b>"
PURGED = "[удалено по истечении срока хранения]"


def ask_text(kind: str, minimum: int, maximum: int) -> str:
    kind_lower = "обращения" if kind == "appeal" else "жалобы"
    return ASK_TEXT.format(kind_lower=kind_lower, min=minimum, max=maximum)


def text_collected(length: int, maximum: int) -> str:
    return f"Принято ({length} из {maximum} символов). Допишите ещё или нажмите «Готово»."


def text_too_long(length: int, maximum: int) -> str:
    return (
        f"Это сообщение не добавлено: вместе получилось бы {length} символов, а можно не больше "
        f"{maximum}. Сократите текст."
    )


def file_received(count: int, limit: int) -> str:
    return f"Файл получен ({count} из {limit}). Пришлите ещё или нажмите «Готово»."


def confirm_contact(name: str, email: str | None) -> str:
    address = f", e-mail {escape(email)}" if email else ""
    return f"Ответ будет адресован: <b>{escape(name)}</b>{address}. Всё верно?"


def filed(number: int, kind: str, due: date) -> str:
    registered = "зарегистрирована" if kind == "complaint" else "зарегистрировано"
    return (
        f"✅ {KIND_NAMES[kind]} {registered} под <b>№{number}</b>.\n"
        f"Ответ будет дан не позднее {fmt_date(due)}. Мы сообщим здесь о каждом изменении. "
        f"Узнать статус: /status {number}"
    )


def status_line(view: AppealView, tz: ZoneInfo) -> str:
    line = (
        f"№{view.number} от {fmt_date(view.registered_at.astimezone(tz).date())} — "
        f"{KIND_NAMES[view.kind].lower()}, {STATE_NAMES[view.state]}"
    )
    if view.state == "redirected" and view.redirected_to:
        line += f" ({escape(view.redirected_to)})"
    elif view.state in ("registered", "in_work"):
        line += f", ответ до {fmt_date(view.due_at.astimezone(tz).date())}"
    return line


def citizen_taken(number: int) -> str:
    return f"Ваше обращение №{number} взято в работу."


def citizen_answer(number: int, answer: str, executor: str | None = None) -> str:
    signed = f"\n\n<i>Ответил(а): {escape(executor)}</i>" if executor else ""
    return (
        f"📬 <b>Ответ на обращение №{number}</b>\n\n{escape(answer)}{signed}\n\n"
        "Оцените, пожалуйста, ответ от 1 (совсем не устроил) до 5 (полностью устроил). "
        "Если что-то осталось неясным, можно один раз задать уточняющий вопрос."
    )


def citizen_redirected(number: int, body: str) -> str:
    return (
        f"Ваше обращение №{number} перенаправлено по компетенции: {escape(body)}. "
        "Ответ Вам даст этот орган."
    )


def citizen_extended(number: int, due: date, reason: str) -> str:
    return (
        f"Срок рассмотрения обращения №{number} продлён до {fmt_date(due)}. "
        f"Причина: {escape(reason)}"
    )


def offer(text: str) -> str:
    quote = text if len(text) <= OFFER_QUOTE else text[: OFFER_QUOTE - 1] + "…"
    return f"{OFFER_APPEAL}\n\n«{escape(quote)}»"


OFFER_QUOTE = 300


def citizen_outcome(number: int, outcome: str, answer: str | None) -> str:
    """The complaint's outcome, with the staff's own words from the answer."""
    decision = (
        "жалоба удовлетворена" if outcome == "satisfied" else "в удовлетворении жалобы отказано"
    )
    words = f"\n\n{escape(answer)}" if answer else ""
    return f"По жалобе №{number} принято решение: <b>{decision}</b>.{words}"


def citizen_closed(number: int) -> str:
    return f"Обращение №{number} закрыто."


# --- Staff --------------------------------------------------------------------------------
BUTTON_TAKE = "Взять в работу"
BUTTON_ANSWER = "Ответить"
BUTTON_REDIRECT = "Перенаправить"
BUTTON_CLOSE = "Отклонить / закрыть"
NOT_STAFF = "Эта команда доступна только сотрудникам, работающим с обращениями."
NOT_ADMIN = "Эта команда доступна только администраторам."
EMPTY_ANSWER = "Ответ не может быть пустым."
UNKNOWN_KIND = "Неизвестный вид обращения."
UNKNOWN_TOPIC = "Такой темы нет в классификаторе."
UNKNOWN_OUTCOME = "Неизвестный результат жалобы."
BAD_RATING = "Оценка — число от 1 до 5."
ALREADY_RATED = "Вы уже оценили этот ответ. Спасибо!"
FOLLOWUP_NOT_ANSWERED = "По этому обращению ещё нет ответа."
FOLLOWUP_USED = "Уточняющий вопрос по этому обращению уже задан."
ANSWER_USAGE = "Использование: /answer N текст ответа"
REDIRECT_USAGE = "Использование: /redirect N название органа (до 300 символов)"
EXTEND_USAGE = "Использование: /extend N причина продления"
CLOSE_USAGE = "Использование: /close N"
FORMAL_USAGE = (
    "Использование: /formal N номер дата — обращение №N зарегистрировано официально "
    "(по 59-ФЗ) под этим номером, дата в виде ДД.ММ.ГГГГ или «сегодня»."
)
APPEALS_USAGE = "Использование: /appeals [open|overdue|all]"
STAFF_USAGE = (
    "Использование: /staff add ID Фамилия И.О., должность; /staff remove ID; /staff (список).\n"
    "ID: число (Telegram) или мессенджер:число — tg:123, vk:456, max:789."
)
ANSWER_PROMPT = (
    "✍️ Ответ на №{number}: напишите текст ответа следующим сообщением. Перед отправкой "
    "заявителю бот покажет его для проверки."
)
REDIRECT_PROMPT = "↪️ Перенаправление №{number}: напишите название органа следующим сообщением."
CARD_MARK = "📨"
FOLLOWUP_MARK = "❓"
BUTTON_SEND = "Отправить"
BUTTON_EDIT = "Изменить"
BUTTON_ABORT = "Отмена"
ANSWER_ABORTED = "Ответ не отправлен."
ANSWER_EDIT = "✍️ Напишите новый текст ответа на №{number}."
NO_STAFF_CHAT = "Чат сотрудников не настроен (TG_STAFF_CHAT_ID)."
NOTHING_FOUND = "Обращений нет."


def answer_too_long(length: int, limit: int) -> str:
    return f"Ответ слишком длинный ({length} символов), можно не больше {limit}."


def not_found(number: int) -> str:
    return f"Обращение №{number} не найдено."


def not_open(number: int, state: str) -> str:
    return f"Обращение №{number} уже не в работе (состояние: {state})."


def already_taken(number: int) -> str:
    return f"Обращение №{number} уже в работе."


def already_extended(number: int) -> str:
    return f"Срок по обращению №{number} уже продлевался: продлить можно только один раз."


def already_final(number: int) -> str:
    return f"Обращение №{number} уже закрыто или перенаправлено."


def not_complaint(number: int) -> str:
    return f"№{number} — не жалоба: результат записывается только для жалоб."


def staff_card(view: AppealView, topic_title: str, tz: ZoneInfo) -> str:
    author = escape(view.name) if view.name else "—"
    if view.email:
        author += f", {escape(view.email)}"
    channel = CHANNEL_NAMES.get(view.channel, view.channel)
    lines: list[str | None] = [
        f"{CARD_MARK} <b>{KIND_NAMES[view.kind]} №{view.number}</b> ({channel})",
        f"Тема: {escape(topic_title)}",
        f"Заявитель: {author}",
        f"Поступило: {fmt_datetime(view.received_at.astimezone(tz))}",
        f"Ответить до: {fmt_date(view.due_at.astimezone(tz).date())}",
        f"Вложений: {len(view.attachments)}" if view.attachments else None,
        formal_line(view),
        "",
        escape(view.text),
        "",
        "Чтобы ответить заявителю, ответьте (reply) на это сообщение.",
    ]
    return "\n".join(line for line in lines if line is not None)


def formal_line(view: AppealView) -> str | None:
    if view.formal_number is None or view.formal_date is None:
        return None
    return (
        f"Зарегистрировано официально: № {escape(view.formal_number)} "
        f"от {fmt_date(view.formal_date)}"
    )


def formal_recorded(view: AppealView) -> str:
    return f"№{view.number}: {formal_line(view)}."


def staff_followup(number: int, text: str) -> str:
    return (
        f"{FOLLOWUP_MARK} <b>Уточняющий вопрос по №{number}</b>\n\n{escape(text)}\n\n"
        "Чтобы ответить заявителю, ответьте (reply) на это сообщение."
    )


def staff_rated(number: int, rating: int) -> str:
    return f"⭐ Заявитель оценил ответ на №{number}: {rating} из 5."


def staff_rating_reason(number: int, reason: str) -> str:
    return f"⭐ Что не устроило заявителя в ответе на №{number}: {escape(reason)}"


def outcome_prompt(number: int) -> str:
    return f"Ответ по жалобе №{number} отправлен. Каков результат рассмотрения жалобы?"


def notice(notified: bool | None) -> str:
    """How the citizen's notice went, for the staff's confirmation."""
    if notified is False:
        return (
            "\n⚠️ Уведомление заявителю не доставлено (бот заблокирован, сбой связи или "
            "слишком длинный текст). Сообщите ему другим способом."
        )
    return " Заявитель уведомлён." if notified else ""


def answered(number: int, notified: bool | None = True) -> str:
    if notified is False:
        return f"Ответ на №{number} сохранён.{notice(notified)}"
    return f"Ответ на №{number} отправлен заявителю."


def taken(number: int, who: str) -> str:
    return f"№{number} взято в работу: {escape(who)}."


def redirected(number: int, body: str, notified: bool | None = True) -> str:
    return f"№{number} перенаправлено: {escape(body)}.{notice(notified)}"


def extended(number: int, due: date, notified: bool | None = True) -> str:
    return f"Срок по №{number} продлён до {fmt_date(due)}.{notice(notified)}"


def closed(number: int, notified: bool | None = True) -> str:
    return f"№{number} закрыто.{notice(notified)}"


def outcome_recorded(number: int, outcome: str) -> str:
    return f"Результат жалобы №{number}: {OUTCOME_NAMES[outcome]}."


def staff_line(view: AppealView, tz: ZoneInfo, now: datetime) -> str:
    mark = "🔴 " if view.overdue(now) else ""
    return (
        f"{mark}№{view.number} {KIND_NAMES[view.kind].lower()}, "
        f"{CHANNEL_NAMES.get(view.channel, view.channel)}, {STATE_NAMES[view.state]}, "
        f"до {fmt_date(view.due_at.astimezone(tz).date())}: {escape(view.text[:60])}"
    )


def staff_added(key: str, added: bool, signature: str | None) -> str:
    who = f"{key} ({escape(signature)})" if signature else key
    if added:
        return f"Сотрудник {who} добавлен."
    return f"{who} уже в списке сотрудников; имя и должность обновлены."


def staff_removed(key: str, removed: bool) -> str:
    return f"Сотрудник {key} удалён." if removed else f"{key} не было в списке."


def staff_list(people: list[tuple[str, str | None]]) -> str:
    """(key, signature) of each staff member."""
    if not people:
        return "Сотрудники: пока никого."
    lines = [f"• {key}" + (f" — {escape(sign)}" if sign else "") for key, sign in people]
    return "\n".join(["Сотрудники:", *lines])


UNSIGNED = (
    "⚠️ Вы не указаны с именем и должностью: заявитель не увидит, кто ответил. "
    "Администратор может добавить их: /staff add ID Фамилия И.О., должность"
)


def answer_preview(number: int, text: str, executor: str | None) -> str:
    signed = f"\n\n<i>Ответил(а): {escape(executor)}</i>" if executor else f"\n\n{UNSIGNED}"
    return (
        f"👀 <b>Проверьте ответ на №{number}</b> перед отправкой заявителю:\n\n"
        f"{escape(text)}{signed}"
    )


def digest(soon: list[AppealView], overdue: list[AppealView], tz: ZoneInfo) -> str:
    parts = ["<b>Сроки по обращениям</b>"]
    if overdue:
        parts.append(f"\n🔴 Просрочено: {len(overdue)}")
        parts += [f"№{v.number}, срок {fmt_date(v.due_at.astimezone(tz).date())}" for v in overdue]
    if soon:
        parts.append(f"\n🟡 Срок в ближайшие дни: {len(soon)}")
        parts += [f"№{v.number}, срок {fmt_date(v.due_at.astimezone(tz).date())}" for v in soon]
    return "\n".join(parts)


# --- /register ----------------------------------------------------------------------------
REGISTER_CHANNEL = "Регистрация обращения. Откуда оно поступило?"
REGISTER_KIND = "Вид:"
REGISTER_TOPIC = "Тема:"
REGISTER_TEXT = "Пришлите текст (или краткое содержание) обращения."
REGISTER_DATE = "Дата поступления (ДД.ММ.ГГГГ), или «сегодня»."
REGISTER_BAD_DATE = "Не понял дату. Пример: 05.07.2026 или «сегодня»."
REGISTER_FUTURE_DATE = "Дата поступления не может быть в будущем."
REGISTER_CANCELLED = "Регистрация отменена."
TODAY_WORDS = ("сегодня", "today")


def registered(number: int, due: date) -> str:
    return f"Зарегистрировано под №{number}, ответ до {fmt_date(due)}."


# --- /report appeals ---------------------------------------------------------------------
REPORT_USAGE = (
    "Использование: /report appeals [ПЕРИОД], ПЕРИОД: 2026Q3 (квартал), 2026H1 (полугодие) "
    "или 2026 (год); по умолчанию текущий квартал."
)


def _share(part: int, whole: int) -> str:
    return fmt_percent(part / whole) if whole else "—"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{fmt_num(seconds / 86400)} дн. ({fmt_num(seconds / 3600)} ч)"


def metrics_text(m: AppealMetrics, topic_title: Callable[[str], str]) -> str:
    lines = [f"<b>Обращения и жалобы за {m.period.label}</b>", f"Всего поступило: {m.total}"]
    if not m.total:
        return "\n".join(lines)
    lines.append("\n<b>1. По каналам</b>")
    lines += [f"{CHANNEL_NAMES.get(c, c)}: {n} ({_share(n, m.total)})" for c, n in m.by_channel]
    lines.append("\n<b>По видам</b>")
    lines += [f"{KIND_NAMES.get(k, k)}: {n} ({_share(n, m.total)})" for k, n in m.by_kind]
    lines.append("\n<b>2–3. Темы (основные причины)</b>")
    lines += [f"{escape(topic_title(t))}: {n} ({_share(n, m.total)})" for t, n in m.by_topic]
    lines.append(f"\n<b>4. Время до ответа</b> (ответов: {m.answer.count})")
    lines += [
        f"среднее: {_duration(m.answer.mean)}",
        f"медиана: {_duration(m.answer.median)}",
        f"90-й процентиль: {_duration(m.answer.p90)}",
    ]
    lines.append(f"\n<b>Перенаправление</b> (перенаправлено: {m.redirect.count})")
    if m.redirect.count:
        lines += [
            f"среднее время: {_duration(m.redirect.mean)}",
            f"медиана: {_duration(m.redirect.median)}",
            f"позже 7 дней: {m.late_redirects}",
        ]
    lines.append(f"\n<b>5–6. Жалобы</b>: {m.complaints}")
    lines += [
        f"удовлетворено: {m.satisfied} ({_share(m.satisfied, m.complaints)})",
        f"отказано: {m.refused} ({_share(m.refused, m.complaints)})",
    ]
    lines.append(f"\n<b>7. Нарушен срок ответа</b>: {m.overdue} ({_share(m.overdue, m.total)})")
    lines.append(f"\n<b>Оценки заявителей</b>: {m.rated}")
    if m.rated and m.rating_mean is not None:
        lines += [
            f"средняя: {fmt_num(m.rating_mean)} из 5",
            f"удовлетворены (4–5): {m.rating_satisfied} ({_share(m.rating_satisfied, m.rated)})",
            f"низкие (1–2): {m.rating_low}, с пояснением: {m.rating_reasons}",
        ]
    return "\n".join(lines)
