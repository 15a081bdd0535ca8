"""Finished surveys reach the answer tables only in groups, in random order.

Whatever keeps the order of writes (SQLite's write-ahead log and page images, PostgreSQL's
`xmin`/`ctid`) must not tie a response to the moment its author finished, because the
author's participation mark is written at that moment. So a finished survey is stored as one
encrypted pending row under a random id (in the same transaction as the mark), and once at
least MIN_GROUP_SIZE are pending for a window, or when the window closes, all of them are
written as responses in random order in one transaction and the pending rows deleted.
After that the freed pages are overwritten (`secure_delete`) and the WAL checkpointed and
truncated (SQLite), or the tables vacuumed (PostgreSQL), so no older copy stays behind.
"""

from __future__ import annotations

import logging
import random
import secrets
import sqlite3

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.db.inline_sqlite import InlineConnection
from bot.db.models import (
    SurveyAnswer,
    SurveyPendingResponse,
    SurveyResponse,
    SurveyWindow,
)
from bot.surveys.anonymity import Anonymizer
from bot.texts import logs

log = logging.getLogger(__name__)

# Tables whose deleted rows could still tie a person to a window or to answers.
VACUUMED_TABLES = ("survey_pending_responses", "survey_participations", "survey_windows")


class ResponseRelease:
    def __init__(self, engine: AsyncEngine, anonymizer: Anonymizer, min_group_size: int) -> None:
        self._engine = engine
        self._anon = anonymizer
        self._min_group = max(min_group_size, 1)

    def seal(self, window_id: int, records: list[dict]) -> SurveyPendingResponse:
        """A finished survey as a pending row: random id, answers encrypted under it."""
        pending_id = secrets.token_hex(16)
        return SurveyPendingResponse(
            id=pending_id,
            window_id=window_id,
            payload=self._anon.seal(f"pending:{pending_id}", {"records": records}),
        )

    async def release(self, session: AsyncSession, window_id: int, *, rest: bool = False) -> int:
        """Write the window's pending surveys as responses if there are enough of them (or all
        of them with `rest=True`, at close); returns how many were released. Runs in the
        caller's transaction.

        Releases of one window take turns on its row (FOR UPDATE; SQLite has one writer
        anyway), so two concurrent releases never both read, and both write, the same pending
        surveys: the second sees what the first left."""
        await session.execute(
            select(SurveyWindow.id).where(SurveyWindow.id == window_id).with_for_update()
        )
        rows = list(
            await session.scalars(
                select(SurveyPendingResponse).where(SurveyPendingResponse.window_id == window_id)
            )
        )
        if not rows or (len(rows) < self._min_group and not rest):
            return 0
        random.SystemRandom().shuffle(rows)
        answers: list[dict] = []
        released = 0
        for row in rows:
            data = self._anon.unseal(f"pending:{row.id}", row.payload)
            if data is None:  # sealed under a secret since replaced: unreadable, dropped
                log.error(logs.SURVEY_UNDECRYPTABLE, window_id)
                continue
            response_id = secrets.token_hex(16)
            await session.execute(
                insert(SurveyResponse).values(id=response_id, window_id=window_id)
            )
            answers.extend(
                {"response_id": response_id, "window_id": window_id, **record}
                for record in data["records"]
            )
            released += 1
        if answers:
            await session.execute(insert(SurveyAnswer), answers)
        await session.execute(
            delete(SurveyPendingResponse).where(
                SurveyPendingResponse.id.in_([row.id for row in rows])
            )
        )
        await session.execute(
            update(SurveyWindow)
            .where(SurveyWindow.id == window_id)
            .values(respondents=SurveyWindow.respondents + released)
            .execution_options(synchronize_session=False)
        )
        return len(rows)

    async def scrub(self) -> None:
        """After a release or a close: leave no older copy of the deleted rows behind.

        SQLite overwrites freed content itself (`secure_delete`); here the WAL, which still holds
        the page images in commit order, is copied into the database and truncated to nothing.
        PostgreSQL keeps deleted rows as dead tuples until VACUUM. Best effort: a reader holding
        an old snapshot can make either step partial, so it is logged, not raised.
        """
        try:
            async with self._engine.connect() as conn:
                if self._engine.dialect.name == "sqlite":
                    raw = await conn.get_raw_connection()
                    driver = raw.driver_connection
                    assert isinstance(driver, InlineConnection), "session.py opens SQLite so"
                    # Off the loop: copying and syncing the log takes tens of milliseconds.
                    if await driver.in_thread(_checkpoint):
                        log.warning(logs.WAL_CHECKPOINT_PARTIAL)
                elif self._engine.dialect.name == "postgresql":
                    autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
                    for table in VACUUMED_TABLES:
                        await autocommit.exec_driver_sql(f"VACUUM {table}")
        except Exception:
            log.exception(logs.SCRUB_FAILED)


def _checkpoint(connection: sqlite3.Connection) -> bool:
    """Copy the WAL into the database and truncate it; True if a reader kept part of it."""
    busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return bool(busy)
