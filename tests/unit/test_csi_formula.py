"""CSI arithmetic with hand-computed numbers (domain.md)."""

from __future__ import annotations

import pytest

from bot.reports.csi import csi_index, csi_level
from bot.texts.common import fmt_num


def test_means_first_then_product() -> None:
    # Answers 8, 9, 9 on both scales: mean 26/3 = 8.6667; (0.86667)^2 * 100 = 75.11.
    mean = (8 + 9 + 9) / 3
    assert fmt_num(csi_index(mean, mean)) == "75,1"
    # The wrong way (mean of per-respondent products) gives (64 + 81 + 81) / 3 = 75.33.
    wrong = sum(v / 10 * v / 10 * 100 for v in (8, 9, 9)) / 3
    assert fmt_num(wrong) == "75,3"


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
