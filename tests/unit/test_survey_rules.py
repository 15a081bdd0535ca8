"""Rules of the survey flow that a one-line slip would break: a `not_in` condition on a
question nobody answered, and "skip" on a text step that must be answered."""

from __future__ import annotations

import pytest

from bot.surveys.flow import SKIP, Draft, InvalidAnswer, SurveyFlow
from bot.surveys.questionnaire import Condition, Questionnaire


def questionnaire(*questions: dict[str, object]) -> SurveyFlow:
    return SurveyFlow(
        Questionnaire.model_validate(
            {
                "id": "rules",
                "title": "Проверка",
                "audience": "external",
                "working_days": 5,
                "intro": "Текст",
                "questions": list(questions),
            }
        )
    )


USED = {
    "id": "used",
    "kind": "single",
    "text": "Пользовались сайтом?",
    "options": [{"id": "yes", "text": "Да"}, {"id": "no", "text": "Нет"}],
    "when": {"question": "gate", "in": ["open"]},
}
GATE = {
    "id": "gate",
    "kind": "single",
    "text": "Дальше?",
    "options": [{"id": "open", "text": "Да"}, {"id": "closed", "text": "Нет"}],
}
WHY = {
    "id": "why",
    "kind": "text",
    "text": "Почему не пользуетесь?",
    "when": {"question": "used", "not_in": ["yes"]},
}


def test_not_in_does_not_hold_for_an_unanswered_question() -> None:
    condition = Condition.model_validate({"question": "used", "not_in": ["yes"]})
    assert condition.holds("no")
    assert not condition.holds("yes")
    assert not condition.holds(None)  # never asked (or skipped): not "anything but yes"


def test_question_after_an_unasked_one_with_not_in_is_not_asked() -> None:
    flow = questionnaire(GATE, USED, WHY)
    draft = Draft(1)
    flow.answer(draft, flow.current_step(draft), button="closed")  # type: ignore[arg-type]
    assert flow.current_step(draft) is None  # "used" was never asked, so neither is "why"
    draft = Draft(1)
    flow.answer(draft, flow.current_step(draft), button="open")  # type: ignore[arg-type]
    flow.answer(draft, flow.current_step(draft), button="no")  # type: ignore[arg-type]
    step = flow.current_step(draft)
    assert step is not None and step.key == "why"


def test_skip_is_refused_on_a_required_text_step_and_accepted_on_an_optional_one() -> None:
    required = {"id": "must", "kind": "text", "text": "Опишите", "optional": False}
    optional = {"id": "may", "kind": "text", "text": "Предложения", "optional": True}
    flow = questionnaire(required, optional)
    draft = Draft(1)
    step = flow.current_step(draft)
    assert step is not None and step.key == "must"
    with pytest.raises(InvalidAnswer):
        flow.answer(draft, step, button=SKIP)
    assert "must" not in draft.answers and flow.current_step(draft) == step
    flow.answer(draft, step, text="Долго ждать")
    step = flow.current_step(draft)
    assert step is not None and step.key == "may"
    flow.answer(draft, step, button=SKIP)
    assert flow.current_step(draft) is None and draft.answers["may"] is None
