"""Fixtures of the chat and e2e tiers: a fake clock and settings over a fresh migrated
database. Unit tests use neither. Helpers shared by all tiers live in tests/support."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.coordination import Coordination
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


def _worker_redis_url(url: str, worker: str) -> str:
    """TEST_REDIS_URL's database belongs to tests/e2e/test_instances.py, which empties it; each
    xdist worker (gw0, gw1, ...) takes the next databases for itself, so tests that empty theirs
    never race one another."""
    base, _, number = url.rpartition("/")
    offset = 1 + (int(worker[2:]) if worker.startswith("gw") else 0)
    return f"{base}/{(int(number) if number.isdigit() else 0) + offset}"


@pytest.fixture(params=["memory", "redis"])
async def coordination_pair(
    request: pytest.FixtureRequest, worker_id: str
) -> AsyncIterator[tuple[Coordination, Coordination]]:
    """Two instances' views of the coordination: one object in memory, or (with
    TEST_REDIS_URL) two clients of one emptied Redis database."""
    if request.param == "memory":
        one = Coordination()
        yield one, one
        return
    url = os.environ.get("TEST_REDIS_URL")
    if url is None:
        pytest.skip("TEST_REDIS_URL is not set")
    first = Coordination.from_url(_worker_redis_url(url, worker_id))
    second = Coordination.from_url(_worker_redis_url(url, worker_id))
    assert first.redis is not None
    await first.redis.flushdb()
    yield first, second
    await first.close()
    await second.close()
