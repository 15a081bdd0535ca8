"""Shared fixtures: a migrated SQLite database, the fake Bot API, the running bot, a clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.db.migrate import upgrade
from bot.devtools.fake_telegram import FakeTelegram
from bot.devtools.harness import RunningBot

ADMIN = 1
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


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings of a fresh bot; the working directory is empty so no stray .env is read."""
    monkeypatch.chdir(tmp_path)
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    upgrade(url)
    return load_settings(
        bot_token="123456:TEST",
        database_url=url,
        admin_ids=str(ADMIN),
        anon_secret="test-secret-test-secret",
        min_group_size=5,
        # Most report tests read an open window's numbers; the default (counts only while
        # open) is tested in tests/test_answers_safe.py.
        interim_results=True,
    )


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def running(
    settings: Settings, fake: FakeTelegram, clock: FakeClock
) -> AsyncIterator[RunningBot]:
    async with RunningBot(settings, fake, clock) as bot:
        yield bot


async def wait_until(predicate, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)
