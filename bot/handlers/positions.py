"""Where each long poll stopped reading (`poll_positions`), so a restart reads on from there.

The position of a batch is stored before its updates are handled, the way Telegram's
getUpdates confirms a batch on the next request: a restart or an outage loses nothing, and
a stop finishes what it took (`PerKeyOrder.close`); only a process killed mid-batch loses the
updates it held, as it would on Telegram. (Storing after handling would instead answer them
twice after such a crash, and without Redis nothing remembers which were answered.)
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import PollPosition
from bot.texts import logs

log = logging.getLogger(__name__)


class PollPositions:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def load(self, source: str) -> str | None:
        async with self._sessionmaker() as session:
            return await session.scalar(
                select(PollPosition.position).where(PollPosition.source == source)
            )

    async def save(self, source: str, position: str) -> None:
        """One statement once the row exists (every batch but the very first)."""
        async with self._sessionmaker() as session, session.begin():
            moved = await session.execute(
                update(PollPosition).where(PollPosition.source == source).values(position=position)
            )
            if moved.rowcount == 0:
                session.add(PollPosition(source=source, position=position))

    async def keep(self, source: str, position: str) -> None:
        """`save`, but a database that fails here does not stop the batch: its updates are
        handled now, and only a restart before the next batch is stored could miss them."""
        try:
            await self.save(source, position)
        except Exception:
            log.exception(logs.POLL_POSITION_NOT_SAVED, source)

    async def forget(self) -> None:
        """The bot now takes updates by webhook: what it handles from here on is never read
        by a long poll, so a position kept from before would make a later switch back to
        polling read (and answer) those updates a second time. That run starts afresh."""
        async with self._sessionmaker() as session, session.begin():
            await session.execute(delete(PollPosition))
