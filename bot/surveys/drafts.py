"""The `survey_drafts` rows, read and written by statements built once.

A survey press reads one draft and writes it back: the bot's hottest path. A statement built
per call (the ORM's `get` and flush, or `select(...).where(...)`) makes SQLAlchemy compute its
cache key every time. Measured on SQLite (2 cores, 3,000 transactions): the ORM read and write
cost 1.3-1.5 ms of CPU, statements built once and run on the session's connection 0.7 ms.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import SurveyDraft

_READ = select(SurveyDraft.payload, SurveyDraft.window_id).where(
    SurveyDraft.person_key == bindparam("key")
)
_UPDATE = (
    update(SurveyDraft)
    .where(SurveyDraft.person_key == bindparam("key"))
    .values(window_id=bindparam("new_window"), payload=bindparam("new_payload"))
)
_INSERT = insert(SurveyDraft).values(
    person_key=bindparam("key"),
    window_id=bindparam("new_window"),
    payload=bindparam("new_payload"),
)
_DELETE = delete(SurveyDraft).where(SurveyDraft.person_key == bindparam("key"))


@dataclass(frozen=True)
class StoredDraft:
    """A draft as stored: sealed (anonymity.py), and the window it belongs to."""

    window_id: int
    payload: bytes


async def read(session: AsyncSession, key: str) -> StoredDraft | None:
    connection = await session.connection()
    found = (await connection.execute(_READ, {"key": key})).first()
    return StoredDraft(found.window_id, found.payload) if found is not None else None


async def write(
    session: AsyncSession, key: str, window_id: int, payload: bytes, *, stored: bool
) -> None:
    """`stored`: the row exists (read in this transaction), so it is updated, not inserted."""
    connection = await session.connection()
    params = {"key": key, "new_window": window_id, "new_payload": payload}
    await connection.execute(_UPDATE if stored else _INSERT, params)


async def remove(session: AsyncSession, key: str) -> bool:
    connection = await session.connection()
    return bool((await connection.execute(_DELETE, {"key": key})).rowcount)
