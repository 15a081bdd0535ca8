"""Lines the bot writes to its log (stderr of `python -m bot run`), for the body's IT staff.

Kept apart from the console texts because they are not printed but logged: each is a %-style
template whose values the logging call passes (`log.warning(logs.X, value)`), so nothing is
formatted when the level is off. One line per event: what happened and what the bot does
about it. Only ids of chats, users and updates go in, never what people wrote or their names.
Technical names (VK, MAX, Telegram, API methods) stay as the APIs spell them.
"""

# --- Telegram --------------------------------------------------------------------------------
TG_COMMANDS_FAILED = "Telegram: setMyCommands не выполнен (%s), меню команд не обновлено"
TG_PERSON_MENU_FAILED = "Telegram: меню команд для %s не обновлено (%s)"
TG_MESSAGE_REFUSED = "Telegram: сообщение в чат %s отклонено (%s)"
TG_MESSAGE_GAVE_UP = "Telegram: сообщение в чат %s не отправлено, попыток: %d"
TG_ATTACHMENTS_FAILED = "Telegram: картинки или файлы в чат %s не отправлены (%s)"
TG_MEMBER_CHECK_FAILED = (
    "Telegram: getChatMember в чате сотрудников %s не выполнен (%s), сотруднику отказано в доступе"
)
TG_WEBHOOK_NO_SECRET = "Telegram: запрос к вебхуку без секрета отклонён"
TG_UPDATE_FAILED = "Telegram: обновление %s не обработано, Telegram пришлёт его повторно"

# --- VK --------------------------------------------------------------------------------------
VK_CALL_RETRY = "VK: метод %s не выполнен (%s), повтор %d через %.1f с"
VK_CALL_GAVE_UP = "VK: метод %s не выполнен, попыток: %d (%s)"
VK_OVERLOADED_AT_START = "VK перегружен при запуске (groups.getById), ссылки на бота ведут на %s"
VK_PRESS_ANSWER_FAILED = "VK: нажатие кнопки %s не подтверждено, ответ отправляется сообщением"
VK_LONGPOLL_CONNECTED = "VK: long poll подключён (группа %s)"
VK_LONGPOLL_RESUMED = "VK: long poll продолжает с места остановки (ts=%s)"
VK_LONGPOLL_FAILED_CODE = "VK: long poll ответил failed=%s, подключение восстанавливается"
VK_LONGPOLL_ERROR = "VK: ошибка long poll №%d (%s: %s), повтор через %.1f с"
VK_DISPATCH_FAILED = "VK: события не переданы на обработку"
VK_MEMBERS_FAILED = (
    "VK: messages.getConversationMembers в беседе %s не выполнен (%s), "
    "сотруднику отказано в доступе"
)
VK_WALL_POST_FAILED = "VK: wall.post не выполнен, приглашение на стене не опубликовано"
VK_MESSAGE_REFUSED = "VK: сообщение пользователю %s отклонено (%s)"
VK_MESSAGE_FAILED = "VK: сообщение пользователю %s не отправлено (%s)"
VK_CALLBACK_NO_SECRET = "VK: событие Callback API без секрета отклонено"

# --- MAX -------------------------------------------------------------------------------------
MAX_CALL_RETRY = "MAX: запрос %s %s не выполнен (%s), повтор %d через %.2f с"
MAX_CALL_GAVE_UP = "MAX: запрос %s %s не выполнен, попыток: %d (%s)"
MAX_UPLOAD_GAVE_UP = "MAX: файл не загружен, попыток: %d (%s)"
MAX_ME_FAILED = "MAX: GET /me не выполнен, ссылки на бота заработают, когда MAX ответит"
MAX_MENU_FAILED = "MAX: меню команд (PATCH /me) не обновлено (%s), бот работает без него"
MAX_PRESS_ANSWER_FAILED = "MAX: нажатие %s не подтверждено (%s), ответ отправляется сообщением"
MAX_CHAT_POST_FAILED = "MAX: сообщение в чат %s не опубликовано"
MAX_MEMBERS_FAILED = (
    "MAX: участники чата сотрудников %s не получены (%s), сотруднику отказано в доступе"
)
MAX_LONGPOLL_RESUMED = "MAX: long poll продолжает с места остановки (marker=%s)"
POLL_POSITION_NOT_SAVED = (
    "%s: место чтения long poll не сохранено; при перезапуске часть сообщений может быть потеряна"
)
MAX_LONGPOLL_ERROR = "MAX: ошибка long poll №%d (%s: %s), повтор через %.1f с"
MAX_DELIVERY_FAILED = "MAX: сообщение пользователю %s не доставлено (%s)"
MAX_WEBHOOK_NO_SECRET = "MAX: запрос к вебхуку без секрета отклонён"

# --- any messenger ---------------------------------------------------------------------------
UPDATE_FAILED = "Обновление от %s не обработано, следующие обрабатываются дальше"
OUTLET_POST_FAILED = "Приглашение в канал или чат %s (%s) не опубликовано"
PERSON_LOCK_TIMEOUT = "Блокировка собеседника не получена за 30 с, обработка идёт без неё"
PERSON_LOCK_EXPIRED = "Блокировка собеседника истекла раньше, чем закончилась обработка"
OUTBOX_PASS_FAILED = "Очередь исходящих: проход не выполнен, следующий через обычный интервал"
OUTBOX_NOT_DELIVERED = "Очередь исходящих: сообщение %s не доставлено (попытка %s), повтор позже"

# --- database, scheduler, jobs ---------------------------------------------------------------
HEALTHZ_DATABASE_DOWN = "healthz: база данных недоступна"
DATABASE_LOCKED = (
    "База данных заблокирована или разорвала соединение, транзакция повторяется (%d из %d)"
)
JOB_CLAIMED = "Задание %s выполняет экземпляр %s"
JOB_FAILED = "Задание %s не выполнено и освобождено для следующей попытки"
SURVEY_JOBS_DONE = "Выполнены задания опросов: %s"
DAILY_JOBS_RETAKEN = "Взяты на себя ежедневные задания: %s"

# --- surveys ---------------------------------------------------------------------------------
SURVEY_ANSWER_NOT_SAVED = (
    "Ответ на опрос не сохранён: база данных осталась заблокированной (%s), "
    "человека просят нажать ещё раз"
)
SURVEYS_NOT_RELEASED = "Завершённые анкеты пока не перенесены в ответы (%s), перенос позже"
SURVEY_UNDECRYPTABLE = "Завершённая анкета окна %s не расшифрована (секрет сменился) и пропущена"
WAL_CHECKPOINT_PARTIAL = "Контрольная точка WAL выполнена частично: базу читает другое соединение"
SCRUB_FAILED = "База не очищена после переноса анкет в ответы"
WINDOW_EVENT_FAILED = "Окно опроса %s: событие %s не выполнено, повтор позже"
PLAN_REMINDER_FAILED = "Напоминание о плане опросов %s не отправлено, повтор позже"
MISSED_REPORT_OWED = (
    "Окно опроса %s закрыто без отчёта в очереди исходящих: поставлен, получателей %s"
)

# --- appeals ---------------------------------------------------------------------------------
DIGEST_NOT_POSTED = "Сводка сроков не отправлена в чат сотрудников %s"
AUTHOR_NOT_NOTIFIED = "Автор обращения №%s не уведомлён"
STAFF_POST_FAILED = "Сообщение в чат сотрудников %s не отправлено, обращение видно в /appeals"
APPEALS_PURGED = "Обезличено обращений с истёкшим сроком хранения: %d"
QUARTERLY_CHARTS_FAILED = "Графики квартального анализа обращений %s не построены"
UPDATES_IN_HAND_AT_STOP = "Остановка: новые обновления не принимаются, дорабатываю начатые: %d"
UPDATES_CUT_AT_STOP = (
    "Остановка: не все начатые обновления завершились за %.0f с, остальные прерваны"
)

LEVEL_NAMES = {10: "ОТЛАДКА", 20: "ИНФО", 30: "ВНИМАНИЕ", 40: "ОШИБКА", 50: "СБОЙ"}
"""The levels as each log line names them (logging's DEBUG ... CRITICAL)."""
LEASE_NOT_RENEWED = "Задание %s: аренда не продлена, следующая попытка через треть срока"
CHANGE_NOT_ANNOUNCED = "Redis: другие экземпляры не оповещены об изменении «%s», их кэш истечёт сам"
CHANGES_NOT_HEARD = (
    "Redis: подписка на изменения прервалась, кэши сброшены, новая попытка через %.0f с"
)
