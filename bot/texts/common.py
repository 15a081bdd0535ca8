"""Russian formatting of dates and numbers, shared by every text module."""

from __future__ import annotations

from datetime import date, datetime


def fmt_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def fmt_datetime(moment: datetime) -> str:
    return moment.strftime("%d.%m.%Y %H:%M")


def fmt_num(value: float, digits: int = 1) -> str:
    """75.06 -> '75,1': Russian decimal comma."""
    return f"{value:.{digits}f}".replace(".", ",")


def fmt_percent(share: float) -> str:
    """0.6667 -> '67 %'."""
    return f"{share * 100:.0f} %"
