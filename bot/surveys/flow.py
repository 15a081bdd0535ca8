"""The survey flow: which step comes next, what counts as a valid answer, what "back" undoes.

Pure logic over a questionnaire and a draft (answers so far plus the order they were given),
shared by every messenger. Nothing here touches the database or a transport.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.surveys.questionnaire import (
    CriterionQuestion,
    Questionnaire,
    RatingQuestion,
    SingleChoiceQuestion,
    Step,
    TextQuestion,
)
from bot.texts import survey as texts

TEXT_LIMIT = 2000
RATING_MIN, RATING_MAX = 1, 10
NOT_APPLICABLE = "na"
SKIP = "skip"

Value = int | str | None


class InvalidAnswer(Exception):
    """The input does not answer the step; the message is the hint to show the person."""


@dataclass
class Draft:
    window_id: int
    answers: dict[str, Value] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"window_id": self.window_id, "answers": self.answers, "history": self.history}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Draft:
        return cls(data["window_id"], dict(data["answers"]), list(data["history"]))


@dataclass(frozen=True)
class AnswerRecord:
    """One stored value, in the shape of the `survey_answers` table."""

    question_id: str
    row_id: str = ""
    scale: str = ""
    choice: str = ""
    num: int | None = None
    text: str | None = None


class SurveyFlow:
    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        self.steps = questionnaire.steps()
        self._by_key = {step.key: step for step in self.steps}

    def step(self, key: str) -> Step:
        return self._by_key[key]

    def is_visible(self, step: Step, answers: dict[str, Value]) -> bool:
        condition = step.question.when
        if condition is not None and not condition.holds(answers.get(condition.question)):
            return False
        # "Not applicable" on a criterion's score makes asking its importance pointless.
        return not (
            step.scale == "importance" and answers.get(f"{step.question.id}/score", 0) is None
        )

    def visible_steps(self, answers: dict[str, Value]) -> list[Step]:
        return [s for s in self.steps if self.is_visible(s, answers)]

    def current_step(self, draft: Draft) -> Step | None:
        """The first visible step without an answer; None when the survey is complete."""
        for step in self.visible_steps(draft.answers):
            if step.key not in draft.answers:
                return step
        return None

    def progress(self, draft: Draft, step: Step) -> tuple[int, int]:
        visible = self.visible_steps(draft.answers)
        return visible.index(step) + 1, len(visible)

    def parse(self, step: Step, *, button: str | None = None, text: str | None = None) -> Value:
        """Turn a pressed button or typed text into the value to store, or raise InvalidAnswer."""
        question = step.question
        if isinstance(question, CriterionQuestion | RatingQuestion):
            return self._parse_rating(question, button, text)
        if isinstance(question, SingleChoiceQuestion):
            return self._parse_choice(question, button, text)
        if isinstance(question, TextQuestion):
            return self._parse_text(question, button, text)
        raise AssertionError(f"unknown question kind {question!r}")

    def _parse_rating(
        self, question: CriterionQuestion | RatingQuestion, button: str | None, text: str | None
    ) -> Value:
        raw = button if button is not None else (text or "").strip()
        if question.allow_na and (
            raw == NOT_APPLICABLE or raw.casefold() == texts.NOT_APPLICABLE.casefold()
        ):
            return None
        if raw.isdigit() and RATING_MIN <= int(raw) <= RATING_MAX:
            return int(raw)
        raise InvalidAnswer(texts.HINT_RATING)

    def _parse_choice(
        self, question: SingleChoiceQuestion, button: str | None, text: str | None
    ) -> Value:
        options = question.options
        if button is not None:
            if any(o.id == button for o in options):
                return button
            raise InvalidAnswer(texts.HINT_CHOICE)
        raw = (text or "").strip()
        if raw.isdigit() and 1 <= int(raw) <= len(options):
            return options[int(raw) - 1].id
        for option in options:
            if option.text.casefold() == raw.casefold():
                return option.id
        raise InvalidAnswer(texts.HINT_CHOICE)

    def _parse_text(self, question: TextQuestion, button: str | None, text: str | None) -> Value:
        if button == SKIP and question.optional:
            return None
        if button is not None or text is None:
            raise InvalidAnswer(texts.HINT_TEXT)
        value = text.strip()
        if not value:
            raise InvalidAnswer(texts.HINT_TEXT)
        if len(value) > TEXT_LIMIT:
            raise InvalidAnswer(texts.hint_text_too_long(len(value), TEXT_LIMIT))
        return value

    def record(self, draft: Draft, step: Step, value: Value) -> None:
        """Store the answer to the current step and forget answers that no longer apply."""
        if self.current_step(draft) != step:
            raise InvalidAnswer(texts.HINT_STALE)
        draft.answers[step.key] = value
        draft.history.append(step.key)
        self._prune(draft)

    def back(self, draft: Draft) -> bool:
        """Undo the last answer; False when there is nothing to undo."""
        if not draft.history:
            return False
        draft.answers.pop(draft.history.pop(), None)
        self._prune(draft)
        return True

    def _prune(self, draft: Draft) -> None:
        visible = {s.key for s in self.visible_steps(draft.answers)}
        for key in [k for k in draft.answers if k not in visible]:
            del draft.answers[key]
        draft.history = [k for k in draft.history if k in draft.answers]

    def records(self, draft: Draft) -> list[AnswerRecord]:
        """The answers of a complete draft as rows to store; "not applicable" stores nothing."""
        out: list[AnswerRecord] = []
        for step in self.visible_steps(draft.answers):
            value = draft.answers.get(step.key)
            if value is None:
                continue
            row = step.row.id if step.row else ""
            question = step.question
            if isinstance(question, SingleChoiceQuestion):
                out.append(AnswerRecord(question.id, row, step.scale, choice=str(value)))
            elif isinstance(question, TextQuestion):
                out.append(AnswerRecord(question.id, row, step.scale, text=str(value)))
            else:
                out.append(AnswerRecord(question.id, row, step.scale, num=int(value)))
        return out
