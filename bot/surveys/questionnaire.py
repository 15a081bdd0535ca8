"""Questionnaires as data: the model, the YAML loader and its validation.

A body edits the YAML files under `questionnaires/` (or its own folder, `QUESTIONNAIRES_DIR`);
the loader refuses a file with a message naming the file, the question and the fault, so a
mistake is found when the bot starts rather than halfway through somebody's survey.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.core.data_files import DataFileError, read_yaml

BUILTIN_DIR = Path(__file__).with_name("questionnaires")
IDENT = r"^[a-z][a-z0-9_]{0,23}$"
"""Ids travel inside button payloads (Telegram allows 64 bytes), hence short and plain."""
OTHER_SCALE = "other"
"""Step scale of the "please specify" text that follows a multiple choice with `other`."""
RESERVED_OPTION_IDS = frozenset({"back", "na", "skip", "done"})
"""Button values the flow itself uses; an option with such an id would be taken for them."""


class QuestionnaireError(Exception):
    """A questionnaire file is unusable; the message says where and why."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Model):
    id: str = Field(pattern=IDENT)
    text: str = Field(min_length=1, max_length=200)
    satisfied: bool = False
    """Matrix: the column counts as "satisfied" (fully or rather) in the report."""
    na: bool = False
    """Matrix: a "not applicable" column, left out of the satisfied share."""
    neutral: bool = False
    """Matrix: neither satisfied nor not ("hard to say"); charts draw it grey."""
    other: bool = False
    """Multiple choice: "other (specify)", followed by a question asking for the text."""
    exclusive: bool = False
    """Multiple choice: cannot be combined with other options ("hard to say")."""


class Row(_Model):
    id: str = Field(pattern=IDENT)
    process: str | None = Field(default=None, min_length=1, max_length=200)
    """The body's process this row is about, for the pain map (default: its question's)."""
    text: str = Field(min_length=1, max_length=300)


class Condition(_Model):
    """Show a question only when an earlier single-choice answer is (not) among options."""

    question: str
    in_: list[str] | None = Field(default=None, alias="in")
    not_in: list[str] | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Condition:
        if (self.in_ is None) == (self.not_in is None):
            raise ValueError("условие должно содержать ровно одно из: in, not_in")
        return self

    def holds(self, value: object) -> bool:
        if self.in_ is not None:
            return value in self.in_
        return value is not None and value not in (self.not_in or [])


class _Question(_Model):
    id: str = Field(pattern=IDENT)
    process: str | None = Field(default=None, min_length=1, max_length=200)
    """The body's process a criterion or a matrix is about: the pain map's process column."""
    text: str = Field(min_length=1, max_length=1000)
    """The formal wording (the act's criterion name), used in reports and exports."""
    short_text: str | None = Field(default=None, min_length=1, max_length=300)
    """What respondents see instead, in plain words ("услуга", not "функция")."""
    when: Condition | None = None
    rows_when: Condition | None = None
    """Ask a row only when the same row of an earlier matrix was answered in / not_in."""

    @property
    def asked(self) -> str:
        """The wording shown to the respondent."""
        return self.short_text or self.text


class CriterionQuestion(_Question):
    """A CSI criterion: rated on score, then on importance, both 1-10."""

    kind: Literal["criterion"]
    allow_na: bool = False


class RatingQuestion(_Question):
    """A 1-10 rating, optionally one per row (e.g. one per information resource)."""

    kind: Literal["rating"]
    rows: list[Row] = Field(default_factory=list)
    allow_na: bool = False
    low_label: str = "очень плохо"
    high_label: str = "идеально"


class SingleChoiceQuestion(_Question):
    kind: Literal["single"]
    options: list[Option] = Field(min_length=2, max_length=12)


class MatrixQuestion(_Question):
    """Rows x columns, one column per row; asked one row at a time."""

    kind: Literal["matrix"]
    rows: list[Row] = Field(min_length=1, max_length=20)
    options: list[Option] = Field(min_length=2, max_length=8)


class MultiChoiceQuestion(_Question):
    """Any number of options, confirmed with "done"; an `other` option asks for the text."""

    kind: Literal["multi"]
    options: list[Option] = Field(min_length=2, max_length=20)

    @property
    def other_option(self) -> Option | None:
        return next((o for o in self.options if o.other), None)


class RecommendQuestion(_Question):
    """ "How likely are you to recommend...", 1-10; reported as eNPS and the mean."""

    kind: Literal["recommend"]
    low_label: str = "очень маловероятно"
    high_label: str = "с большой вероятностью"


class TextQuestion(_Question):
    """Free text, optionally one per row; `options` are ready answers offered as buttons
    ("no problems", "not applicable") and stored as a choice instead of a text."""

    kind: Literal["text"]
    optional: bool = True
    rows: list[Row] = Field(default_factory=list, max_length=20)
    options: list[Option] = Field(default_factory=list, max_length=4)


AnyQuestion = (
    CriterionQuestion
    | RatingQuestion
    | SingleChoiceQuestion
    | MatrixQuestion
    | MultiChoiceQuestion
    | RecommendQuestion
    | TextQuestion
)
Question = Annotated[AnyQuestion, Field(discriminator="kind")]
KINDS = frozenset({"criterion", "rating", "single", "matrix", "multi", "recommend", "text"})


@dataclass(frozen=True)
class Step:
    """One thing the person is asked: a question, one row of it, or one scale of a criterion."""

    index: int
    question: AnyQuestion
    row: Row | None = None
    scale: str = ""

    @cached_property
    def key(self) -> str:
        """Computed once per step: every press looks up many keys (visibility, pruning)."""
        return "/".join(
            p for p in (self.question.id, self.row.id if self.row else "", self.scale) if p
        )


class Questionnaire(_Model):
    id: str = Field(pattern=IDENT)
    title: str = Field(min_length=1, max_length=200)
    audience: Literal["external", "internal"]
    working_days: int = Field(ge=1, le=60)
    intro: str = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> Questionnaire:
        seen: dict[str, Question] = {}
        for question in self.questions:
            where = f"вопрос {question.id!r}"
            if question.id in seen:
                raise ValueError(f"{where}: такой id уже есть")
            for group in ("options", "rows"):
                ids = [item.id for item in getattr(question, group, [])]
                if len(ids) != len(set(ids)):
                    raise ValueError(f"{where}: повторяются id в {group}")
            _check_options(where, question)
            if question.when is not None:
                target = _condition_target(where, question.when, seen)
                if not isinstance(target, SingleChoiceQuestion):
                    raise ValueError(f"{where}: условие может зависеть только от вопроса single")
            if question.rows_when is not None:
                target = _condition_target(where, question.rows_when, seen)
                if not isinstance(target, MatrixQuestion):
                    raise ValueError(f"{where}: rows_when может зависеть только от вопроса matrix")
                rows = getattr(question, "rows", [])
                missing = {r.id for r in rows} - {r.id for r in target.rows}
                if not rows or missing:
                    raise ValueError(
                        f"{where}: для rows_when строки вопроса должны быть строками "
                        f"{target.id!r}; нет таких: {sorted(missing)}"
                    )
            seen[question.id] = question
        return self

    def steps(self) -> list[Step]:
        """The questionnaire flattened into the order a person meets it."""
        steps: list[Step] = []
        for question in self.questions:
            rows = getattr(question, "rows", None)
            if isinstance(question, CriterionQuestion):
                parts: Iterable[tuple[Row | None, str]] = [(None, "score"), (None, "importance")]
            elif rows:
                parts = [(row, "") for row in rows]
            elif isinstance(question, MultiChoiceQuestion) and question.other_option:
                parts = [(None, ""), (None, OTHER_SCALE)]
            else:
                parts = [(None, "")]
            for row, scale in parts:
                steps.append(Step(len(steps), question, row, scale))
        return steps

    def criteria(self) -> list[CriterionQuestion]:
        return [q for q in self.questions if isinstance(q, CriterionQuestion)]

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, exclude_defaults=True)

    @classmethod
    def from_json(cls, raw: str) -> Questionnaire:
        return cls.model_validate(json.loads(raw))


def _condition_target(where: str, condition: Condition, seen: dict[str, Question]) -> Question:
    target = seen.get(condition.question)
    if target is None:
        raise ValueError(
            f"{where}: условие ссылается на {condition.question!r}, "
            "которого нет среди предыдущих вопросов"
        )
    known = {o.id for o in getattr(target, "options", [])}
    unknown = set(condition.in_ or condition.not_in or []) - known
    if unknown:
        raise ValueError(f"{where}: в условии неизвестные варианты {sorted(unknown)}")
    return target


def _check_options(where: str, question: Question) -> None:
    """Option flags make sense for one kind each; a misplaced one is a mistake in the file."""
    options: list[Option] = getattr(question, "options", [])
    reserved = sorted({o.id for o in options} & RESERVED_OPTION_IDS)
    if reserved:
        raise ValueError(f"{where}: id вариантов {reserved} зарезервированы, выберите другие")
    allowed = {
        MatrixQuestion: {"satisfied", "na", "neutral"},
        MultiChoiceQuestion: {"other", "exclusive"},
    }.get(type(question), set())
    for option in options:
        for flag in ("satisfied", "na", "neutral", "other", "exclusive"):
            if getattr(option, flag) and flag not in allowed:
                raise ValueError(
                    f"{where}: вариант {option.id!r}: {flag} не подходит для вопроса "
                    f"{question.kind}"
                )
        if sum((option.satisfied, option.na, option.neutral)) > 1:
            raise ValueError(
                f"{where}: вариант {option.id!r}: из satisfied, na и neutral нужен один флаг"
            )
    if sum(o.other for o in options) > 1:
        raise ValueError(f"{where}: вариант other может быть только один")
    if isinstance(question, MatrixQuestion) and all(o.na for o in options):
        raise ValueError(f"{where}: все столбцы помечены na, ответить нечем")


def _describe(error: dict, data: dict) -> str:
    loc = list(error["loc"])
    where = ""
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        questions = data.get("questions") or []
        qid = questions[loc[1]].get("id") if loc[1] < len(questions) else None
        where = f"вопрос {qid!r}" if qid else f"вопрос №{loc[1] + 1}"
        loc = loc[2:]
        if loc and isinstance(loc[0], str) and loc[0] in KINDS:
            loc = loc[1:]
    field = ".".join(str(p) for p in loc)
    message = str(error["msg"]).removeprefix("Value error, ")
    return ", ".join(p for p in (where, f"поле {field}" if field else "", message) if p)


def load_questionnaire(path: Path) -> Questionnaire:
    try:
        data = read_yaml(path)
    except DataFileError as exc:
        raise QuestionnaireError(str(exc)) from None
    if not isinstance(data, dict):
        raise QuestionnaireError(f"{path}: ожидался словарь с полями id, title, questions")
    try:
        questionnaire = Questionnaire.model_validate(data)
    except ValidationError as exc:
        raise QuestionnaireError(f"{path}: {_describe(exc.errors()[0], data)}") from None
    if questionnaire.id != path.stem:
        raise QuestionnaireError(f"{path}: id {questionnaire.id!r} должен совпадать с именем файла")
    return questionnaire


def load_questionnaires(custom_dir: Path | None = None) -> dict[str, Questionnaire]:
    """Built-in questionnaires, each replaced by a file of the same name in `custom_dir`."""
    files = {p.stem: p for p in sorted(BUILTIN_DIR.glob("*.yaml"))}
    if custom_dir is not None:
        if not custom_dir.is_dir():
            raise QuestionnaireError(f"{custom_dir}: папка с анкетами не найдена")
        files.update({p.stem: p for p in sorted(custom_dir.glob("*.yaml"))})
    return {name: load_questionnaire(path) for name, path in files.items()}
