"""The test database: migrated once per test session into a template, then copied for each test.

Running the Alembic migrations takes about a second; copying a migrated SQLite file, or
creating a PostgreSQL database from a template, takes milliseconds. With `TEST_POSTGRES_URL`
set (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/ci) every test gets its own PostgreSQL
database named after that URL's database, this process and a counter, so parallel runs and
pytest-xdist workers never share one.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from bot.config import Settings, load_settings
from bot.db.migrate import upgrade

ADMIN = 1
WORK_CHAT = -1001234567890
"""The employees' work chat (TG_EMPLOYEE_CHAT_ID) of the e2e `office` fixture."""
POSTGRES_ENV = "TEST_POSTGRES_URL"


def postgres_url() -> str | None:
    """The PostgreSQL server the suite runs against, or None for SQLite files."""
    return os.environ.get(POSTGRES_ENV) or None


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def settle_sqlite(path: Path) -> None:
    """Fold the write-ahead log into the file so that a plain file copy is the whole database."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()


async def _admin(url: str, *statements: str) -> None:
    """Run statements outside a transaction on the server's maintenance database."""
    server = make_url(url).set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(server.render_as_string(hide_password=False))
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


class TemplateDatabase:
    """One migrated database per test session; `new` hands each test a fresh copy."""

    def __init__(self, directory: Path) -> None:
        self._server = postgres_url()
        self._counter = itertools.count(1)
        self._created: list[str] = []
        self._dropping = ThreadPoolExecutor(max_workers=1, thread_name_prefix="drop-test-db")
        if self._server is None:
            self._template = directory / "template.db"
            upgrade(sqlite_url(self._template))
            settle_sqlite(self._template)
        else:
            base = make_url(self._server).database or "test"
            self._prefix = f"{base}_{os.getpid()}"
            self._template_name = f"{self._prefix}_template"
            asyncio.run(
                _admin(
                    self._server,
                    f'DROP DATABASE IF EXISTS "{self._template_name}" WITH (FORCE)',
                    f'CREATE DATABASE "{self._template_name}"',
                )
            )
            upgrade(self._postgres(self._template_name))

    def _postgres(self, name: str) -> str:
        assert self._server is not None
        return make_url(self._server).set(database=name).render_as_string(hide_password=False)

    def new(self, directory: Path) -> str:
        """The URL of a fresh, migrated database for one test."""
        if self._server is None:
            path = directory / "bot.db"
            shutil.copyfile(self._template, path)
            return sqlite_url(path)
        name = f"{self._prefix}_{next(self._counter)}"
        asyncio.run(
            _admin(
                self._server,
                f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
                f'CREATE DATABASE "{name}" TEMPLATE "{self._template_name}"',
            )
        )
        self._created.append(name)
        return self._postgres(name)

    def drop(self, url: str) -> None:
        """Remove a test's PostgreSQL database in the background (dropping takes about as long
        as creating, and the next test need not wait); a SQLite file goes with tmp_path."""
        if self._server is None:
            return
        statement = f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'
        self._dropping.submit(asyncio.run, _admin(self._server, statement))

    def close(self) -> None:
        if self._server is None:
            return
        self._dropping.shutdown(wait=True)
        names = [*self._created, self._template_name]
        asyncio.run(
            _admin(self._server, *(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in names))
        )


def bot_settings(database_url: str) -> Settings:
    """Settings of a fresh bot over `database_url`."""
    return load_settings(
        bot_token="123456:TEST",
        database_url=database_url,
        admin_ids=str(ADMIN),
        anon_secret="test-secret-test-secret",
        min_group_size=5,
        # Most report tests read an open window's numbers; the default (counts only while
        # open) is tested in tests/test_answers_safe.py.
        interim_results=True,
    )
