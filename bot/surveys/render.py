"""A survey step as a messenger-neutral reply: prompt text and answer buttons."""

from __future__ import annotations

from functools import lru_cache

from bot.core.actions import Scope, encode, parse
from bot.core.ports import Button, Reply
from bot.surveys.flow import DONE, NOT_APPLICABLE, SKIP, Draft, SurveyFlow
from bot.surveys.questionnaire import (
    OTHER_SCALE,
    CriterionQuestion,
    MatrixQuestion,
    MultiChoiceQuestion,
    Option,
    RatingQuestion,
    RecommendQuestion,
    SingleChoiceQuestion,
    Step,
    TextQuestion,
)
from bot.texts import survey as texts

BACK_VALUE = "back"


def step_action(window_id: int, step: Step, value: str) -> str:
    """Button payload naming the window and step, so a stale button can be recognised."""
    return _action(window_id, step.index, value)


def _action(window_id: int, index: int, value: str) -> str:
    return encode(Scope.SURVEY, str(window_id), index, value)


def parse_step_action(action: str) -> tuple[int, int, str] | None:
    parsed = parse(action)
    if parsed is None or parsed.scope is not Scope.SURVEY or not parsed.verb.isdigit():
        return None
    index = parsed.number(0)
    if index is None or len(parsed.args) < 2:
        return None
    return int(parsed.verb), index, ":".join(parsed.args[1:])


RESUME = "resume"
CONTINUE = "continue"
RESTART = "restart"


def resume_action(window_id: int, choice: str) -> str:
    """ "Continue" / "start over" for a survey under way in this window."""
    return encode(Scope.SURVEY, RESUME, window_id, choice)


def parse_resume_action(action: str) -> tuple[int, str] | None:
    parsed = parse(action)
    if parsed is None or parsed.scope is not Scope.SURVEY or parsed.verb != RESUME:
        return None
    window_id = parsed.number(0)
    if window_id is None or len(parsed.args) != 2 or parsed.args[1] not in (CONTINUE, RESTART):
        return None
    return window_id, parsed.args[1]


def rating_rows(window_id: int, step: Step, allow_na: bool) -> list[list[Button]]:
    """1-10 as two rows of five: fits a phone, and VK's inline keyboard limits."""
    return [list(row) for row in _rating_rows(window_id, step.index, allow_na)]


@lru_cache(maxsize=1024)
def _rating_rows(window_id: int, index: int, allow_na: bool) -> tuple[tuple[Button, ...], ...]:
    """The same eleven buttons for everyone at this step, built once (most presses are
    ratings)."""
    rows = [
        tuple(Button(str(n), _action(window_id, index, str(n))) for n in range(start, start + 5))
        for start in (1, 6)
    ]
    if allow_na:
        rows.append((Button(texts.NOT_APPLICABLE, _action(window_id, index, NOT_APPLICABLE)),))
    return tuple(rows)


BUTTON_TEXT_MAX = 30
"""Longer than this, an option's text is cut off on a phone's button (and VK cuts at 40)."""
NUMBERS_PER_ROW = 5


def numbered(options: list[Option]) -> bool:
    """Options too long for a button are listed in the text and the buttons carry numbers."""
    return any(len(o.text) > BUTTON_TEXT_MAX for o in options)


def option_rows(
    window_id: int,
    step: Step,
    options: list[Option],
    ticked: set[str] | frozenset[str] = frozenset(),
) -> list[list[Button]]:
    """One option per line (the texts must stay readable), or numbers in rows of five."""
    if not numbered(options):
        return [
            [
                Button(
                    (texts.TICK if o.id in ticked else "") + o.text,
                    step_action(window_id, step, o.id),
                )
            ]
            for o in options
        ]
    buttons = [
        Button((texts.TICK if o.id in ticked else "") + str(n), step_action(window_id, step, o.id))
        for n, o in enumerate(options, 1)
    ]
    return [buttons[i : i + NUMBERS_PER_ROW] for i in range(0, len(buttons), NUMBERS_PER_ROW)]


def with_numbered_options(prompt: str, options: list[Option]) -> str:
    if not numbered(options):
        return prompt
    return f"{prompt}\n\n{texts.numbered_options([o.text for o in options])}"


def _multi(
    window_id: int, draft: Draft, step: Step, question: MultiChoiceQuestion
) -> tuple[str, list[list[Button]]]:
    if step.scale == OTHER_SCALE:
        assert question.other_option is not None
        return texts.other_prompt(question.other_option.text), []
    ticked = set(draft.selection)
    buttons = option_rows(window_id, step, question.options, ticked)
    buttons.append([Button(texts.DONE, step_action(window_id, step, DONE))])
    prompt = texts.multi_prompt(question.asked, len(ticked))
    return with_numbered_options(prompt, question.options), buttons


def render_step(flow: SurveyFlow, draft: Draft, step: Step, *, edit: bool = False) -> Reply:
    window_id = draft.window_id
    question = step.question
    position, total = flow.progress(draft, step)
    if isinstance(question, CriterionQuestion):
        prompt = (
            texts.criterion_score_prompt(question.asked)
            if step.scale == "score"
            else texts.criterion_importance_prompt(question.asked)
        )
        buttons = rating_rows(window_id, step, question.allow_na and step.scale == "score")
    elif isinstance(question, RatingQuestion):
        prompt = texts.rating_prompt(
            question.asked,
            texts.row_line(step.row.text, *flow.row_progress(draft, step)) if step.row else None,
            question.low_label,
            question.high_label,
        )
        buttons = rating_rows(window_id, step, question.allow_na)
    elif isinstance(question, RecommendQuestion):
        prompt = texts.recommend_prompt(question.asked, question.low_label, question.high_label)
        buttons = rating_rows(window_id, step, False)
    elif isinstance(question, SingleChoiceQuestion):
        prompt = with_numbered_options(texts.choice_prompt(question.asked), question.options)
        buttons = option_rows(window_id, step, question.options)
    elif isinstance(question, MatrixQuestion):
        assert step.row is not None
        prompt = texts.matrix_prompt(question.asked, step.row.text, *flow.row_progress(draft, step))
        prompt = with_numbered_options(prompt, question.options)
        buttons = option_rows(window_id, step, question.options)
    elif isinstance(question, MultiChoiceQuestion):
        prompt, buttons = _multi(window_id, draft, step, question)
    elif isinstance(question, TextQuestion):
        if step.row is not None:
            prompt = texts.text_rows_prompt(
                question.asked,
                step.row.text,
                *flow.row_progress(draft, step),
                has_buttons=bool(question.options or question.optional),
            )
        elif question.options:
            prompt = texts.text_with_options_prompt(question.asked)
        else:
            prompt = texts.text_prompt(question.asked, question.optional)
        buttons = option_rows(window_id, step, question.options)
        if question.optional:
            buttons.append([Button(texts.SKIP, step_action(window_id, step, SKIP))])
    else:
        raise AssertionError(f"unknown question kind {question!r}")
    if draft.history:
        buttons = [*buttons, [Button(texts.BACK, step_action(window_id, step, BACK_VALUE))]]
    header = texts.question_header(position, total)
    return Reply(f"{header}\n\n{prompt}", buttons, edit=edit)
