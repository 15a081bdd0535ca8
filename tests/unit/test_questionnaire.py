"""Questionnaire files: the shipped CSI one loads, broken ones are refused with a clear reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.surveys.questionnaire import QuestionnaireError, load_questionnaire, load_questionnaires

VALID_HEAD = """id: csi
title: Тест
audience: external
working_days: 10
intro: Вступление
questions:
"""


def write(tmp_path: Path, body: str, name: str = "csi") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(VALID_HEAD + body, encoding="utf-8")
    return path


def test_shipped_csi_matches_appendix_2() -> None:
    csi = load_questionnaires()["csi"]
    assert [c.text for c in csi.criteria()][:2] == [
        "Достаточность информации о функции",
        "Оптимальность количества необходимых к представлению документов",
    ]
    assert len(csi.criteria()) == 10
    assert csi.working_days == 10 and csi.audience == "external"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("  - {id: a, kind: criterion}\n", "вопрос 'a', поле text"),
        ("  - {id: a, kind: slider, text: x}\n", "вопрос 'a'"),
        (
            "  - {id: a, kind: single, text: x, options: [{id: o, text: y}]}\n",
            "вопрос 'a', поле options",
        ),
        (
            "  - {id: a, kind: text, text: x}\n  - {id: a, kind: text, text: y}\n",
            "вопрос 'a': такой id уже есть",
        ),
        ("  - {id: a, kind: text, text: x, when: {question: z, in: [o]}}\n", "ссылается на 'z'"),
        ("  - {id: Bad-Id, kind: text, text: x}\n", "поле id"),
    ],
)
def test_invalid_files_name_file_question_and_fault(
    tmp_path: Path, body: str, expected: str
) -> None:
    path = write(tmp_path, body)
    with pytest.raises(QuestionnaireError) as error:
        load_questionnaire(path)
    assert str(path) in str(error.value)
    assert expected in str(error.value)


def test_custom_dir_replaces_builtin(tmp_path: Path) -> None:
    write(tmp_path, "  - {id: only, kind: criterion, text: Единственный критерий}\n")
    custom = load_questionnaires(tmp_path)["csi"]
    assert [q.id for q in custom.questions] == ["only"]


def test_file_name_must_match_id(tmp_path: Path) -> None:
    path = write(tmp_path, "  - {id: a, kind: text, text: x}\n", name="other")
    with pytest.raises(QuestionnaireError, match="должен совпадать"):
        load_questionnaire(path)
