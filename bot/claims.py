"""Scheduled side effects run exactly once over all instances, and one whose instance died is
redone.

Each instance's scheduler fires the same daily job at the same moment; the first to insert the
day's claim runs it, the others see the row and skip. The claim carries a lease: `done_at` is
written when the job finishes, and a claim still unfinished after its lease is taken over by the
next instance that looks (`retake`, called on every scheduler tick). A job that raises
releases its claim at once, so the next tick on any instance tries again.

Survey window events (invitation, reminders, publication) use the same claims through `claim`,
`finish` and `release`, named `window:<id>:<event>`: their own agenda, recomputed on every
tick, finds an unfinished one again and `claim` takes it over once the lease has passed. (A
window's report is owed by its close through the outbox; only the report of a window closed
by the previous version is still claimed, to owe it once.)
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import JobClaim
from bot.texts import logs

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=15)
"""The longest a crashed run waits to be redone. A live holder renews it every third of it
(`kept`), so a run may take longer: tens of thousands of reminders at a messenger's pace."""

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
            async with self.kept(name):
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

    @asynccontextmanager
    async def kept(self, name: str) -> AsyncIterator[None]:
        """While the holder works on `name`, its lease is renewed every third of the lease, so
        another instance never takes over a run that is merely long; a holder that died stops
        renewing, and its run is taken over as before."""
        renewing = asyncio.create_task(self._renew_until_cancelled(name))
        try:
            yield
        finally:
            renewing.cancel()
            with suppress(asyncio.CancelledError):
                await renewing

    async def _renew_until_cancelled(self, name: str) -> None:
        while True:
            await asyncio.sleep(self._lease.total_seconds() / 3)
            try:
                async with self._sessionmaker() as session, session.begin():
                    await session.execute(
                        update(JobClaim)
                        .where(
                            JobClaim.name == name,
                            JobClaim.holder == self.holder,
                            JobClaim.done_at.is_(None),
                        )
                        .values(expires_at=self._now() + self._lease)
                    )
            except Exception:  # the database is away: the next renewal tries again
                log.warning(logs.LEASE_NOT_RENEWED, name, exc_info=True)

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
