"""Fixtures of the chat and e2e tiers: a fake clock and settings over a migrated database.
Unit tests use neither. Helpers shared by all tiers live in tests/support."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from tests.support.clock import FakeClock
from tests.support.database import fresh_settings


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings of a fresh bot; the working directory is empty so no stray .env is read."""
    monkeypatch.chdir(tmp_path)
    return fresh_settings(tmp_path)
