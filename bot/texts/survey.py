"""Texts of the respondent's side of a survey: menu, prompts, hints, buttons."""

from __future__ import annotations

from html import escape

# --- Buttons -----------------------------------------------------------------------------
BACK = "← Назад"
NOT_APPLICABLE = "Не сталкивался"
SKIP = "Пропустить"
START_SURVEY = "Пройти опрос"
MENU_SURVEY = "📝 Оценить работу органа"

# --- Citizen conversation ----------------------------------------------------------------
WELCOME = (
    "Здравствуйте! Это официальный бот обратной связи.\n\n"
    "Здесь можно анонимно оценить качество нашей работы. Выберите, что Вы хотите сделать:"
)
WELCOME_NOTHING_OPEN = (
    "Здравствуйте! Это официальный бот обратной связи.\n\n"
    "Сейчас опросов не проводится. Мы сообщим о следующем опросе в нашем канале."
)
ANONYMITY_NOTICE = (
    "🔒 Опрос анонимный: ответы хранятся без Вашего имени и id и не могут быть с Вами связаны. "
    "Результаты будут использованы для анализа качества работы органа и его услуг."
)
NO_OPEN_SURVEY = "Сейчас этот опрос не проводится. Спасибо за желание помочь!"
ALREADY_TOOK_PART = "Вы уже приняли участие в этом опросе. Спасибо!"
SURVEY_DONE = "Спасибо! Ваши ответы записаны анонимно. Они помогут нам работать лучше."
SURVEY_CANCELLED = "Опрос прерван, ответы не сохранены. Начать заново: /start"
NOTHING_TO_CANCEL = "Сейчас нечего отменять. Меню: /start"
SURVEY_CLOSED_MEANWHILE = "К сожалению, опрос уже завершён, и ответы больше не принимаются."
DRAFT_LOST = "Не удалось восстановить Ваши ответы. Начните опрос заново: /start"
UNKNOWN_INPUT = "Я не понял сообщение. Меню: /start"
STALE_BUTTON = "Эта кнопка уже неактуальна."

HINT_RATING = "Пожалуйста, выберите оценку кнопкой или отправьте число от 1 до 10."
HINT_CHOICE = "Пожалуйста, выберите один из вариантов кнопкой."
HINT_TEXT = "Пожалуйста, напишите ответ текстом."
HINT_STALE = "Этот вопрос уже пройден. Ответьте, пожалуйста, на текущий вопрос."
HINT_NOT_TEXT = "Я понимаю только текст и нажатия кнопок."


def hint_text_too_long(length: int, limit: int) -> str:
    return f"Ответ слишком длинный ({length} символов). Сократите его до {limit} символов."


def question_header(position: int, total: int) -> str:
    return f"Вопрос {position} из {total}"


def criterion_score_prompt(text: str) -> str:
    return f"<b>{escape(text)}</b>\n\nОцените, пожалуйста: 1 — очень плохо, 10 — идеально."


def criterion_importance_prompt(text: str) -> str:
    return (
        f"<b>{escape(text)}</b>\n\n"
        "Насколько этот критерий важен для Вас? 1 — не важно, 10 — очень важно."
    )


def rating_prompt(text: str, row: str | None, low: str, high: str) -> str:
    subject = f"<b>{escape(text)}</b>" + (f"\n\n{escape(row)}" if row else "")
    return f"{subject}\n\nОцените от 1 — {low} до 10 — {high}."


def choice_prompt(text: str) -> str:
    return f"<b>{escape(text)}</b>"


def text_prompt(text: str, optional: bool) -> str:
    tail = " Или нажмите «Пропустить»." if optional else ""
    return f"<b>{escape(text)}</b>\n\nНапишите ответ одним сообщением.{tail}"
