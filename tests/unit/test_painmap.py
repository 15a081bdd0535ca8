"""The pain map: which pains come first, and which CSI criteria become pains."""

from __future__ import annotations

from datetime import date

from bot.appeals.metrics import AppealMetrics, Durations, Period
from bot.reports.csi import CriterionResult, CsiReport
from bot.reports.employee import ChoiceBlock, Counted, EmployeeReport, _counted
from bot.reports.painmap import (
    Pain,
    appeal_pains,
    csi_pains,
    matrix_pains,
    painmap_rows,
    rank_pains,
)
from bot.surveys.questionnaire import Option


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
    assert row[3] == 0.75 and "оценили на 1–7: 15 из 20" in str(row[2])


def test_a_criterion_names_its_own_process() -> None:
    report = CsiReport(
        respondents=20,
        criteria=[CriterionResult(1, "Скорость", 20, 6.0, 9.0, 0.25, "Выдача разрешений")],
    )
    (pain,) = csi_pains(report, "Оценка удовлетворённости (CSI)", min_group=5)
    assert pain.processes == ("Выдача разрешений",)
    assert painmap_rows(rank_pains([pain]))[0][1] == "Выдача разрешений"


OPTIONS = [
    Option(id="yes", text="Скорее удовлетворен", satisfied=True),
    Option(id="no", text="Скорее не удовлетворен"),
    Option(id="hard", text="Затрудняюсь ответить", neutral=True),
    Option(id="na", text="Не взаимодействую", na=True),
]


def test_hard_to_say_is_not_dissatisfaction() -> None:
    # 4 satisfied, 3 not, 5 "hard to say", 2 "not applicable": 7 gave an opinion, 3 of them
    # not satisfied -> 3/7 = 42.9 % (counting "hard to say" as unhappy would give 8/12).
    doubtful = _counted("Сроки", OPTIONS, {"yes": 4, "no": 3, "hard": 5, "na": 2}, 5, 14, "Обмен")
    assert (doubtful.dissatisfied, doubtful.opinions) == (3, 7)
    assert round(doubtful.dissatisfied_share or 0, 4) == 0.4286
    # 6 satisfied, 2 not, 6 "hard to say": 2/8 = 25 %, under the 30 % threshold.
    calm = _counted("Связь", OPTIONS, {"yes": 6, "no": 2, "hard": 6}, 5, 14)
    assert calm.dissatisfied_share == 0.25
    # Opinions below the minimum group: no share at all.
    few = _counted("Мало", OPTIONS, {"yes": 1, "no": 3, "hard": 6}, 5, 10)
    assert few.dissatisfied_share is None
    employee = EmployeeReport(14, 5, blocks=[ChoiceBlock(4, "Органы", [doubtful, calm, few])])
    (pain,) = matrix_pains(employee, "Опрос сотрудников")
    assert pain.processes == ("Обмен",) and pain.prevalence == 3 / 7
    assert "не удовлетворены 3 из 7 высказавших мнение" in pain.basis


def test_matrix_rows_and_appeals_join_the_map_and_rank_together() -> None:
    rows = [
        Counted("Сроки", 10, [], hidden=False, dissatisfied=6, opinions=10),  # 60 %
        Counted("Связь", 10, [], hidden=False, dissatisfied=2, opinions=10),  # 20 %: under 30 %
        Counted("Скрытая", 3, [], hidden=True),  # below the minimum group: never shown
    ]
    employee = EmployeeReport(
        respondents=10, min_group=5, blocks=[ChoiceBlock(4, "Взаимодействие с органами", rows)]
    )
    pains = matrix_pains(employee, "Опрос сотрудников")
    assert [p.problem for p in pains] == ["Взаимодействие с органами: Сроки — неудовлетворённость"]
    assert pains[0].prevalence == 0.6 and pains[0].processes == ("Опрос сотрудников",)

    none = Durations(0, None, None, None)
    metrics = AppealMetrics(
        Period("2026Q4", date(2026, 10, 1), date(2027, 1, 1)),
        total=20,
        by_channel=[],
        by_kind=[],
        by_topic=[("documents", 9), ("other", 3)],
        answer=none,
        redirect=none,
        late_redirects=0,
        complaints=4,
        satisfied=1,
        refused=2,
        overdue=0,
        rated=0,
        rating_mean=None,
        rating_satisfied=0,
    )
    appeal = appeal_pains(metrics, {"documents": "Документы", "other": "Другое"}.__getitem__)
    assert [round(p.prevalence, 2) for p in appeal] == [0.45, 0.15, 0.2]

    ranked = rank_pains(pains + appeal)
    # Weights: matrix row 0.60, "Документы" 0.45, complaints 0.20, "Другое" 0.15.
    assert [r.pain.prevalence for r in ranked] == [0.6, 0.45, 0.2, 0.15]
    assert "9 из 20 обращений" in ranked[1].pain.basis
