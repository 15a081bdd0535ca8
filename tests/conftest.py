"""Fixtures of the chat and e2e tiers: a fake clock and settings over a fresh migrated
database. Unit tests use neither. Helpers shared by all tiers live in tests/support."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from redis import Redis

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


def _worker_redis_url() -> str | None:
    """TEST_REDIS_URL's database belongs to tests/e2e/test_instances.py, which empties it; each
    pytest process (xdist's gw0, gw1, ..., or a run without xdist) takes the next databases for
    itself, so tests that empty theirs never race one another. None without TEST_REDIS_URL."""
    url = os.environ.get("TEST_REDIS_URL")
    if url is None:
        return None
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    base, _, number = url.rpartition("/")
    offset = 1 + (int(worker[2:]) if worker.startswith("gw") else 0)
    return f"{base}/{(int(number) if number.isdigit() else 0) + offset}"


@pytest.fixture
def redis_url() -> str:
    """This process's own Redis database, emptied; the test is skipped without TEST_REDIS_URL."""
    url = _worker_redis_url()
    if url is None:
        pytest.skip("TEST_REDIS_URL is not set")
    with Redis.from_url(url) as redis:
        redis.flushdb()
    return url


@pytest.fixture(params=["memory", "redis"])
async def coordination_pair(
    request: pytest.FixtureRequest,
) -> AsyncIterator[tuple[Coordination, Coordination]]:
    """Two instances' views of the coordination: one object in memory, or (with
    TEST_REDIS_URL) two clients of one emptied Redis database."""
    if request.param == "memory":
        one = Coordination()
        yield one, one
        return
    url = request.getfixturevalue("redis_url")
    first = Coordination.from_url(url)
    second = Coordination.from_url(url)
    yield first, second
    await first.close()
    await second.close()
