"""Working days on the Russian production calendar, with regional overrides."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.surveys.calendar import CalendarError, ProductionCalendar, load_calendar


def test_csi_window_over_new_year() -> None:
    # 24, 25, 28, 29, 30 Dec (31 Dec 2026 is a transferred day off), then 11-15 Jan 2027.
    assert ProductionCalendar().nth_working_day(date(2026, 12, 24), 10) == date(2027, 1, 15)


def test_csi_window_over_may_holidays() -> None:
    # 28, 29, 30 Apr; 1 May off; 4-8 May; 11 May off; 12, 13 May.
    assert ProductionCalendar().nth_working_day(date(2026, 4, 28), 10) == date(2026, 5, 13)


def test_employee_window_five_days_from_a_weekend() -> None:
    # Saturday 21 Nov 2026 is not counted: Mon 23 ... Fri 27.
    assert ProductionCalendar().nth_working_day(date(2026, 11, 21), 5) == date(2026, 11, 27)


def test_working_saturday_counts() -> None:
    calendar = ProductionCalendar()
    assert calendar.is_working_day(date(2027, 2, 20))  # transferred working Saturday
    assert not calendar.is_working_day(date(2027, 2, 22))
    assert calendar.working_weekend_days(2027) == [date(2027, 2, 20)]


def test_regional_overrides(tmp_path: Path) -> None:
    path = tmp_path / "calendar.yaml"
    path.write_text("days_off: [2026-08-31]\nworking_days: [2026-08-29]\n")
    calendar = load_calendar(path)
    assert not calendar.is_working_day(date(2026, 8, 31))
    assert calendar.is_working_day(date(2026, 8, 29))
    assert (date(2026, 8, 31), "региональный выходной") in calendar.days_off(2026)


def test_bad_override_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "calendar.yaml"
    path.write_text("days_off: [31.08.2026]\n")
    with pytest.raises(CalendarError, match="days_off"):
        load_calendar(path)


def test_missing_overrides_file_means_federal_only(tmp_path: Path) -> None:
    assert load_calendar(tmp_path / "absent.yaml") == ProductionCalendar()
