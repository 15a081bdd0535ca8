"""The CSI report of an external window, exactly as domain.md defines it.

Per criterion the importance and the score are averaged over respondents first and then
multiplied: CSI_i = mean_importance/10 * mean_score/10 * 100. The overall CSI is the mean of
CSI_i over the criteria. (Averaging per-respondent products instead is a known mistake.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.reports.survey_stats import choice_counts, numeric_stats, text_counts
from bot.surveys.questionnaire import (
    CriterionQuestion,
    Questionnaire,
    RatingQuestion,
    SingleChoiceQuestion,
    TextQuestion,
)

Level = Literal["high", "borderline", "low"]
HIGH_ABOVE = 71.0
LOW_BELOW = 70.0


def csi_index(mean_importance: float, mean_score: float) -> float:
    return mean_importance / 10 * mean_score / 10 * 100


def csi_level(value: float) -> Level:
    """Judged on the value as shown (one decimal), so the words never contradict the number."""
    shown = round(value, 1)
    if shown > HIGH_ABOVE:
        return "high"
    if shown < LOW_BELOW:
        return "low"
    return "borderline"


@dataclass(frozen=True)
class CriterionResult:
    number: int
    text: str
    answers: int
    mean_score: float
    mean_importance: float
    satisfied_share: float
    """Share of scores 8-10."""
    process: str | None = None
    """The body's process the criterion is about (questionnaire `process`), for the pain map."""

    @property
    def csi(self) -> float:
        return csi_index(self.mean_importance, self.mean_score)


@dataclass(frozen=True)
class RatingResult:
    number: int
    text: str
    answers: int
    mean: float
    high_share: float


@dataclass(frozen=True)
class ChoiceResult:
    number: int
    text: str
    counts: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


@dataclass
class CsiReport:
    respondents: int
    criteria: list[CriterionResult] = field(default_factory=list)
    ratings: list[RatingResult] = field(default_factory=list)
    choices: list[ChoiceResult] = field(default_factory=list)
    open_answers: int = 0

    @property
    def overall(self) -> float | None:
        if not self.criteria:
            return None
        return sum(c.csi for c in self.criteria) / len(self.criteria)


async def build_csi_report(
    session: AsyncSession, window_id: int, respondents: int, questionnaire: Questionnaire
) -> CsiReport:
    stats = {(s.question_id, s.row_id, s.scale): s for s in await numeric_stats(session, window_id)}
    choices = await choice_counts(session, window_id)
    report = CsiReport(respondents=respondents)
    report.open_answers = sum((await text_counts(session, window_id)).values())
    for number, question in enumerate(questionnaire.questions, start=1):
        if isinstance(question, CriterionQuestion):
            score = stats.get((question.id, "", "score"))
            importance = stats.get((question.id, "", "importance"))
            if score and importance:
                report.criteria.append(
                    CriterionResult(
                        number,
                        question.text,
                        score.answers,
                        score.mean,
                        importance.mean,
                        score.high / score.answers,
                        question.process,
                    )
                )
        elif isinstance(question, RatingQuestion):
            for row in question.rows or [None]:
                stat = stats.get((question.id, row.id if row else "", ""))
                if stat:
                    label = f"{question.text}: {row.text}" if row else question.text
                    report.ratings.append(
                        RatingResult(
                            number, label, stat.answers, stat.mean, stat.high / stat.answers
                        )
                    )
        elif isinstance(question, SingleChoiceQuestion):
            counts = choices.get((question.id, ""), {})
            report.choices.append(
                ChoiceResult(
                    number, question.text, [(o.text, counts.get(o.id, 0)) for o in question.options]
                )
            )
        else:
            assert isinstance(question, TextQuestion)
    return report
