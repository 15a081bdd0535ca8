"""The pain map: which pains come first, and which CSI criteria become pains."""

from __future__ import annotations

from bot.reports.csi import CriterionResult, CsiReport
from bot.reports.painmap import Pain, csi_pains, painmap_rows, rank_pains


def pain(problem: str, prevalence: float, *processes: str) -> Pain:
    return Pain(problem, processes, prevalence, f"{prevalence:.0%}")


def test_widespread_pains_and_pains_of_several_processes_come_first() -> None:
    ranked = rank_pains(
        [
            pain("редкая", 0.10, "приём"),
            pain("частая", 0.45, "приём"),
            pain("сквозная", 0.30, "приём", "ответы на обращения"),  # weight 0.60
            pain("средняя", 0.20, "сайт"),
            pain("равная частой, но реже", 0.225, "сайт", "приём"),  # weight 0.45, ties "частая"
        ]
    )
    assert [r.pain.problem for r in ranked] == [
        "сквозная",
        "частая",
        "равная частой, но реже",
        "средняя",
        "редкая",
    ]
    assert [r.priority for r in ranked] == [1, 2, 3, 4, 5]


def test_low_csi_criteria_become_pains_with_the_share_of_low_scores() -> None:
    report = CsiReport(
        respondents=20,
        criteria=[
            CriterionResult(1, "Скорость", 20, 6.0, 9.0, 0.25),  # CSI 54: low
            CriterionResult(2, "Специалисты", 20, 9.0, 9.0, 0.9),  # CSI 81: high
            CriterionResult(3, "Документы", 20, 8.4, 8.35, 0.7),  # CSI 70.14 -> 70.1: borderline
            CriterionResult(4, "Сайт", 3, 5.0, 9.0, 0.0),  # low, but too few answers
        ],
    )
    pains = csi_pains(report, "Закупки", min_group=5)
    assert len(pains) == 1
    assert pains[0].problem.startswith("Скорость") and "54,0" in pains[0].problem
    assert pains[0].prevalence == 0.75 and pains[0].processes == ("Закупки",)
    row = painmap_rows(rank_pains(pains))[0]
    assert row[:2] == [1, "Закупки"] and row[4] == 1 and row[5:] == ["", "", ""]
    assert "75 %" in str(row[3])
