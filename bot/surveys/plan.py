"""The frequency plan (seeds/003 V): citizens are surveyed at least once per half-year (twice a
year), employees at least once a year. `/plan` shows it; admins are reminded while a period can
still fit a window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.surveys.windows import WindowService, WindowView

# Reminders go out this many working days before the last day on which a window of the
# audience can still open and end inside the period: time to agree the dates and announce.
REMINDER_LEAD_WORKING_DAYS = 5


@dataclass(frozen=True)
class PlanPeriod:
    audience: str
    start: date
    end: date  # inclusive
    windows: list[WindowView]

    @property
    def met(self) -> bool:
        return bool(self.windows)

    @property
    def key(self) -> str:
        return f"{self.audience}:{self.start.isoformat()}"


def period_bounds(audience: str, year: int) -> list[tuple[date, date]]:
    if audience == "external":
        return [(date(year, 1, 1), date(year, 6, 30)), (date(year, 7, 1), date(year, 12, 31))]
    return [(date(year, 1, 1), date(year, 12, 31))]


class FrequencyPlan:
    def __init__(self, windows: WindowService) -> None:
        self._windows = windows

    def audiences(self) -> list[str]:
        """Only audiences the body has a questionnaire for are planned."""
        return sorted({q.audience for q in self._windows.questionnaires.values()})

    async def year(self, year: int) -> list[PlanPeriod]:
        tz = self._windows.tz
        views = await self._windows.windows_between(
            datetime.combine(date(year, 1, 1), time.min, tz),
            datetime.combine(date(year + 1, 1, 1), time.min, tz),
        )
        return [
            PlanPeriod(
                audience,
                start,
                end,
                [v for v in views if v.audience == audience and start <= v.opens_on <= end],
            )
            for audience in self.audiences()
            for start, end in period_bounds(audience, year)
        ]

    def last_start(self, period: PlanPeriod) -> date:
        """The last day a window of this audience can open and still end inside the period."""
        length = max(
            q.working_days
            for q in self._windows.questionnaires.values()
            if q.audience == period.audience
        )
        days = self._working_days(period)
        return days[-length] if len(days) >= length else period.start

    def reminder_day(self, period: PlanPeriod) -> date:
        days = self._working_days(period)
        last = self.last_start(period)
        earlier = [d for d in days if d <= last]
        return earlier[max(0, len(earlier) - 1 - REMINDER_LEAD_WORKING_DAYS)]

    async def due_reminders(self, today: date) -> list[PlanPeriod]:
        """Periods of this year without their window whose reminder day has come."""
        return [
            p
            for p in await self.year(today.year)
            if not p.met and self.reminder_day(p) <= today <= p.end
        ]

    def _working_days(self, period: PlanPeriod) -> list[date]:
        calendar = self._windows.calendar
        days = []
        day = period.start
        while day <= period.end:
            if calendar.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days
