"""Lines the command line (`python -m bot ...`) prints for the operator."""

from bot.texts.common import counted

NO_TOKEN = """\
Не задан ни BOT_TOKEN (Telegram), ни VK_GROUP_TOKEN с VK_GROUP_ID (ВКонтакте),
ни MAX_BOT_TOKEN (MAX), поэтому боту не к чему подключиться.

Как получить токен:
  1. Откройте в Telegram @BotFather и отправьте /newbot.
  2. Придумайте имя и адрес бота (адрес заканчивается на bot).
  3. Скопируйте выданный токен (вида 123456789:AA...) в файл .env: BOT_TOKEN=...
  4. Узнайте свой id у @userinfobot и впишите его в ADMIN_IDS, затем снова: make run
Для ВКонтакте: ключ доступа сообщества и его id (см. README, раздел «ВКонтакте»).
Для MAX: токен бота с платформы MAX для партнёров (см. README, «Работа без Telegram»).

А пока покажу, как работает бот, без Telegram и сети (python -m bot demo):
"""
MIGRATED = "База данных в актуальном состоянии ({url})."
DIGEST_NEEDS_CHAT = (
    "Для сводки нужен чат сотрудников хотя бы в одном мессенджере: TG_STAFF_CHAT_ID "
    "(с BOT_TOKEN), VK_STAFF_CHAT_ID (с VK_GROUP_TOKEN и VK_GROUP_ID) или MAX_STAFF_CHAT_ID "
    "(с MAX_BOT_TOKEN)."
)
DIGEST_FAILED = "Сводку не удалось отправить ни в один чат сотрудников; подробности в журнале выше."
DIGEST_SENT = "Сводка сроков по обращениям отправлена в чаты сотрудников."
DIGEST_EMPTY = "Обращений с близким или истёкшим сроком нет, сводка не нужна."
PURGED = "Обезличено обращений с истёкшим сроком хранения: {count}."
STARTING = "Бот @{username} запущен. Остановка: Ctrl+C."
VK_STARTING = "Бот сообщества ВКонтакте (группа {group_id}) запущен."
VK_REFUSED = (
    "ВКонтакте не принял настройки ({error}). Проверьте VK_GROUP_TOKEN (ключ доступа сообщества "
    "с правом на сообщения) и VK_GROUP_ID (числовой id этого сообщества)."
)
NO_ADMINS_WARNING = (
    "Внимание: ADMINS и ADMIN_IDS пусты — команды администратора (/open_survey, /report) "
    "недоступны."
)
DEMO_HEADER = (
    "Демонстрация: настоящий бот и база данных, вместо Telegram — локальный имитатор.\n"
    "Администратор открывает опрос, жители отвечают кнопками, затем администратор берёт отчёт.\n"
)
DEMO_EMPLOYEES = "\n=== Опрос сотрудников ===\n"
DEMO_APPEAL = "\n=== Обращение жителя и ответ сотрудника ===\n"


def demo_progress(done: int, total: int) -> str:
    return f"… прошли опрос: {done} из {counted(total, 'жителя', 'жителей', 'жителей')}"


def demo_citizens_done(total: int) -> str:
    return f"\nОпрос прошли {counted(total, 'житель', 'жителя', 'жителей')}.\n"


def demo_employee_progress(done: int, total: int) -> str:
    return f"… ответили {done} из {counted(total, 'сотрудника', 'сотрудников', 'сотрудников')}"


def links(count: int) -> str:
    return counted(count, "одноразовую ссылку", "одноразовые ссылки", "одноразовых ссылок")


DEMO_FILES = "\nГрафики и файлы отчёта (как их получает администратор) сохранены в {folder}:"
WEBHOOK_LISTENING = "Бот принимает вебхуки на {host}:{port} (проверка: GET /healthz)."
STOPPING = "Останавливаюсь: дорабатываю начатые обновления."
POLLING_STOPPING = "Останавливаюсь: получен сигнал остановки, дорабатываю начатые обновления."
MAX_STARTING = "Бот MAX @{username} запущен."
MAX_SUBSCRIPTION_REFUSED = (
    "MAX не принял подписку на вебхук {url} ({error}). Проверьте WEBHOOK_URL и WEBHOOK_SECRET "
    "(для MAX 5-256 символов A-Z a-z 0-9 _ -)."
)
MAX_REFUSED = (
    "MAX не принял токен ({error}). Проверьте MAX_BOT_TOKEN: его выдаёт платформа MAX для "
    "партнёров (business.max.ru, «Чат-боты» → бот → «Настройки»)."
)

# --- settings that stop the start (one line each, exit status 2) -------------------------
BAD_SETTING = "Ошибка в настройке {name}: {problem}"
DATABASE_URL_SHAPE = (
    "ожидался адрес вида sqlite+aiosqlite:///data/bot.db или "
    "postgresql+asyncpg://пользователь:пароль@сервер:5432/база"
)
DATABASE_URL_SYNC = (
    "бот работает с базой асинхронно: напишите {good}:// вместо {bad}:// "
    "(драйвер устанавливается вместе с ботом)"
)
DATABASE_URL_UNSUPPORTED = (
    "база {scheme} не поддерживается: нужен SQLite (sqlite+aiosqlite:///data/bot.db) или "
    "PostgreSQL (postgresql+asyncpg://пользователь:пароль@сервер:5432/база)"
)
DATABASE_URL_UNPARSED = "адрес базы не разобран ({reason}); пример: {example}"
DATABASE_FOLDER = (
    "не удалось создать папку «{folder}» для базы ({reason}); уберите мешающий файл или "
    "укажите в DATABASE_URL другой путь"
)
DATABASE_FILE = (
    "не удалось открыть базу «{path}» на запись ({reason}); дайте боту право записи в папку "
    "«{folder}» и в файл базы или укажите в DATABASE_URL другой путь"
)
DATABASE_UNREACHABLE = (
    "сервер базы данных {host}:{port} недоступен ({reason}); проверьте, что PostgreSQL "
    "запущен, и адрес с портом в DATABASE_URL"
)
DATABASE_MISSING = (
    "на сервере нет базы «{name}»; создайте её (createdb -O {user} {name}) или исправьте "
    "имя базы в DATABASE_URL"
)
DATABASE_REFUSED = (
    "сервер базы данных отказал ({reason}); проверьте пользователя и пароль в DATABASE_URL"
)
ANON_SECRET_SHORT = (
    "секрет короче {minimum} символов легко подобрать; задайте случайную строку, например "
    'вывод python -c "import secrets; print(secrets.token_urlsafe(32))"'
)
ANON_SECRET_FILE_BAD = (
    "файл «{path}» не похож на секрет (ожидалось не меньше {digits} шестнадцатеричных цифр); "
    "восстановите его из резервной копии или удалите, чтобы бот создал новый (незавершённые "
    "анкеты и отметки об участии в открытых опросах пропадут)"
)
ANON_SECRET_FILE_DENIED = (
    "нет доступа к файлу «{path}» ({reason}); дайте боту право записи в папку «{folder}» или "
    "задайте секрет настройкой ANON_SECRET"
)
API_UNREACHABLE = (
    "не удалось связаться с {api} по адресу {url} ({reason}); проверьте адрес и доступ "
    "сервера в интернет (или прокси)"
)
HOST_NOT_FOUND = "сервер с таким именем не найден: {reason}"
TELEGRAM_REFUSED = (
    "Telegram не принял токен ({error}). Проверьте BOT_TOKEN: его выдаёт @BotFather "
    "(/mybots → бот → API Token); после /revoke старый токен больше не действует."
)

# --- the body's YAML files (questionnaires, calendar, topics) ------------------------------
FILE_NOT_UTF8 = (
    "{path}: файл не в кодировке UTF-8 (байт {byte} на позиции {position}); сохраните его в UTF-8"
)
FILE_UNREADABLE = "{path}: не удалось прочитать файл ({reason})"
FILE_NOT_YAML = "{path}, строка {line}: ошибка разметки YAML ({problem})"
FILE_IMPOSSIBLE_DATE = (
    "{path}: невозможная дата {value}; пишите существующие даты в виде ГГГГ-ММ-ДД"
)
FILE_BAD_VALUE = "{path}: неверное значение ({reason})"

ARGPARSE = {
    "usage: ": "использование: ",
    "positional arguments": "команды и аргументы",
    "options": "параметры",
    "show this help message and exit": "показать эту справку и выйти",
    "%(prog)s: error: %(message)s\n": "%(prog)s: ошибка: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "аргумент %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "нет такого значения: %(value)r (можно: %(choices)s)"
    ),
    "the following arguments are required: %s": "не хватает аргументов: %s",
    "unrecognized arguments: %s": "лишние аргументы: %s",
    "invalid %(type)s value: %(value)r": "неверное значение (%(type)s): %(value)r",
    "expected one argument": "нужно одно значение",
    "ambiguous option: %(option)s could match %(matches)s": (
        "неоднозначный параметр %(option)s: подходят %(matches)s"
    ),
}
"""argparse's own words (usage, errors) as `python -m bot` prints them; argparse looks each up
through gettext at the moment it prints, so `bot.__main__` puts this table in its place."""
