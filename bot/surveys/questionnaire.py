"""Questionnaires as data: the model, the YAML loader and its validation.

A body edits the YAML files under `questionnaires/` (or its own folder, `QUESTIONNAIRES_DIR`);
the loader refuses a file with a message naming the file, the question and the fault, so a
mistake is found when the bot starts rather than halfway through somebody's survey.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

BUILTIN_DIR = Path(__file__).with_name("questionnaires")
IDENT = r"^[a-z][a-z0-9_]{0,23}$"
"""Ids travel inside button payloads (Telegram allows 64 bytes), hence short and plain."""


class QuestionnaireError(Exception):
    """A questionnaire file is unusable; the message says where and why."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Model):
    id: str = Field(pattern=IDENT)
    text: str = Field(min_length=1, max_length=200)


class Row(_Model):
    id: str = Field(pattern=IDENT)
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
    text: str = Field(min_length=1, max_length=1000)
    when: Condition | None = None


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


class TextQuestion(_Question):
    kind: Literal["text"]
    optional: bool = True


Question = Annotated[
    CriterionQuestion | RatingQuestion | SingleChoiceQuestion | TextQuestion,
    Field(discriminator="kind"),
]


@dataclass(frozen=True)
class Step:
    """One thing the person is asked: a question, one row of it, or one scale of a criterion."""

    index: int
    question: CriterionQuestion | RatingQuestion | SingleChoiceQuestion | TextQuestion
    row: Row | None = None
    scale: str = ""

    @property
    def key(self) -> str:
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
            if question.when is not None:
                target = seen.get(question.when.question)
                if target is None:
                    raise ValueError(
                        f"{where}: условие ссылается на {question.when.question!r}, "
                        "которого нет среди предыдущих вопросов"
                    )
                if not isinstance(target, SingleChoiceQuestion):
                    raise ValueError(f"{where}: условие может зависеть только от вопроса single")
                known = {o.id for o in target.options}
                unknown = set(question.when.in_ or question.when.not_in or []) - known
                if unknown:
                    raise ValueError(f"{where}: в условии неизвестные варианты {sorted(unknown)}")
            seen[question.id] = question
        return self

    def steps(self) -> list[Step]:
        """The questionnaire flattened into the order a person meets it."""
        steps: list[Step] = []
        for question in self.questions:
            if isinstance(question, CriterionQuestion):
                parts: Iterable[tuple[Row | None, str]] = [(None, "score"), (None, "importance")]
            elif isinstance(question, RatingQuestion) and question.rows:
                parts = [(row, "") for row in question.rows]
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


def _describe(error: dict, data: dict) -> str:
    loc = list(error["loc"])
    where = ""
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        questions = data.get("questions") or []
        qid = questions[loc[1]].get("id") if loc[1] < len(questions) else None
        where = f"вопрос {qid!r}" if qid else f"вопрос №{loc[1] + 1}"
        loc = loc[2:]
        if loc and isinstance(loc[0], str) and loc[0] in {"criterion", "rating", "single", "text"}:
            loc = loc[1:]
    field = ".".join(str(p) for p in loc)
    message = str(error["msg"]).removeprefix("Value error, ")
    return ", ".join(p for p in (where, f"поле {field}" if field else "", message) if p)


def load_questionnaire(path: Path) -> Questionnaire:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise QuestionnaireError(f"{path}: не удалось прочитать YAML: {exc}") from None
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
