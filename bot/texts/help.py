"""What /help says to each role, and the command menus (Telegram setMyCommands, MAX's bot
menu, the buttons of VK and MAX)."""

from __future__ import annotations

CITIZEN_COMMANDS = [
    ("start", "Начать: пройти опрос или написать обращение"),
    ("appeal", "Написать обращение или жалобу"),
    ("status", "Мои обращения: /status или /status N"),
    ("cancel", "Отменить то, что начато"),
    ("help", "Что умеет бот"),
]
EMPLOYEE_COMMANDS = [
    ("remind_me", "Напоминать об опросах сотрудников"),
    ("stop_reminders", "Больше не напоминать"),
]
STAFF_COMMANDS = [
    ("appeals", "Обращения: /appeals [open|overdue|all]"),
    ("answer", "Ответить: /answer N текст (с проверкой перед отправкой)"),
    ("redirect", "Перенаправить: /redirect N орган"),
    ("extend", "Продлить срок: /extend N причина"),
    ("close", "Закрыть: /close N"),
    ("register", "Зарегистрировать обращение с почты, телефона..."),
    ("report", "Анализ обращений: /report appeals [ПЕРИОД]"),
    ("export", "Реестр обращений: /export appeals [ПЕРИОД]"),
]
ADMIN_COMMANDS = [
    ("open_survey", "Открыть опрос: /open_survey ВИД [ДАТА]"),
    ("close_survey", "Закрыть окно досрочно: /close_survey N"),
    ("surveys", "Окна опросов"),
    ("report", "Отчёт с графиками: /report [N]; /report appeals"),
    ("export", "Выгрузка XLSX: /export N; /export accounting; /export appeals"),
    ("painmap", "Карта болей: /painmap N"),
    ("plan", "План опросов на год"),
    ("calendar", "Производственный календарь"),
    ("invite_codes", "Приглашения сотрудникам: /invite_codes N"),
    ("staff", "Сотрудники: /staff add ID Фамилия И.О., должность"),
]

# The menu buttons of VK and MAX: (label, the command line a press runs), for the commands that
# need no typed argument (staff's /report and /export with the fixed "appeals"). The role's own
# come first. /remind_me and /stop_reminders stay typed: they are for employees, whom the work
# chat's link brings, and would crowd every citizen's keyboard.
CITIZEN_MENU = [
    ("Написать обращение", "appeal"),
    ("Мои обращения", "status"),
    ("Начать", "start"),
    ("Отменить", "cancel"),
    ("Помощь", "help"),
]
STAFF_MENU = [
    ("Обращения в работе", "appeals"),
    ("Зарегистрировать обращение", "register"),
    ("Анализ обращений", "report appeals"),
    ("Реестр обращений", "export appeals"),
]
ADMIN_MENU = [
    ("Окна опросов", "surveys"),
    ("Отчёт по опросу", "report"),
    ("План опросов", "plan"),
    ("Календарь", "calendar"),
    ("Сотрудники", "staff"),
]
MENU_NOTE = "Команды — на кнопках."
"""The text of a message that carries only the menu (where the reply's own message already
has buttons of its own)."""

ROLE_TITLES = {
    "citizen": "Вы можете",
    "staff": "Вы — сотрудник, работающий с обращениями",
    "admin": "Вы — администратор",
}


def commands_for(role: str) -> list[tuple[str, str]]:
    """The menu of a role: the citizen's commands, then staff's, then admin's (one per name)."""
    found = [*CITIZEN_COMMANDS, *EMPLOYEE_COMMANDS]
    if role in ("staff", "admin"):
        found += STAFF_COMMANDS
    if role == "admin":
        found = [c for c in found if c[0] not in {"report", "export"}] + ADMIN_COMMANDS
    return found


def menu_for(role: str) -> list[tuple[str, str]]:
    """The role's menu buttons: (label, command line), the most specific first."""
    found = list(CITIZEN_MENU)
    if role in ("staff", "admin"):
        found = STAFF_MENU + found
    if role == "admin":
        found = ADMIN_MENU + found
    return found


def help_text(role: str) -> str:
    lines = [f"<b>{ROLE_TITLES[role]}.</b>", "", "<b>Опросы и обращения</b>"]
    lines += [f"/{name} — {what}" for name, what in CITIZEN_COMMANDS]
    lines += [
        "",
        "<b>Сотрудникам органа</b>: анонимный опрос открывается по ссылке из рабочего чата "
        "или по приглашению от администратора.",
    ]
    lines += [f"/{name} — {what}" for name, what in EMPLOYEE_COMMANDS]
    if role in ("staff", "admin"):
        lines += ["", "<b>Работа с обращениями</b> (в чате сотрудников — кнопки под карточкой)"]
        lines += [f"/{name} — {what}" for name, what in STAFF_COMMANDS]
    if role == "admin":
        lines += ["", "<b>Администрирование</b>"]
        lines += [f"/{name} — {what}" for name, what in ADMIN_COMMANDS]
    return "\n".join(lines)


def chat_id_text(chat_id: int | str) -> str:
    return (
        f"ID этого чата: <code>{chat_id}</code>\n"
        "Его указывают в настройках бота (TG_STAFF_CHAT_ID, VK_STAFF_CHAT_ID, "
        "TG_EMPLOYEE_CHAT_ID, VK_EMPLOYEE_CHAT_ID и т. п.)."
    )
