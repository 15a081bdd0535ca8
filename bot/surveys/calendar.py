"""The Russian production calendar: which days are working days.

The `holidays` package knows the federal calendar, including the government's day-off transfers
and working Saturdays. A regional body adds its own days (e.g. Tatarstan's Republic Day) in a
small YAML file (`CALENDAR_OVERRIDES`): `days_off:` and `working_days:` lists of dates.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import holidays

from bot.core.data_files import DataFileError, read_yaml


class CalendarError(Exception):
    pass


@dataclass
class ProductionCalendar:
    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    _years: dict[int, holidays.HolidayBase] = field(default_factory=dict, repr=False)

    def _federal(self, year: int) -> holidays.HolidayBase:
        if year not in self._years:
            self._years[year] = holidays.country_holidays("RU", years=year, language="ru")
        return self._years[year]

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        federal = self._federal(day.year)
        if day in federal.weekend_workdays:
            return True
        return day.weekday() < 5 and day not in federal

    def working_days_from(self, start: date) -> Iterator[date]:
        """Working days from `start` (included if it is one) onwards."""
        day = start
        while True:
            if self.is_working_day(day):
                yield day
            day += timedelta(days=1)

    def nth_working_day(self, start: date, n: int) -> date:
        """The n-th working day counting `start` as the first when it is a working day."""
        if n < 1:
            raise ValueError("n must be positive")
        for count, day in enumerate(self.working_days_from(start), start=1):
            if count == n:
                return day
        raise AssertionError("unreachable")

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (start itself not counted)."""
        return self.nth_working_day(start + timedelta(days=1), n)

    def days_off(self, year: int) -> list[tuple[date, str]]:
        """Non-weekend days off and their names, for an admin to check against the official one."""
        federal = self._federal(year)
        named = {d: str(name) for d, name in federal.items() if d.year == year}
        named.update({d: "региональный выходной" for d in self.extra_days_off if d.year == year})
        return sorted((d, n) for d, n in named.items() if not self.is_working_day(d))

    def working_weekend_days(self, year: int) -> list[date]:
        federal = self._federal(year)
        days = {d for d in federal.weekend_workdays if d.year == year}
        days |= {d for d in self.extra_working_days if d.year == year and d.weekday() >= 5}
        return sorted(d for d in days if self.is_working_day(d))


def load_calendar(path: Path) -> ProductionCalendar:
    """Federal calendar plus the overrides file, which may be absent."""
    if not path.exists():
        return ProductionCalendar()
    try:
        data = read_yaml(path) or {}
    except DataFileError as exc:
        raise CalendarError(str(exc)) from None
    if not isinstance(data, dict):
        raise CalendarError(f"{path}: ожидались списки days_off: и working_days: с датами")

    def dates(name: str) -> frozenset[date]:
        values = data.get(name) or []
        bad = [v for v in values if not isinstance(v, date)]
        if bad:
            raise CalendarError(f"{path}: в {name} не дата: {bad[0]!r} (пишите ГГГГ-ММ-ДД)")
        return frozenset(values)

    unknown = set(data) - {"days_off", "working_days"}
    if unknown:
        raise CalendarError(f"{path}: неизвестные ключи {sorted(unknown)}")
    return ProductionCalendar(dates("days_off"), dates("working_days"))
