"""Time under the test's control: the bot's wall clock and a monotonic clock for pacing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

MOSCOW_NOON = datetime(2026, 12, 24, 9, 0, tzinfo=UTC)  # Thursday, a working day


class FakeClock:
    """Time stands still until a test moves it."""

    def __init__(self, now: datetime = MOSCOW_NOON) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now

    def set(self, now: datetime) -> None:
        self._now = now

    def advance(self, **delta: float) -> None:
        self._now += timedelta(**delta)


class FakeTime:
    """A monotonic clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
