"""aiogram FSM storage in the bot's database, so multi-step dialogs survive a restart.

aiogram reads the state on every update, though only the staff's multi-step dialogs use one:
states are kept in memory (a person with none, nearly everyone, costs no query after the
first). With several instances the FSM lives in Redis instead (REDIS_URL), because this memory
is per process; the entries still expire after FSM_CACHE_TTL as a bound on staleness.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StorageKey
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import FsmState
from bot.ttl_cache import MISSING, TtlCache


def _key(key: StorageKey) -> str:
    parts = [key.bot_id, key.chat_id, key.user_id, key.thread_id, key.business_connection_id]
    return ":".join("" if p is None else str(p) for p in parts) + f":{key.destiny}"


FSM_CACHE_TTL = 60.0


class SqlStorage(BaseStorage):
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._states: TtlCache[str, str | None] = TtlCache(FSM_CACHE_TTL)

    async def _row(self, session: AsyncSession, key: StorageKey) -> FsmState:
        row = await session.get(FsmState, _key(key))
        if row is None:
            row = FsmState(key=_key(key), state=None, data="{}")
            session.add(row)
        return row

    async def set_state(self, key: StorageKey, state: str | State | None = None) -> None:
        async with self._sessionmaker() as session, session.begin():
            row = await self._row(session, key)
            row.state = state.state if isinstance(state, State) else state
        self._states.put(_key(key), row.state)

    async def get_state(self, key: StorageKey) -> str | None:
        cached = self._states.get(_key(key))
        if cached is not MISSING:
            return cached  # type: ignore[return-value]
        async with self._sessionmaker() as session:
            row = await session.get(FsmState, _key(key))
            state = row.state if row else None
        self._states.put(_key(key), state)
        return state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        async with self._sessionmaker() as session, session.begin():
            row = await self._row(session, key)
            row.data = json.dumps(dict(data), ensure_ascii=False)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self._sessionmaker() as session:
            row = await session.get(FsmState, _key(key))
            return json.loads(row.data) if row else {}

    async def close(self) -> None:
        """The engine belongs to the composition root, which disposes of it."""
