"""The accounting form (форма учета, Appendix 1 of seeds/003), filled from the questionnaires
and the windows of a year. Each source of feedback is one `AccountingRow`; the appeals part adds
its own row the same way."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.surveys.questionnaire import (
    CriterionQuestion,
    MatrixQuestion,
    Questionnaire,
    RecommendQuestion,
)
from bot.surveys.windows import WindowView
from bot.texts import export as texts
from bot.texts.common import fmt_date


@dataclass(frozen=True)
class AccountingRow:
    object: str
    function: str
    responsible: str
    method: str
    source: str
    criteria: str
    periodicity: str


def survey_rows(
    questionnaires: dict[str, Questionnaire], windows: Sequence[WindowView], year: int
) -> list[AccountingRow]:
    """One row per questionnaire: what it asks, and the windows it ran in during `year`."""
    rows = []
    for kind, questionnaire in sorted(questionnaires.items()):
        spans = [
            f"{fmt_date(w.opens_on)} – {fmt_date(w.closes_on)}"
            for w in sorted(windows, key=lambda w: w.opens_on)
            if w.kind == kind and w.opens_on.year == year
        ]
        rows.append(
            AccountingRow(
                object=texts.AUDIENCE_OBJECTS[questionnaire.audience],
                function=questionnaire.title,
                responsible="",
                method=texts.SURVEY_METHOD,
                source=texts.SURVEY_SOURCE.format(title=questionnaire.title),
                criteria=texts.criteria_list(research_criteria(questionnaire)),
                periodicity=texts.periods(
                    texts.NORMS[questionnaire.audience].format(days=questionnaire.working_days),
                    spans,
                    year,
                ),
            )
        )
    return rows


def research_criteria(questionnaire: Questionnaire) -> list[str]:
    """What a survey measures, briefly: the CSI criteria; for other questionnaires the
    processes its matrices are about (their `process`), and eNPS when it asks for one."""
    criteria = [q.text for q in questionnaire.questions if isinstance(q, CriterionQuestion)]
    if criteria:
        return criteria
    topics: list[str] = []
    for question in questionnaire.questions:
        if isinstance(question, MatrixQuestion) and any(o.satisfied for o in question.options):
            for row in question.rows:
                process = row.process or question.process or question.text
                if process not in topics:
                    topics.append(process)
        elif isinstance(question, RecommendQuestion) and texts.ENPS_CRITERION not in topics:
            topics.append(texts.ENPS_CRITERION)
    return topics


def accounting_table(rows: Sequence[AccountingRow]) -> list[list[object]]:
    return [
        [
            n,
            r.object,
            r.function,
            r.responsible,
            r.method,
            r.source,
            r.criteria,
            r.periodicity,
        ]
        for n, r in enumerate(rows, start=1)
    ]
