"""The survey flow: which step comes next, what counts as a valid answer, what "back" undoes.

Pure logic over a questionnaire and a draft (answers so far plus the order they were given),
shared by every messenger. Nothing here touches the database or a transport.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.surveys.questionnaire import (
    OTHER_SCALE,
    Condition,
    CriterionQuestion,
    MatrixQuestion,
    MultiChoiceQuestion,
    Option,
    Questionnaire,
    RatingQuestion,
    RecommendQuestion,
    SingleChoiceQuestion,
    Step,
    TextQuestion,
)
from bot.texts import survey as texts

TEXT_LIMIT = 2000
PRESS_SECONDS = 10
"""A rough figure for reading a short question and pressing a button; typing takes longer."""
TYPING_SECONDS = 60
RATING_MIN, RATING_MAX = 1, 10
NOT_APPLICABLE = "na"
SKIP = "skip"
DONE = "done"

Value = int | str | list[str] | None
"""A rating, an option id or a text, the option ids of a multiple choice, or None for
"not applicable" / skipped."""


class InvalidAnswer(Exception):
    """The input does not answer the step; the message is the hint to show the person."""


@dataclass
class Draft:
    window_id: int
    answers: dict[str, Value] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    selection: list[str] = field(default_factory=list)
    """Options ticked so far on the current multiple-choice step, before "done"."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "window_id": self.window_id,
            "answers": self.answers,
            "history": self.history,
            "selection": self.selection,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Draft:
        return cls(
            data["window_id"],
            dict(data["answers"]),
            list(data["history"]),
            list(data.get("selection", [])),
        )


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
        # Most steps are asked whatever the answers; only the others need `is_visible`, which
        # every press runs over all steps several times.
        self._conditional = frozenset(
            step.index
            for step in self.steps
            if step.question.when is not None
            or (step.question.rows_when is not None and step.row is not None)
            or step.scale in (OTHER_SCALE, "importance")
        )

    def step(self, key: str) -> Step:
        return self._by_key[key]

    def is_visible(self, step: Step, answers: dict[str, Value], *, unknown: bool = False) -> bool:
        """Whether the step is asked given the answers; `unknown` is what a condition on a
        question not answered yet counts as (True: "may still be asked", for progress)."""
        question = step.question

        def holds(condition: Condition | None, key: str) -> bool:
            if condition is None:
                return True
            if key not in answers:
                return unknown
            return condition.holds(answers[key])

        if question.when is not None and not holds(question.when, question.when.question):
            return False
        rows_condition = question.rows_when
        if (
            rows_condition is not None
            and step.row is not None
            and not holds(rows_condition, f"{rows_condition.question}/{step.row.id}")
        ):
            return False
        if step.scale == OTHER_SCALE:
            assert isinstance(question, MultiChoiceQuestion) and question.other_option
            if question.id not in answers:
                return unknown
            chosen = answers.get(question.id)
            return isinstance(chosen, list) and question.other_option.id in chosen
        # "Not applicable" on a criterion's score makes asking its importance pointless.
        return not (step.scale == "importance" and answers.get(f"{question.id}/score", 0) is None)

    def visible_steps(self, answers: dict[str, Value], *, unknown: bool = False) -> list[Step]:
        conditional = self._conditional
        return [
            s
            for s in self.steps
            if s.index not in conditional or self.is_visible(s, answers, unknown=unknown)
        ]

    def current_step(self, draft: Draft) -> Step | None:
        """The first visible step without an answer; None when the survey is complete."""
        for step in self.visible_steps(draft.answers):
            if step.key not in draft.answers:
                return step
        return None

    def progress(self, draft: Draft, step: Step) -> tuple[int, int]:
        """ "Question 4 of 18": questions, not rows or scales. The total counts every question
        that may still be asked (a condition not yet decided counts as met), so answering can
        only lower it; the position counts the questions asked before this one, so moving on
        can only raise it."""
        maybe = self.visible_steps(draft.answers, unknown=True)
        questions = list(dict.fromkeys(_question_of(s) for s in maybe))
        before = {_question_of(s) for s in maybe if s.index < step.index}
        before.discard(_question_of(step))
        return len(before) + 1, len(questions)

    def estimated_minutes(self) -> int:
        """How long the questionnaire takes, for the introduction ("около 5 минут"): a
        button press is quick, typing is not (half when it may be skipped or answered with a
        ready button); a conditional step counts as half, since not everyone is asked it. At
        least one minute."""
        seconds = 0.0
        for step in self.steps:
            question = step.question
            if isinstance(question, TextQuestion) or step.scale == OTHER_SCALE:
                # Optional, or with ready answers as buttons: many press instead of typing.
                shortcut = getattr(question, "optional", False) or getattr(question, "options", [])
                cost = TYPING_SECONDS / (2 if shortcut else 1)
            else:
                cost = PRESS_SECONDS
            conditional = question.when is not None or question.rows_when is not None
            seconds += cost / 2 if conditional or step.scale == OTHER_SCALE else cost
        return max(1, round(seconds / 60))

    def row_progress(self, draft: Draft, step: Step) -> tuple[int, int]:
        """Which of the question's rows shown to this person the step is: "row 2 of 5"."""
        rows = [
            s
            for s in self.visible_steps(draft.answers)
            if s.question is step.question and s.row is not None
        ]
        return rows.index(step) + 1, len(rows)

    def answer(
        self, draft: Draft, step: Step, *, button: str | None = None, text: str | None = None
    ) -> bool:
        """Apply input to the current step: record an answer (True), or tick/untick an option
        of a multiple choice (False, the step stays current until "done")."""
        question = step.question
        value: Value
        if isinstance(question, MultiChoiceQuestion) and not step.scale:
            if button == DONE:
                if not draft.selection:
                    raise InvalidAnswer(texts.HINT_MULTI_EMPTY)
                value = [o.id for o in question.options if o.id in draft.selection]
            elif button is not None:
                self._toggle(draft, question, button)
                return False
            else:
                value = _parse_multi_typed(question, text)
        else:
            value = self.parse(step, button=button, text=text)
        self.record(draft, step, value)
        return True

    @staticmethod
    def _toggle(draft: Draft, question: MultiChoiceQuestion, option_id: str) -> None:
        """An exclusive option ("hard to say") clears the others, and any other clears it."""
        option = next((o for o in question.options if o.id == option_id), None)
        if option is None:
            raise InvalidAnswer(texts.HINT_MULTI)
        if option_id in draft.selection:
            draft.selection.remove(option_id)
            return
        exclusive = {o.id for o in question.options if o.exclusive}
        if option.exclusive:
            draft.selection.clear()
        else:
            draft.selection[:] = [s for s in draft.selection if s not in exclusive]
        draft.selection.append(option_id)

    def parse(self, step: Step, *, button: str | None = None, text: str | None = None) -> Value:
        """Turn a pressed button or typed text into the value to store, or raise InvalidAnswer."""
        question = step.question
        if isinstance(question, CriterionQuestion | RatingQuestion | RecommendQuestion):
            return _parse_rating(getattr(question, "allow_na", False), button, text)
        if isinstance(question, SingleChoiceQuestion | MatrixQuestion):
            return _parse_choice(question.options, button, text)
        if isinstance(question, TextQuestion):
            return _parse_text(question.optional, question.options, button, text)
        if isinstance(question, MultiChoiceQuestion) and step.scale == OTHER_SCALE:
            return _parse_text(False, [], button, text)
        raise AssertionError(f"unknown question kind {question!r}")

    def record(self, draft: Draft, step: Step, value: Value) -> None:
        """Store the answer to the current step and forget answers that no longer apply."""
        if self.current_step(draft) != step:
            raise InvalidAnswer(texts.HINT_STALE)
        draft.answers[step.key] = value
        draft.history.append(step.key)
        draft.selection = []
        self._prune(draft)

    def back(self, draft: Draft) -> bool:
        """Undo the last answer; False when there is nothing to undo. Answers to steps that
        the undone answer made visible are dropped with it (they are "orphaned"); a multiple
        choice comes back with its options still ticked."""
        if not draft.history:
            return False
        undone = draft.answers.pop(draft.history.pop(), None)
        self._prune(draft)
        draft.selection = list(undone) if isinstance(undone, list) else []
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
            if value is None or step.scale == OTHER_SCALE:
                continue
            row = step.row.id if step.row else ""
            question = step.question
            if isinstance(question, MultiChoiceQuestion):
                # One row per ticked option; "other" carries the person's own words with it.
                other = draft.answers.get(f"{question.id}/{OTHER_SCALE}")
                out.extend(
                    AnswerRecord(
                        question.id,
                        choice=option.id,
                        text=str(other) if option.other and other is not None else None,
                    )
                    for option in question.options
                    if isinstance(value, list) and option.id in value
                )
            elif isinstance(question, SingleChoiceQuestion | MatrixQuestion):
                out.append(AnswerRecord(question.id, row, step.scale, choice=str(value)))
            elif isinstance(question, TextQuestion):
                # A ready answer ("no problems") is a choice; anything typed is a text.
                if any(o.id == value for o in question.options):
                    out.append(AnswerRecord(question.id, row, step.scale, choice=str(value)))
                else:
                    out.append(AnswerRecord(question.id, row, step.scale, text=str(value)))
            else:
                assert isinstance(value, int)
                out.append(AnswerRecord(question.id, row, step.scale, num=value))
        return out


def _question_of(step: Step) -> tuple[str, str]:
    """What counts as one question for progress: the rows of a question are one, its "please
    specify" belongs to it, but a criterion's score and importance are asked as two."""
    return step.question.id, "" if step.scale == OTHER_SCALE else step.scale


def _parse_rating(allow_na: bool, button: str | None, text: str | None) -> Value:
    raw = button if button is not None else (text or "").strip()
    if allow_na and (raw == NOT_APPLICABLE or raw.casefold() == texts.NOT_APPLICABLE.casefold()):
        return None
    if raw.isdigit() and RATING_MIN <= int(raw) <= RATING_MAX:
        return int(raw)
    raise InvalidAnswer(texts.HINT_RATING)


def _option_by_text(options: list[Option], raw: str) -> Option | None:
    """A typed option: its number in the list, or its text in any letter case."""
    raw = raw.strip()
    if raw.isdigit() and 1 <= int(raw) <= len(options):
        return options[int(raw) - 1]
    return next((o for o in options if o.text.casefold() == raw.casefold()), None)


def _parse_choice(options: list[Option], button: str | None, text: str | None) -> Value:
    if button is not None:
        if any(o.id == button for o in options):
            return button
        raise InvalidAnswer(texts.HINT_CHOICE)
    option = _option_by_text(options, text or "")
    if option is None:
        raise InvalidAnswer(texts.HINT_CHOICE)
    return option.id


def _parse_multi_typed(question: MultiChoiceQuestion, text: str | None) -> Value:
    """Typed numbers ("1, 3, 8") answer a multiple choice at once."""
    parts = [p for p in (text or "").replace(";", ",").replace(" ", ",").split(",") if p]
    chosen = [_option_by_text(question.options, p) for p in parts]
    if not chosen or any(o is None for o in chosen):
        raise InvalidAnswer(texts.HINT_MULTI)
    ids = {o.id for o in chosen if o is not None}
    if len(ids) > 1 and any(o.exclusive for o in question.options if o.id in ids):
        raise InvalidAnswer(texts.HINT_MULTI_EXCLUSIVE)
    return [o.id for o in question.options if o.id in ids]


def _parse_text(
    optional: bool, options: list[Option], button: str | None, text: str | None
) -> Value:
    if button == SKIP and optional:
        return None
    if button is not None and any(o.id == button for o in options):
        return button
    if button is not None or text is None:
        raise InvalidAnswer(texts.HINT_TEXT)
    value = text.strip()
    ready = next((o for o in options if o.text.casefold() == value.casefold()), None)
    if ready is not None:
        return ready.id
    if not value:
        raise InvalidAnswer(texts.HINT_TEXT)
    if len(value) > TEXT_LIMIT:
        raise InvalidAnswer(texts.hint_text_too_long(len(value), TEXT_LIMIT))
    return value
