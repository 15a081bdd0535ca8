"""The introduction's "около N минут", from hand-counted questionnaires."""

from __future__ import annotations

from typing import Any

from bot.surveys.flow import SurveyFlow
from bot.surveys.questionnaire import Questionnaire
from bot.texts.survey import minutes


def single(qid: str, **extra: Any) -> dict[str, Any]:
    options = [{"id": "a", "text": "Да"}, {"id": "b", "text": "Нет"}]
    return {"id": qid, "kind": "single", "text": "Вопрос?", "options": options, **extra}


def test_presses_typing_and_conditions_add_up() -> None:
    questions = [single(f"q{n}") for n in range(6)]  # 6 x 10 s
    questions.append({"id": "must", "kind": "text", "text": "Что?", "optional": False})  # 60 s
    questions.append({"id": "may", "kind": "text", "text": "Ещё?", "optional": True})  # 30 s
    ready = [{"id": "none", "text": "Нет"}]
    questions.append(  # required, but a ready answer button: 30 s
        {"id": "ready", "kind": "text", "text": "Проблемы?", "optional": False, "options": ready}
    )
    questions.append(single("cond", when={"question": "q0", "in": ["a"]}))  # 10 s / 2
    questionnaire = Questionnaire.model_validate(
        {
            "id": "t",
            "title": "Т",
            "audience": "external",
            "working_days": 5,
            "intro": "И",
            "questions": questions,
        }
    )
    # 60 + 60 + 30 + 30 + 5 = 185 s = 3.08 min -> 3
    assert SurveyFlow(questionnaire).estimated_minutes() == 3


def test_minutes_after_okolo_take_the_genitive() -> None:
    assert minutes(1) == "около 1 минуты"
    assert minutes(2) == "около 2 минут"
    assert minutes(5) == "около 5 минут"
    assert minutes(11) == "около 11 минут"
    assert minutes(21) == "около 21 минуты"
