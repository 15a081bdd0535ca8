"""Pure parts of the appeal domain: terms and the topic classifier file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.appeals.classifier import ClassifierError, load_classifier
from bot.appeals.model import AppealTerms


def test_terms_are_calendar_days_and_retention_whole_years() -> None:
    terms = AppealTerms()
    registered = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)  # New Year's Eve: no holiday skips
    assert terms.answer_due(registered) == datetime(2027, 1, 30, 20, 0, tzinfo=UTC)
    assert terms.redirect_due(registered) == datetime(2027, 1, 7, 20, 0, tzinfo=UTC)
    leap_day = datetime(2028, 2, 29, 12, 0, tzinfo=UTC)
    assert terms.retention_cutoff(leap_day) == datetime(2023, 2, 28, 12, 0, tzinfo=UTC)
    assert AppealTerms(retention_years=1).retention_cutoff(registered) == datetime(
        2025, 12, 31, 20, 0, tzinfo=UTC
    )


def test_builtin_classifier_has_other() -> None:
    classifier = load_classifier()
    assert "other" in classifier
    assert classifier.title("staff") == "Работа сотрудников"
    assert classifier.title("removed_later") == "removed_later"


@pytest.mark.parametrize(
    ("body", "fault"),
    [
        ("topics:\n  - {id: roads, title: Дороги}\n", "other"),
        ("topics:\n  - {id: other, title: A}\n  - {id: other, title: B}\n", "уникальными"),
        ("topics:\n  - {id: Bad Id, title: A}\n", "topics.0.id"),
        ("topics: [", "topics.yaml"),
    ],
)
def test_classifier_file_errors_name_the_fault(tmp_path: Path, body: str, fault: str) -> None:
    path = tmp_path / "topics.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ClassifierError, match=fault):
        load_classifier(path)
