"""The draft pain map (карта болей, seeds/003 p.16-18 and Appendix 4).

Every source of pains (CSI criteria now; matrix rows of the employee survey and appeal topics
later) turns its findings into `Pain` items; `rank_pains` orders them all on one scale, so
adding a source means writing one more function that returns a list of pains.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.reports.csi import CsiReport, csi_level
from bot.texts import painmap as texts


@dataclass(frozen=True)
class Pain:
    problem: str
    processes: tuple[str, ...]
    """The processes of the body this pain shows up in (p.18: pains tied to other processes
    get the highest priority)."""
    prevalence: float
    """Share of the people concerned who have it: respondents who scored 1-7, or appeals of
    the topic among all appeals of the period."""
    prevalence_text: str


@dataclass(frozen=True)
class RankedPain:
    priority: int
    """1 is the most urgent."""
    pain: Pain

    @property
    def weight(self) -> float:
        return pain_weight(self.pain)


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
    Criteria answered by fewer than `min_group` people are left out."""
    return [
        Pain(
            problem=texts.csi_problem(c.text, c.csi),
            processes=(process,),
            prevalence=1 - c.satisfied_share,
            prevalence_text=texts.csi_prevalence(1 - c.satisfied_share, c.answers),
        )
        for c in report.criteria
        if c.answers >= min_group and csi_level(c.csi) == "low"
    ]


def painmap_rows(ranked: Sequence[RankedPain]) -> list[list[object]]:
    """Rows in the column order of Appendix 4; measures, responsible and deadline are left for
    the working group."""
    return [
        [
            number,
            "; ".join(r.pain.processes),
            r.pain.problem,
            r.pain.prevalence_text,
            r.priority,
            "",
            "",
            "",
        ]
        for number, r in enumerate(ranked, start=1)
    ]
