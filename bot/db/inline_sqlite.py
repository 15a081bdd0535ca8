"""aiosqlite without its thread: every SQLite call runs on the event loop's own thread.

aiosqlite hands each statement to a worker thread and waits for a future: two thread switches,
a future and a wake-up of the event loop per statement, which cost more CPU than the statement
itself (an index lookup in a local file takes microseconds). The bot's SQLite engine has one
connection anyway (see session.py), so a statement never runs while another waits for the
thread; running it inline only stops the loop for as long as SQLite works. What that costs:
while another process (the command line) holds the write lock, the loop waits with it, up to
the busy timeout, instead of serving updates that need no database; such locks last
milliseconds. Measured by `python -m benchmarks.throughput` (README, «Развёртывание»).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Generator
from functools import partial
from typing import Any, TypeVar

import aiosqlite

T = TypeVar("T")


class _RunAtOnce:
    """Stands in for the queue to aiosqlite's worker thread: a call put in it runs at once and
    settles its future, so code that talks to the queue directly (SQLAlchemy's adapter does,
    to set `isolation_level`) works without the thread."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except Exception as exc:  # handed to whoever awaits the future, as the thread does
            if future is not None and not future.done():
                future.set_exception(exc)
        else:
            if future is not None and not future.done():
                future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    """An `aiosqlite.Connection` (what SQLAlchemy's aiosqlite dialect drives) whose calls run
    at once instead of in a worker thread; no thread is started."""

    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._tx = _RunAtOnce()  # type: ignore[assignment]

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if self._connection is None:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)

    async def in_thread(self, call: Callable[[sqlite3.Connection], T]) -> T:
        """One long call (a WAL checkpoint copies the log into the database and syncs both)
        in a worker thread, so the loop serves other updates meanwhile. The caller has the
        engine's only connection checked out: nothing else uses it until this returns."""
        if self._connection is None:
            raise ValueError("Connection closed")
        return await asyncio.to_thread(call, self._connection)

    async def _connect(self) -> InlineConnection:
        if self._connection is None:
            self._connection = self._connector()
        return self

    def __await__(self) -> Generator[Any, None, InlineConnection]:
        return self._connect().__await__()

    async def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def inline_creator(path: str) -> Callable[[], Any]:
    """`async_creator` for `create_async_engine`: opens `path` as the aiosqlite dialect would
    (the dialect sets isolation_level itself; session.py's connect hook sets the pragmas)."""

    async def create() -> InlineConnection:
        return await InlineConnection(partial(sqlite3.connect, path, check_same_thread=False))

    return create
