"""The draft pain map (карта болей, seeds/003 p.16-18 and Appendix 4).

Every source of pains (low CSI criteria, dissatisfied matrix rows of the employee survey, the
most frequent appeal topics and the complaints of the period) turns its findings into `Pain`
items; `rank_pains` orders them all on one scale.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.appeals.metrics import AppealMetrics
from bot.reports.csi import CsiReport, csi_level
from bot.reports.employee import ChoiceBlock, EmployeeReport
from bot.texts import painmap as texts


@dataclass(frozen=True)
class Pain:
    problem: str
    processes: tuple[str, ...]
    """The processes of the body this pain shows up in (p.18: pains tied to other processes
    get the highest priority)."""
    prevalence: float
    """Share of the people concerned who have it: respondents who scored 1-7, employees not
    satisfied among those who gave an opinion, or appeals of the topic among all appeals of
    the period."""
    basis: str
    """What the share is of, in words ("оценили на 1–7: 4 из 5")."""


@dataclass(frozen=True)
class RankedPain:
    priority: int
    """1 is the most urgent."""
    pain: Pain


def pain_weight(pain: Pain) -> float:
    """Prevalence counted once per process the pain touches: a pain felt by 30 % of clients in
    two processes outranks one felt by 45 % in a single process, as p.18 asks for both the most
    widespread pains and those linked with other processes to come first."""
    return pain.prevalence * len(pain.processes)


def rank_pains(pains: Iterable[Pain]) -> list[RankedPain]:
    ordered = sorted(pains, key=lambda p: (-pain_weight(p), -p.prevalence, p.problem))
    return [RankedPain(n, pain) for n, pain in enumerate(ordered, start=1)]


def csi_pains(report: CsiReport, process: str, min_group: int) -> list[Pain]:
    """Criteria with a low CSI (< 70); prevalence is the share of respondents who scored 1-7.
    The process is the criterion's own (`process` in the questionnaire), else `process`.
    Criteria answered by fewer than `min_group` people are left out."""
    return [
        Pain(
            problem=texts.csi_problem(c.text, c.csi),
            processes=(c.process or process,),
            prevalence=1 - c.satisfied_share,
            basis=texts.csi_basis(round((1 - c.satisfied_share) * c.answers), c.answers),
        )
        for c in report.criteria
        if c.answers >= min_group and csi_level(c.csi) == "low"
    ]


MATRIX_THRESHOLD = 0.3
"""A matrix row enters the pain map when more than this share of those who gave an opinion
is not satisfied ("hard to say" and "not applicable" left out)."""
TOP_APPEAL_TOPICS = 5


def matrix_pains(
    report: EmployeeReport, process: str, threshold: float = MATRIX_THRESHOLD
) -> list[Pain]:
    """Matrix rows of the employee survey where too many of those who gave an opinion are not
    satisfied; the process is the row's (or its matrix's) `process`, else `process`. Rows
    hidden by the minimum group size never appear."""
    pains = []
    for block in report.blocks:
        if not isinstance(block, ChoiceBlock):
            continue
        for row in block.rows:
            share = row.dissatisfied_share
            if row.hidden or share is None or share <= threshold:
                continue
            pains.append(
                Pain(
                    problem=texts.matrix_problem(block.text, row.label),
                    processes=(row.process or process,),
                    prevalence=share,
                    basis=texts.matrix_basis(row.dissatisfied, row.opinions),
                )
            )
    return pains


def appeal_pains(
    metrics: AppealMetrics, topic_title: Callable[[str], str], top: int = TOP_APPEAL_TOPICS
) -> list[Pain]:
    """The most frequent appeal topics of the period and its complaints; prevalence is the
    share of all appeals of the period."""
    if not metrics.total:
        return []
    pains = [
        Pain(
            problem=texts.appeal_topic_problem(topic_title(topic)),
            processes=(texts.APPEALS_PROCESS,),
            prevalence=count / metrics.total,
            basis=texts.appeal_basis(count, metrics.total),
        )
        for topic, count in metrics.by_topic[:top]
    ]
    if metrics.complaints:
        pains.append(
            Pain(
                problem=texts.complaints_problem(metrics.complaints, metrics.satisfied),
                processes=(texts.APPEALS_PROCESS,),
                prevalence=metrics.complaints / metrics.total,
                basis=texts.appeal_basis(metrics.complaints, metrics.total),
            )
        )
    return pains


def painmap_rows(ranked: Sequence[RankedPain]) -> list[list[object]]:
    """Rows in the column order of Appendix 4; measures, responsible and deadline are left for
    the working group."""
    return [
        [
            number,
            "; ".join(r.pain.processes),
            f"{r.pain.problem} ({r.pain.basis})",
            r.pain.prevalence,
            r.priority,
            "",
            "",
            "",
        ]
        for number, r in enumerate(ranked, start=1)
    ]
