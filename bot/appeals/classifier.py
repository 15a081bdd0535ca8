"""The body's classifier of appeal topics, as a data file like the questionnaires."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.core.data_files import DataFileError, read_yaml

BUILTIN_TOPICS = Path(__file__).with_name("topics") / "topics.yaml"
OTHER = "other"


class ClassifierError(Exception):
    """The topics file is unusable; the message names the file and the fault."""


class Topic(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,23}$")
    title: str = Field(min_length=1, max_length=100)


class Classifier(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    topics: list[Topic] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_with_other(self) -> Classifier:
        ids = [t.id for t in self.topics]
        if len(set(ids)) != len(ids):
            raise ValueError("id тем должны быть уникальными")
        if OTHER not in ids:
            raise ValueError(f"нужна тема с id {OTHER!r} («Другое»)")
        return self

    def title(self, topic_id: str) -> str:
        """The title, or the id itself for a topic removed from the file since."""
        return next((t.title for t in self.topics if t.id == topic_id), topic_id)

    def __contains__(self, topic_id: object) -> bool:
        return any(t.id == topic_id for t in self.topics)


def load_classifier(path: Path | None = None) -> Classifier:
    path = path or BUILTIN_TOPICS
    try:
        return Classifier.model_validate(read_yaml(path))
    except DataFileError as exc:
        raise ClassifierError(str(exc)) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ClassifierError(f"{path}: {where}: {first['msg']}") from None
