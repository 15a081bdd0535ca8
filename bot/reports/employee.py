"""The report of an internal (employee) window: shares per answer, satisfaction per matrix row,
the weakest rows, eNPS, and how many open answers each row got.

Small groups de-anonymise, so every block computed from fewer than `min_group_size` answers is
marked hidden and carries no numbers at all; the texts of open answers never appear here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.reports.survey_stats import (
    choice_counts,
    recommend_stats,
    respondents_per_question,
    text_counts,
)
from bot.surveys.questionnaire import (
    MatrixQuestion,
    MultiChoiceQuestion,
    Option,
    Questionnaire,
    RecommendQuestion,
    Row,
    SingleChoiceQuestion,
    TextQuestion,
)

LOWEST_ROWS = 5


def enps(promoters: int, detractors: int, answers: int) -> float:
    """Share of 9-10 minus share of 1-6, in percentage points (-100..100)."""
    return (promoters - detractors) / answers * 100


@dataclass(frozen=True)
class Counted:
    """Answers to one question or one row: (option text, count) in questionnaire order."""

    label: str
    total: int
    counts: list[tuple[str, int]]
    hidden: bool
    satisfied_share: float | None = None
    """Matrix rows: fully + rather satisfied among the answers that are not "not applicable"."""
    dissatisfied: int = 0
    """Matrix rows: answers that are neither satisfied, "hard to say" nor "not applicable"."""
    opinions: int = 0
    """Matrix rows: answers that give an opinion (neither "hard to say" nor "not applicable")."""
    process: str | None = None
    """The body's process the row is about (questionnaire `process`), for the pain map."""

    @property
    def dissatisfied_share(self) -> float | None:
        """Not satisfied among those who gave an opinion: "hard to say" is no dissatisfaction."""
        return self.dissatisfied / self.opinions if self.opinions else None


BlockKind = Literal["choice", "open", "recommend"]


@dataclass(frozen=True)
class ChoiceBlock:
    kind: ClassVar[BlockKind] = "choice"
    number: int
    text: str
    rows: list[Counted]
    multi: bool = False


@dataclass(frozen=True)
class OpenRow:
    label: str
    texts: int
    ready: list[tuple[str, int]]
    hidden: bool


@dataclass(frozen=True)
class OpenBlock:
    kind: ClassVar[BlockKind] = "open"
    number: int
    text: str
    rows: list[OpenRow]


@dataclass(frozen=True)
class RecommendBlock:
    kind: ClassVar[BlockKind] = "recommend"
    number: int
    text: str
    answers: int
    hidden: bool
    mean: float = 0.0
    enps: float = 0.0
    promoters: int = 0
    detractors: int = 0


Block = ChoiceBlock | OpenBlock | RecommendBlock


@dataclass
class EmployeeReport:
    respondents: int
    min_group: int
    blocks: list[Block] = field(default_factory=list)
    lowest: list[tuple[int, str, Counted]] = field(default_factory=list)
    """(question number, question text, row) with the lowest satisfied share."""


def _counted(
    label: str,
    options: list[Option],
    counts: dict[str, int],
    min_group: int,
    total: int,
    process: str | None = None,
) -> Counted:
    if total < min_group:
        return Counted(label, total, [], hidden=True, process=process)
    satisfied_share, dissatisfied, opinions = None, 0, 0
    if any(o.satisfied for o in options):
        rated = sum(counts.get(o.id, 0) for o in options if not o.na)
        satisfied = sum(counts.get(o.id, 0) for o in options if o.satisfied)
        satisfied_share = satisfied / rated if rated >= min_group else None
        opinions = sum(counts.get(o.id, 0) for o in options if not (o.na or o.neutral))
        if opinions >= min_group:
            dissatisfied = opinions - satisfied
        else:
            opinions = 0
    return Counted(
        label,
        total,
        [(o.text, counts.get(o.id, 0)) for o in options],
        hidden=False,
        satisfied_share=satisfied_share,
        dissatisfied=dissatisfied,
        opinions=opinions,
        process=process,
    )


async def build_employee_report(
    session: AsyncSession,
    window_id: int,
    respondents: int,
    questionnaire: Questionnaire,
    min_group: int,
) -> EmployeeReport:
    choices = await choice_counts(session, window_id)
    written = await text_counts(session, window_id)
    per_question = await respondents_per_question(session, window_id)
    recommend = await recommend_stats(
        session,
        window_id,
        [q.id for q in questionnaire.questions if isinstance(q, RecommendQuestion)],
    )
    report = EmployeeReport(respondents, min_group)
    for number, question in enumerate(questionnaire.questions, start=1):
        if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
            counts = choices.get((question.id, ""), {})
            multi = isinstance(question, MultiChoiceQuestion)
            total = per_question.get(question.id, 0) if multi else sum(counts.values())
            row = _counted("", question.options, counts, min_group, total)
            report.blocks.append(ChoiceBlock(number, question.text, [row], multi=multi))
        elif isinstance(question, MatrixQuestion):
            rows = []
            for matrix_row in question.rows:
                counts = choices.get((question.id, matrix_row.id), {})
                counted = _counted(
                    matrix_row.text,
                    question.options,
                    counts,
                    min_group,
                    sum(counts.values()),
                    matrix_row.process or question.process,
                )
                rows.append(counted)
                if counted.satisfied_share is not None:
                    report.lowest.append((number, question.text, counted))
            report.blocks.append(ChoiceBlock(number, question.text, rows))
        elif isinstance(question, TextQuestion):
            rows_out = [
                _open_row(question, row, choices, written, min_group) for row in _rows(question)
            ]
            report.blocks.append(OpenBlock(number, question.text, rows_out))
        elif isinstance(question, RecommendQuestion):
            stat = recommend.get(question.id)
            if stat is None or stat.answers < min_group:
                answers = stat.answers if stat else 0
                report.blocks.append(RecommendBlock(number, question.text, answers, hidden=True))
            else:
                report.blocks.append(
                    RecommendBlock(
                        number,
                        question.text,
                        stat.answers,
                        hidden=False,
                        mean=stat.mean,
                        enps=enps(stat.promoters, stat.detractors, stat.answers),
                        promoters=stat.promoters,
                        detractors=stat.detractors,
                    )
                )
    report.lowest.sort(key=lambda item: item[2].satisfied_share or 0.0)
    del report.lowest[LOWEST_ROWS:]
    return report


def _rows(question: TextQuestion) -> list[Row | None]:
    return list(question.rows) if question.rows else [None]


def _open_row(
    question: TextQuestion,
    row: Row | None,
    choices: dict[tuple[str, str], dict[str, int]],
    written: dict[tuple[str, str], int],
    min_group: int,
) -> OpenRow:
    row_id = row.id if row else ""
    counts = choices.get((question.id, row_id), {})
    texts_count = written.get((question.id, row_id), 0)
    label = row.text if row else ""
    if texts_count + sum(counts.values()) < min_group:
        return OpenRow(label, 0, [], hidden=True)
    return OpenRow(
        label, texts_count, [(o.text, counts.get(o.id, 0)) for o in question.options], False
    )
