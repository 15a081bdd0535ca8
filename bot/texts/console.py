"""Lines the command line (`python -m bot ...`) prints for the operator."""

NO_TOKEN = """\
Не задан ни BOT_TOKEN (Telegram), ни VK_GROUP_TOKEN с VK_GROUP_ID (ВКонтакте),
поэтому боту не к чему подключиться.

Как получить токен:
  1. Откройте в Telegram @BotFather и отправьте /newbot.
  2. Придумайте имя и адрес бота (адрес заканчивается на bot).
  3. Скопируйте выданный токен (вида 123456789:AA...) в файл .env: BOT_TOKEN=...
  4. Узнайте свой id у @userinfobot и впишите его в ADMIN_IDS, затем снова: make run
Для ВКонтакте: ключ доступа сообщества и его id (см. README, раздел «ВКонтакте»).

А пока покажу, как работает бот, без Telegram и сети (python -m bot demo):
"""
MIGRATED = "База данных в актуальном состоянии ({url})."
STARTING = "Бот @{username} запущен. Остановка: Ctrl+C."
VK_STARTING = "Бот сообщества ВКонтакте (группа {group_id}) запущен."
VK_ONLY_WARNING = (
    "Работает только ВКонтакте: команды администратора (/open_survey, /report) доступны "
    "в Telegram, задайте BOT_TOKEN."
)
NO_ADMINS_WARNING = (
    "Внимание: ADMIN_IDS пуст — команды администратора (/open_survey, /report) недоступны."
)
DEMO_HEADER = (
    "Демонстрация: настоящий бот и база данных, вместо Telegram — локальный имитатор.\n"
    "Администратор открывает опрос, жители отвечают кнопками, затем администратор берёт отчёт.\n"
)
