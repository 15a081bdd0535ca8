"""CSI arithmetic with hand-computed numbers (domain.md)."""

from __future__ import annotations

import pytest

from bot.reports.csi import CriterionResult, CsiReport, csi_index, csi_level
from bot.texts.common import fmt_num


def test_means_first_then_product() -> None:
    # Two people, (score, importance) = (10, 6) and (6, 10): the means are 8 and 8, so
    # CSI = 0.8 * 0.8 * 100 = 64 (the per-person products would average to 60).
    assert csi_index(mean_importance=8.0, mean_score=8.0) == pytest.approx(64.0)
    # Answers 8, 9, 9 on both scales: mean 26/3; (0.86667)^2 * 100 = 75.11, shown "75,1".
    assert fmt_num(csi_index(26 / 3, 26 / 3)) == "75,1"
    # The scales are not interchangeable in meaning but the product is symmetric.
    assert csi_index(6.0, 9.0) == pytest.approx(54.0) == csi_index(9.0, 6.0)


def test_overall_is_the_mean_of_the_criteria_indices() -> None:
    # CSI_1 = 0.8 * 0.8 * 100 = 64, CSI_2 = 1.0 * 0.5 * 100 = 50: overall (64 + 50) / 2 = 57.
    # (Importance and score averaged over criteria first: 0.9 * 0.65 * 100 = 58.5.)
    report = CsiReport(
        respondents=5,
        criteria=[
            CriterionResult(1, "Информация", 5, mean_score=8.0, mean_importance=8.0,
                            satisfied_share=0.6),
            CriterionResult(2, "Документы", 5, mean_score=5.0, mean_importance=10.0,
                            satisfied_share=0.0),
        ],
    )  # fmt: skip
    assert [c.csi for c in report.criteria] == [pytest.approx(64.0), pytest.approx(50.0)]
    assert report.overall == pytest.approx(57.0)
    assert CsiReport(respondents=0).overall is None


def test_domain_example_half_8_half_9() -> None:
    assert csi_index(8.5, 8.5) == pytest.approx(72.25)


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (71.06, "high"),
        (71.04, "borderline"),
        (70.0, "borderline"),
        (69.96, "borderline"),
        (69.94, "low"),
    ],
)
def test_levels_follow_the_shown_value(value: float, level: str) -> None:
    assert csi_level(value) == level
