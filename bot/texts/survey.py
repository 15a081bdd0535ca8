"""Texts of the respondent's side of a survey: menu, prompts, hints, buttons."""

from __future__ import annotations

from html import escape

# --- Buttons -----------------------------------------------------------------------------
BACK = "← Назад"
NOT_APPLICABLE = "Не приходилось сталкиваться"
SKIP = "Пропустить"
DONE = "Готово ✔"
TICK = "✅ "
START_SURVEY = "Пройти опрос"
CONTINUE = "Продолжить"
RESTART = "Начать заново"
MENU_SURVEY = "📝 Оценить работу органа"

# --- Citizen conversation ----------------------------------------------------------------


def welcome(body: str) -> str:
    return (
        f"Здравствуйте! Это бот обратной связи: {escape(body)}.\n\n"
        "Здесь можно анонимно оценить качество нашей работы или написать обращение. "
        "Выберите, что Вы хотите сделать:"
    )


def welcome_nothing_open(body: str) -> str:
    return (
        f"Здравствуйте! Это бот обратной связи: {escape(body)}.\n\n"
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
SURVEY_CLOSED_MEANWHILE = (
    "К сожалению, опрос завершился, пока Вы его проходили. Незаконченные ответы не учтены "
    "нигде и удалены. Спасибо, что начали отвечать!"
)
PRESS_AGAIN = (
    "Не удалось сохранить ответ: слишком много людей отвечают одновременно. Нажмите кнопку ещё раз."
)
PRESS_AGAIN_TOAST = "Не сохранилось, нажмите ещё раз"
DRAFT_LOST = "Не удалось восстановить Ваши ответы. Начните опрос заново: /start"
UNKNOWN_INPUT = "Я не понял сообщение. Меню: /start"
STALE_BUTTON = "Эта кнопка уже неактуальна."

HINT_RATING = "Пожалуйста, выберите оценку кнопкой или отправьте число от 1 до 10."
HINT_CHOICE = "Пожалуйста, выберите один из вариантов кнопкой."
HINT_TEXT = "Пожалуйста, напишите ответ текстом."
HINT_STALE = "Этот вопрос уже пройден. Ответьте, пожалуйста, на текущий вопрос."
HINT_NOT_TEXT = "Я понимаю только текст и нажатия кнопок."
HINT_MULTI = (
    "Отметьте подходящие варианты кнопками и нажмите «Готово» "
    "или отправьте их номера через запятую, например: 1, 3."
)
HINT_MULTI_EMPTY = "Отметьте хотя бы один вариант, затем нажмите «Готово»."
HINT_MULTI_EXCLUSIVE = "Этот вариант нельзя сочетать с другими. Выберите его отдельно."


def minutes(count: int) -> str:
    """ "около 5 минут": after "около" the genitive, singular for 1, 21, 31..."""
    word = "минуты" if count % 10 == 1 and count % 100 != 11 else "минут"
    return f"около {count} {word}"


def survey_intro(body: str, intro: str, duration: int) -> str:
    return (
        f"Опрос проводит {escape(body)}.\n\n{escape(intro)}\n\n"
        f"⏱ Это займёт {minutes(duration)}.\n\n{ANONYMITY_NOTICE}"
    )


def resume_question(position: int, total: int) -> str:
    return (
        f"Вы уже начали этот опрос и остановились на вопросе {position} из {total}. "
        "Продолжить или начать заново?"
    )


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


def rating_prompt(text: str, row_line: str | None, low: str, high: str) -> str:
    subject = f"<b>{escape(text)}</b>" + (f"\n\n{row_line}" if row_line else "")
    return f"{subject}\n\nОцените от 1 — {escape(low)} до 10 — {escape(high)}."


def choice_prompt(text: str) -> str:
    return f"<b>{escape(text)}</b>"


def text_prompt(text: str, optional: bool) -> str:
    tail = " Или нажмите «Пропустить»." if optional else ""
    return f"<b>{escape(text)}</b>\n\nНапишите ответ одним сообщением.{tail}"


def row_line(row: str, position: int, total: int) -> str:
    return f"<i>строка {position} из {total}:</i> <b>{escape(row)}</b>"


def numbered_options(options: list[str]) -> str:
    """Options listed in the text when the buttons carry only their numbers."""
    return "\n".join(f"{n}. {escape(text)}" for n, text in enumerate(options, 1))


def matrix_prompt(text: str, row: str, position: int, total: int) -> str:
    return f"{escape(text)}\n\n{row_line(row, position, total)}\n\nВыберите один ответ."


def text_rows_prompt(text: str, row: str, position: int, total: int, has_buttons: bool) -> str:
    tail = " или нажмите кнопку" if has_buttons else ""
    return (
        f"{escape(text)}\n\n{row_line(row, position, total)}\n\n"
        f"Напишите ответ одним сообщением{tail}."
    )


def text_with_options_prompt(text: str) -> str:
    return f"<b>{escape(text)}</b>\n\nНапишите ответ одним сообщением или нажмите кнопку."


def multi_prompt(text: str, chosen: int) -> str:
    state = f"Отмечено: {chosen}." if chosen else "Пока ничего не отмечено."
    return f"<b>{escape(text)}</b>\n\nОтметьте все подходящие варианты и нажмите «Готово». {state}"


def other_prompt(option: str) -> str:
    return f"Вы отметили «{escape(option)}». Уточните, пожалуйста, что именно (одним сообщением)."


def recommend_prompt(text: str, low: str, high: str) -> str:
    return f"<b>{escape(text)}</b>\n\nОцените от 1 — {escape(low)} до 10 — {escape(high)}."
