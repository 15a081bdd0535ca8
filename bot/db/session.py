"""Engine and session factory; built by the composition root, never at import time.

SQLite allows one writer at a time. Inside the bot's process every session shares ONE
connection (a pool of one, handed out in arrival order), so in-process writers queue instead of
failing with "database is locked"; every transaction starts with `BEGIN IMMEDIATE`, so a
transaction that reads and then writes never meets a newer snapshot written by another process
(an error no busy timeout can wait out), and the busy timeout makes other processes (the CLI)
wait their turn. What still fails with a lock is retried by `retry_on_lock`. Reports and
exports read through connections of their own (`create_reader_engine`), beside the writer.
Every engine hides the values of its statements from its errors (`hide_parameters`): an
error is logged, and the values are answers, appeals and contacts.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from bot.db.inline_sqlite import inline_creator
from bot.texts import logs

log = logging.getLogger(__name__)

T = TypeVar("T")

BUSY_TIMEOUT_MS = 15_000
LOCK_RETRIES = 3
POOL_SIZE = 25
"""Connections kept open per process. A burst waits for one (up to 30 s) instead of opening
more: a connection opened beyond the pool is closed again on return, and opening one costs
more than the update it serves (measured: 9 statements and 30 ms CPU per update with 20 + 30
overflow under 50 people, against 3 and 13 ms without the churn). Two instances use 50 of
PostgreSQL's default 100 connections."""


READERS = 2
"""SQLite connections for reports (see `create_reader_engine`): two admins' reports at once."""


def ensure_sqlite_dir(database_url: str) -> None:
    """A new user's default URL points into data/, which does not exist in a fresh clone."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # The driver's own implicit BEGIN would start transactions late and deferred (and a
    # SAVEPOINT outside a transaction would commit on release); _begin_immediate starts them.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted survey drafts and participation marks must not linger in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _begin_immediate(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine(database_url: str) -> AsyncEngine:
    ensure_sqlite_dir(database_url)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        engine = create_async_engine(
            database_url,
            hide_parameters=True,
            pool_size=1,
            max_overflow=0,
            pool_timeout=BUSY_TIMEOUT_MS / 1000,
            async_creator=inline_creator(url.database or ":memory:"),
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _begin_immediate)
        return engine
    # A burst of people queues for the pool rather than failing ("QueuePool limit").
    # No ping before each checkout (a round trip per transaction): a connection the server
    # dropped fails its transaction, SQLAlchemy then renews the whole pool, and
    # `retry_on_lock` runs a survey press again on a fresh connection.
    return create_async_engine(
        database_url,
        hide_parameters=True,
        pool_size=POOL_SIZE,
        max_overflow=0,
        pool_timeout=30,
        pool_recycle=1800,
    )


def _reader_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_connection.isolation_level = None  # transactions start in _begin_deferred
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _begin_deferred(connection: Connection) -> None:
    """A report's queries read one snapshot, and take no lock a writer would wait for."""
    connection.exec_driver_sql("BEGIN")


def create_reader_engine(database_url: str, engine: AsyncEngine) -> AsyncEngine:
    """Where reports and exports read. With SQLite they get connections of their own, in
    aiosqlite's worker threads: the aggregate of a big window takes half a second and its export
    seconds, which on the writer's one connection, run on the event loop's thread, would hold
    up every survey press for as long (WAL lets readers and the writer work at once, and
    sqlite3 lets go of the GIL while it reads). PostgreSQL's pool serves both already: the same
    engine. A database in memory exists for one connection only: the same engine too."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return engine
    reader = create_async_engine(
        database_url, hide_parameters=True, pool_size=READERS, max_overflow=0, pool_timeout=60
    )
    event.listen(reader.sync_engine, "connect", _reader_pragmas)
    event.listen(reader.sync_engine, "begin", _begin_deferred)
    return reader


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)


def is_retryable(exc: BaseException) -> bool:
    """A lock (see `is_lock_error`) or a connection the server had dropped (a restart of
    PostgreSQL): either way nothing of the transaction was written."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return is_lock_error(exc)


def is_lock_error(exc: BaseException) -> bool:
    """SQLite's "database is locked"/"busy" or PostgreSQL's serialization/deadlock failures:
    the transaction was rolled back as a whole and may simply be run again."""
    if not isinstance(exc, OperationalError):
        return False
    message = str(exc.orig).lower()
    return "locked" in message or "busy" in message or "deadlock" in message


async def retry_on_lock(transaction: Callable[[], Awaitable[T]], attempts: int = LOCK_RETRIES) -> T:
    """Run a whole transaction again when the database was locked or its connection had been
    dropped; re-raises the last such error, so the caller can tell the person to press again."""
    for attempt in range(1, attempts):
        try:
            return await transaction()
        except DBAPIError as exc:
            if not is_retryable(exc):
                raise
            log.warning(logs.DATABASE_LOCKED, attempt, attempts)
            await asyncio.sleep(0.05 * attempt)
    return await transaction()
