"""APScheduler wiring for `WindowJobs`: the scheduler only decides *when* to look; what to do
is recomputed from the windows table each time (`WindowJobs.run_due`).

At start-up it performs at once whatever fell due while the bot was down, then adds one date
job per future moment of the agenda (an opening, a reminder, a close) and a periodic tick that
catches windows created or closed since and rebuilds the date jobs. Jobs live in memory only:
the database, not a job store, says what has been done.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time
from functools import partial
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.claims import JobClaims
from bot.surveys.jobs import WindowJobs
from bot.texts import logs

log = logging.getLogger(__name__)

TICK_SECONDS = 60
AGENDA_PREFIX = "agenda:"

DailyJob = tuple[str, time, Callable[[], Awaitable[object]]]
"""(name, local time of day, coroutine function): e.g. the appeals digest at 09:00."""


class WindowScheduler:
    def __init__(
        self,
        jobs: WindowJobs,
        tick_seconds: int = TICK_SECONDS,
        *,
        tz: ZoneInfo | None = None,
        daily: list[DailyJob] | None = None,
        claims: JobClaims | None = None,
    ) -> None:
        """`claims`: with several instances, each day's run of a daily job is claimed in the
        database, so it runs on one instance only, and is redone if that instance died."""
        self._jobs = jobs
        self._tick_seconds = tick_seconds
        self._tz = tz or ZoneInfo("UTC")
        self._daily = daily or []
        self._claims = claims
        self._scheduler = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={
                # After a pause (suspended laptop, blocked loop) run a missed job once, not
                # once per missed moment; run_due catches up on everything anyway.
                "coalesce": True,
                "misfire_grace_time": 24 * 3600,
                "max_instances": 1,
            },
        )

    async def start(self) -> None:
        await self.tick()
        self._scheduler.start()
        self._scheduler.add_job(
            self.tick, IntervalTrigger(seconds=self._tick_seconds), id="tick", name="tick"
        )
        for name, at, job in self._daily:
            self._scheduler.add_job(
                partial(self._run_daily, name, job),
                CronTrigger(hour=at.hour, minute=at.minute, timezone=self._tz),
                id=f"daily:{name}",
                name=name,
            )

    async def tick(self) -> None:
        performed = await self._jobs.run_due()
        if performed:
            log.info(logs.SURVEY_JOBS_DONE, ", ".join(performed))
        if self._claims is not None:
            retaken = await self._claims.retake({f"daily:{n}": job for n, _, job in self._daily})
            if retaken:
                log.info(logs.DAILY_JOBS_RETAKEN, ", ".join(retaken))
        await self.rebuild()

    async def _run_daily(self, name: str, job: Callable[[], Awaitable[object]]) -> None:
        if self._claims is None:
            await job()
            return
        today = datetime.now(self._tz).date().isoformat()
        await self._claims.run_once(f"daily:{name}:{today}", job)

    async def rebuild(self) -> None:
        """One date job per future moment of the agenda, replacing the previous set."""
        moments = dict(await self._jobs.moments())
        for job in self._scheduler.get_jobs():
            if job.id.startswith(AGENDA_PREFIX) and job.id[len(AGENDA_PREFIX) :] not in moments:
                job.remove()
        for key, at in moments.items():
            self._scheduler.add_job(
                self.tick,
                DateTrigger(run_date=at),
                id=AGENDA_PREFIX + key,
                name=key,
                replace_existing=True,
            )

    def job_ids(self) -> list[str]:
        return sorted(job.id for job in self._scheduler.get_jobs())

    @property
    def running(self) -> bool:
        """For /healthz: a stopped scheduler would silently skip closings and reports."""
        return bool(self._scheduler.running)

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
