"""Fixtures of the chat and e2e tiers: a fake clock and settings over a fresh migrated
database. Unit tests use neither. Helpers shared by all tiers live in tests/support."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from tests.support.clock import FakeClock
from tests.support.database import TemplateDatabase, bot_settings


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TemplateDatabase]:
    """Migrated once per session (per xdist worker); SQLite, or PostgreSQL when
    TEST_POSTGRES_URL is set."""
    template = TemplateDatabase(tmp_path_factory.mktemp("template"))
    yield template
    template.close()


@pytest.fixture
def database_url(databases: TemplateDatabase, tmp_path: Path) -> Iterator[str]:
    url = databases.new(tmp_path)
    yield url
    databases.drop(url)


@pytest.fixture
def settings(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings of a fresh bot; the working directory is empty so no stray .env is read."""
    monkeypatch.chdir(tmp_path)
    return bot_settings(database_url)
