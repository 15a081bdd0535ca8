"""Scheduled side effects run exactly once over all instances, and one whose instance died is
redone.

Each instance's scheduler fires the same daily job at the same moment; the first to insert the
day's claim runs it, the others see the row and skip. The claim carries a lease: `done_at` is
written when the job finishes, and a claim still unfinished after its lease is taken over by the
next instance that looks (`retake`, called on every scheduler tick). A job that raises
releases its claim at once, so the next tick on any instance tries again.

Survey window events (invitation, reminders, report) use the same claims through `claim`,
`finish` and `release`, named `window:<id>:<event>`: their own agenda, recomputed on every
tick, finds an unfinished one again and `claim` takes it over once the lease has passed.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import JobClaim
from bot.texts import logs

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=15)
"""Far longer than a digest or a purge takes; the longest a crashed run waits to be redone."""

Job = Callable[[], Awaitable[object]]


def this_instance() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class JobClaims:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        holder: str | None = None,
        lease: timedelta = LEASE,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._sessionmaker = sessionmaker
        self.holder = holder or this_instance()
        self._lease = lease
        self._now = now

    async def run_once(self, name: str, job: Job) -> bool:
        """Run `job` if this instance wins the claim `name`; True if it ran here."""
        if not await self.claim(name):
            return False
        log.info(logs.JOB_CLAIMED, name, self.holder)
        try:
            await job()
        except Exception:
            log.exception(logs.JOB_FAILED, name)
            await self.release(name)
            return False
        async with self._sessionmaker() as session, session.begin():
            await self.finish(session, name)
        return True

    async def retake(self, jobs: dict[str, Job]) -> list[str]:
        """Runs of known jobs whose holder died (lease over, never done) or that failed: take
        them over. `jobs` maps a job's name to it; claims are named `<job>:<day>`."""
        async with self._sessionmaker() as session:
            stale = list(
                await session.scalars(
                    select(JobClaim.name).where(
                        JobClaim.done_at.is_(None), JobClaim.expires_at < self._now()
                    )
                )
            )
        retaken = []
        for name in stale:
            job = jobs.get(name.rsplit(":", 1)[0])
            if job is not None and await self.run_once(name, job):
                retaken.append(name)
        return retaken

    async def claim(self, name: str) -> bool:
        """True if this instance now holds `name`: never claimed before, or claimed by an
        instance that neither finished nor renewed it within the lease (it died)."""
        now = self._now()
        try:
            async with self._sessionmaker() as session, session.begin():
                session.add(JobClaim(name=name, holder=self.holder, expires_at=now + self._lease))
            return True
        except IntegrityError:
            pass
        async with self._sessionmaker() as session, session.begin():
            taken = await session.execute(
                update(JobClaim)
                .where(
                    JobClaim.name == name,
                    JobClaim.done_at.is_(None),
                    JobClaim.expires_at < now,
                )
                .values(holder=self.holder, expires_at=now + self._lease)
            )
            return taken.rowcount == 1

    async def finish(self, session: AsyncSession, name: str) -> None:
        """Mark `name` done in the caller's transaction, so a caller that records the outcome
        elsewhere (a window event) commits both or neither."""
        await session.execute(
            update(JobClaim)
            .where(JobClaim.name == name, JobClaim.holder == self.holder)
            .values(done_at=self._now())
        )

    async def release(self, name: str) -> None:
        """Expire the lease now: `retake` on the next tick (of any instance) runs it again."""
        async with self._sessionmaker() as session, session.begin():
            await session.execute(
                update(JobClaim)
                .where(JobClaim.name == name, JobClaim.holder == self.holder)
                .values(expires_at=self._now() - timedelta(seconds=1))
            )
