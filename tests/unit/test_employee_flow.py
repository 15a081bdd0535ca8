"""Pure domain: the new question kinds in the flow, eNPS by hand, and loader validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.ports import split_text
from bot.reports.employee import enps
from bot.reports.survey_stats import DETRACTOR_MAX, PROMOTER_MIN
from bot.surveys.flow import DONE, AnswerRecord, Draft, InvalidAnswer, SurveyFlow
from bot.surveys.questionnaire import QuestionnaireError, load_questionnaire, load_questionnaires
from bot.texts.employee import fmt_signed


@pytest.fixture(scope="module")
def flow() -> SurveyFlow:
    return SurveyFlow(load_questionnaires()["employee"])


def answer_all(flow: SurveyFlow, draft: Draft, *buttons: str) -> None:
    for button in buttons:
        step = flow.current_step(draft)
        assert step is not None
        flow.answer(draft, step, button=button)


def test_employee_questionnaire_is_appendix_3(flow: SurveyFlow) -> None:
    questionnaire = flow.questionnaire
    assert len(questionnaire.questions) == 18
    assert questionnaire.audience == "internal" and questionnaire.working_days == 5
    kinds = [q.kind for q in questionnaire.questions]
    assert kinds.count("matrix") == 8 and kinds.count("text") == 3
    assert kinds[9] == "multi" and kinds[17] == "recommend"


def test_eNPS_by_hand() -> None:
    # 10, 9, 9, 7, 2: three of five 9-10 (60 %), one 1-6 (20 %): 60 - 20 = 40.
    assert enps(promoters=3, detractors=1, answers=5) == pytest.approx(40.0)
    # 8 answers: 1 promoter (12.5 %), 4 detractors (50 %): -37.5.
    assert enps(promoters=1, detractors=4, answers=8) == pytest.approx(-37.5)
    assert enps(promoters=0, detractors=0, answers=3) == 0.0
    assert [fmt_signed(v) for v in (40.0, -37.5, 0.0, 12.5)] == ["+40", "−37,5", "0", "+12,5"]


@pytest.mark.parametrize(
    ("answer", "promoter", "detractor"),
    [(10, True, False), (9, True, False), (8, False, False), (7, False, False),
     (6, False, True), (1, False, True)],
)  # fmt: skip
def test_eNPS_thresholds_9_and_6(answer: int, promoter: bool, detractor: bool) -> None:
    """The report query counts with these bounds (domain.md: 9-10 promote, 1-6 detract)."""
    assert (answer >= PROMOTER_MIN, answer <= DETRACTOR_MAX) == (promoter, detractor)


def test_row_condition_and_back_drop_orphaned_answers(flow: SurveyFlow) -> None:
    draft = Draft(1)
    answer_all(flow, draft, "rather_yes", *["never"] * 3, *["not_doing"] * 3)
    answer_all(flow, draft, "rather_no", "rather_yes", "rather_no", "hard", "no_contact")
    step = flow.current_step(draft)
    assert step is not None and step.key == "agency_problems/quality"
    assert flow.row_progress(draft, step) == (1, 2)
    flow.answer(draft, step, text="Неполные данные")
    assert flow.current_step(draft).key == "agency_problems/automation"  # type: ignore[union-attr]
    for _ in range(4):  # undo 5.1, 4.5, 4.4, 4.3
        flow.back(draft)
    assert "agency_problems/quality" not in draft.answers
    answer_all(flow, draft, "rather_yes", "hard", "no_contact")  # 4.3 now satisfied
    step = flow.current_step(draft)
    assert step is not None and step.key == "agency_problems/quality"
    assert flow.row_progress(draft, step) == (1, 1)
    for _ in range(5):  # back to 4.1, which is changed: question 5 disappears
        flow.back(draft)
    answer_all(flow, draft, "rather_yes", "rather_yes", "rather_yes", "hard", "no_contact")
    assert flow.current_step(draft).question.id == "colleagues"  # type: ignore[union-attr]
    assert not any(k.startswith("agency_problems") for k in draft.answers)


def test_skip_multiple_choice_other_and_records(flow: SurveyFlow) -> None:
    draft = Draft(1)
    answer_all(flow, draft, "rather_yes", *["never"] * 3, *["not_doing"] * 3, *["rather_yes"] * 5)
    answer_all(flow, draft, "rather_yes", "rather_yes", "rather_yes", "rather_yes")
    answer_all(flow, draft, "absent")
    assert flow.current_step(draft).question.id == "lawmaking"  # type: ignore[union-attr]
    flow.back(draft)
    answer_all(flow, draft, "hard")
    step = flow.current_step(draft)
    assert step is not None and step.question.id == "adaptation_measures"
    with pytest.raises(InvalidAnswer):
        flow.answer(draft, step, button=DONE)  # nothing ticked
    assert not flow.answer(draft, step, button="no_info")
    assert not flow.answer(draft, step, button="mentoring")  # clears the exclusive "no info"
    assert not flow.answer(draft, step, button="other")
    assert draft.selection == ["mentoring", "other"]
    assert flow.answer(draft, step, button=DONE)
    other = flow.current_step(draft)
    assert other is not None and other.key == "adaptation_measures/other"
    flow.answer(draft, other, text=" Экскурсия ")
    records = [r for r in flow.records(draft) if r.question_id == "adaptation_measures"]
    assert records == [
        AnswerRecord("adaptation_measures", choice="mentoring"),
        AnswerRecord("adaptation_measures", choice="other", text="Экскурсия"),
    ]
    work = [r for r in flow.records(draft) if r.question_id == "work_problems"]
    assert work[0] == AnswerRecord("work_problems", "appeals", choice="not_doing")


def test_typed_multiple_choice(flow: SurveyFlow) -> None:
    draft = Draft(1)
    answer_all(flow, draft, "rather_yes", *["never"] * 3, *["not_doing"] * 3, *["rather_yes"] * 5)
    answer_all(flow, draft, "rather_yes", "rather_yes", "rather_yes", "rather_yes", "rather_yes")
    step = flow.current_step(draft)
    assert step is not None
    with pytest.raises(InvalidAnswer):
        flow.answer(draft, step, text="6, 11")  # "hard to say" cannot be combined
    with pytest.raises(InvalidAnswer):
        flow.answer(draft, step, text="6, 40")
    flow.answer(draft, step, text="6, 1")
    assert draft.answers["adaptation_measures"] == ["briefing", "mentoring"]


def test_split_text_keeps_lines_whole() -> None:
    text = "\n".join(f"строка {n}" for n in range(1000))
    parts = split_text(text, limit=500)
    assert all(len(p) <= 500 for p in parts)
    assert "\n".join(parts) == text


BASE = """\
id: bad
title: Проверка
audience: internal
working_days: 5
intro: Текст
questions:
"""


@pytest.mark.parametrize(
    ("questions", "fault"),
    [
        (
            """
  - {id: m, kind: matrix, text: М, rows: [{id: a, text: А}],
     options: [{id: back, text: Да}, {id: nn, text: Нет}]}""",
            "зарезервированы",
        ),
        (
            """
  - {id: m, kind: matrix, text: М, rows: [],
     options: [{id: y, text: Да}, {id: n, text: Нет}]}""",
            "поле rows",
        ),
        (
            """
  - {id: m, kind: matrix, text: М, rows: [{id: a, text: А}],
     options: [{id: y, text: Да, na: true}, {id: n, text: Нет, na: true}]}""",
            "все столбцы помечены na",
        ),
        (
            """
  - {id: s, kind: single, text: С, options: [{id: y, text: Да, other: true}, {id: n, text: Н}]}""",
            "other не подходит для вопроса single",
        ),
        (
            """
  - {id: m, kind: multi, text: М,
     options: [{id: a, text: А, other: true}, {id: b, text: Б, other: true}]}""",
            "other может быть только один",
        ),
        (
            """
  - {id: s, kind: single, text: С, options: [{id: y, text: Да}, {id: n, text: Нет}]}
  - {id: t, kind: text, text: Т, rows: [{id: a, text: А}],
     rows_when: {question: s, in: [n]}}""",
            "rows_when может зависеть только от вопроса matrix",
        ),
        (
            """
  - {id: m, kind: matrix, text: М, rows: [{id: a, text: А}],
     options: [{id: y, text: Да}, {id: n, text: Нет}]}
  - {id: t, kind: text, text: Т, rows: [{id: zz, text: Б}],
     rows_when: {question: m, in: [n]}}""",
            "нет таких: ['zz']",
        ),
        (
            """
  - {id: m, kind: matrix, text: М, rows: [{id: a, text: А}],
     options: [{id: y, text: Да}, {id: n, text: Нет}]}
  - {id: t, kind: text, text: Т, rows: [{id: a, text: А}],
     rows_when: {question: m, in: [maybe]}}""",
            "неизвестные варианты ['maybe']",
        ),
        (
            """
  - {id: r, kind: recommend, text: Р, rows: [{id: a, text: А}]}""",
            "поле rows",
        ),
    ],
)
def test_loader_rejects_bad_new_kinds(tmp_path: Path, questions: str, fault: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BASE + questions.lstrip("\n") + "\n", encoding="utf-8")
    with pytest.raises(QuestionnaireError) as error:
        load_questionnaire(path)
    assert fault in str(error.value)
    assert "вопрос '" in str(error.value)
