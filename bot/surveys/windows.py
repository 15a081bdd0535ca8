"""Survey windows: opening on the production calendar, closing, listing.

A window is open from 00:00 of its first day to 23:59:59 of its last working day in the body's
time zone; its state follows from those times and `closed_at`, so a window whose end has passed
refuses answers even before the closing job has run.

Closing a window owes the admins its report: the closing transaction writes it to the outbox
(`ReportDebt`), and it is delivered right after the commit.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.db.models import (
    OutboxMessage,
    SurveyDraft,
    SurveyLapsedDraft,
    SurveyParticipation,
    SurveyPendingResponse,
    SurveyWindow,
)
from bot.surveys.anonymity import new_window_salt
from bot.surveys.calendar import ProductionCalendar
from bot.surveys.questionnaire import Questionnaire
from bot.surveys.release import ResponseRelease
from bot.texts import admin as texts
from bot.texts.common import fmt_date
from bot.ttl_cache import MISSING, TtlCache, nobody_to_tell

WindowState = Literal["scheduled", "open", "closed"]
END_OF_DAY = time(23, 59, 59)
# Results go to the body's website this many working days after the survey closes (seeds/003 V).
PUBLICATION_WORKING_DAYS = 15


class WindowError(Exception):
    """An admin's request cannot be carried out; the message is for the admin."""


def parse_date(value: str) -> date:
    value = value.strip()
    for pattern, order in (
        (r"(\d{1,2})\.(\d{1,2})\.(\d{4})", "dmy"),
        (r"(\d{4})-(\d{2})-(\d{2})", "ymd"),
    ):
        match = re.fullmatch(pattern, value)
        if match:
            a, b, c = (int(g) for g in match.groups())
            try:
                return date(c, b, a) if order == "dmy" else date(a, b, c)
            except ValueError:
                break
    raise WindowError(texts.BAD_DATE.format(value=value))


@dataclass(frozen=True)
class WindowView:
    """A window as shown to admins, with dates in the body's time zone."""

    id: int
    kind: str
    title: str
    audience: str
    opens_on: date
    closes_on: date
    state: WindowState
    respondents: int
    # The day the results are due on the website: counted from the actual close when the
    # window was closed early, else from its planned last day.
    publish_by: date


class ReportDebt(Protocol):
    """The report a close owes the admins (`bot.surveys.jobs.WindowJobs`)."""

    def owe_report(self, session: AsyncSession, window_id: int) -> list[OutboxMessage]:
        """Write what is owed, in the closing transaction: it commits with the close or not
        at all."""
        ...

    async def deliver_report(self, owed: list[OutboxMessage]) -> None:
        """Deliver it once the close has committed; what fails is left to the outbox worker."""
        ...


WINDOW_CACHE_TTL = 5.0
"""Seconds a window row read for a survey press is trusted. Changes made here clear it at
once; a window closed on another instance may still take a few intermediate answers, never a
submission (which re-reads the window in its own transaction)."""


class WindowService:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        questionnaires: dict[str, Questionnaire],
        calendar: ProductionCalendar,
        clock: Clock,
        tz: ZoneInfo,
        release: ResponseRelease,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._release = release
        self.questionnaires = questionnaires
        self.calendar = calendar
        self.clock = clock
        self.tz = tz
        self._rows: TtlCache[int, SurveyWindow | None] = TtlCache(WINDOW_CACHE_TTL, size=256)
        self._unclosed_rows: TtlCache[str, tuple[SurveyWindow, ...]] = TtlCache(
            WINDOW_CACHE_TTL, size=64
        )
        self.changed: Callable[[], Awaitable[None]] = nobody_to_tell
        """Tells the other instances (bot/coordination.py) after a window opened or closed."""
        self.report_debt: ReportDebt | None = None
        """Set by the composition root. Without it a close owes nothing itself, and the
        window jobs owe the report on their next pass (as for a window closed before the
        report went through the outbox)."""

    def forget_cached(self) -> None:
        """A window was opened or closed (here or on another instance): the cached rows go."""
        self._rows.clear()
        self._unclosed_rows.clear()

    async def _committed_change(self) -> None:
        """After the commit, so no reader can cache the state from before it again."""
        self.forget_cached()
        await self.changed()

    async def _deliver(self, owed: list[OutboxMessage]) -> None:
        """Once the commit that closed windows is in, their reports: before the scrub, which
        then also clears what the delivery wrote, so nothing of the close is left behind."""
        if owed and self.report_debt is not None:
            await self.report_debt.deliver_report(owed)

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    def state(self, window: SurveyWindow) -> WindowState:
        now = self.clock.now()
        if window.closed_at is not None or now > window.closes_at:
            return "closed"
        return "scheduled" if now < window.opens_at else "open"

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    def working_days(self, window: SurveyWindow) -> list[date]:
        """The window's working days, first to last, on the production calendar."""
        last = self.local_date(window.closes_at)
        days: list[date] = []
        for day in self.calendar.working_days_from(self.local_date(window.opens_at)):
            if day > last:
                break
            days.append(day)
        return days

    def view(self, window: SurveyWindow, pending: int = 0) -> WindowView:
        """`pending`: finished surveys not yet released into the answers (see release.py),
        counted as respondents here, where only the number is shown."""
        closed_on = self.local_date(window.closed_at or window.closes_at)
        return WindowView(
            id=window.id,
            kind=window.kind,
            title=window.title,
            audience=window.audience,
            opens_on=window.opens_at.astimezone(self.tz).date(),
            closes_on=window.closes_at.astimezone(self.tz).date(),
            state=self.state(window),
            respondents=window.respondents + pending,
            publish_by=self.calendar.add_working_days(closed_on, PUBLICATION_WORKING_DAYS),
        )

    def last_day(self, questionnaire: Questionnaire, start: date) -> date:
        return self.calendar.nth_working_day(start, questionnaire.working_days)

    async def open_window(self, kind: str, start: date | None = None) -> WindowView:
        questionnaire = self.questionnaires.get(kind)
        if questionnaire is None:
            raise WindowError(
                texts.UNKNOWN_KIND.format(kind=kind, kinds=", ".join(sorted(self.questionnaires)))
            )
        today = self.today()
        start = start or today
        if start < today:
            raise WindowError(texts.DATE_IN_PAST.format(day=fmt_date(start)))
        end = self.last_day(questionnaire, start)
        owed: list[OutboxMessage] = []
        try:
            async with self._sessionmaker() as session, session.begin():
                view = await self._insert_window(session, kind, questionnaire, start, end, owed)
        except IntegrityError:
            # Another admin opened one at the same moment: the unique index kept only theirs.
            raise WindowError(texts.WINDOW_OPENED_MEANWHILE.format(kind=kind)) from None
        await self._committed_change()
        await self._deliver(owed)
        return view

    async def _insert_window(
        self,
        session: AsyncSession,
        kind: str,
        questionnaire: Questionnaire,
        start: date,
        end: date,
        owed: list[OutboxMessage],
    ) -> WindowView:
        """`owed`: receives what closing an overdue window of the kind owes."""
        for other in await self._unclosed(session, kind):
            other_view = self.view(other)
            if other_view.state != "closed":
                raise WindowError(
                    texts.window_already_open(other.id, other_view.opens_on, other_view.closes_on)
                )
            # Its end has passed but the closing job has not run yet: close it now, so the
            # one-unclosed-window-per-questionnaire rule of the database holds.
            owed += await self._finalize(session, other, other.closes_at) or []
        window = SurveyWindow(
            kind=kind,
            audience=questionnaire.audience,
            title=questionnaire.title,
            questionnaire=questionnaire.to_json(),
            opens_at=datetime.combine(start, time.min, self.tz),
            closes_at=datetime.combine(end, END_OF_DAY, self.tz),
            created_at=self.clock.now(),
            salt=new_window_salt(),
            respondents=0,
        )
        session.add(window)
        await session.flush()
        return self.view(window)

    async def _unclosed(self, session: AsyncSession, kind: str) -> list[SurveyWindow]:
        rows = await session.scalars(
            select(SurveyWindow).where(SurveyWindow.kind == kind, SurveyWindow.closed_at.is_(None))
        )
        return list(rows)

    async def close_window(self, window_id: int) -> WindowView:
        """Close now (early) or confirm a close that fell due, the report delivered."""
        view, aftermath = await self.close_window_then(window_id)
        await aftermath()
        return view

    async def close_window_then(
        self, window_id: int
    ) -> tuple[WindowView, Callable[[], Awaitable[None]]]:
        """Close, and the step that delivers the report and scrubs, for the caller to await
        once it has answered: the admin who pressed «Закрыть» first sees the window closed,
        then its report. Raises WindowError for an unknown or closed window."""
        async with self._sessionmaker() as session, session.begin():
            window = await session.get(SurveyWindow, window_id)
            if window is None:
                raise WindowError(texts.WINDOW_NOT_FOUND.format(id=window_id))
            if window.closed_at is not None:
                raise WindowError(texts.WINDOW_ALREADY_CLOSED.format(id=window_id))
            owed = await self._finalize(session, window, min(self.clock.now(), window.closes_at))
            view = self.view(window)
        await self._committed_change()

        async def aftermath() -> None:
            await self._deliver(owed or [])
            await self._release.scrub()

        return view, aftermath

    async def close_due_windows(self) -> list[WindowView]:
        """Close every window whose last day has passed; returns the ones closed by this call."""
        closed: list[WindowView] = []
        owed: list[OutboxMessage] = []
        async with self._sessionmaker() as session, session.begin():
            due = await session.scalars(
                select(SurveyWindow).where(
                    SurveyWindow.closed_at.is_(None), SurveyWindow.closes_at < self.clock.now()
                )
            )
            for window in due:
                owes = await self._finalize(session, window, window.closes_at)
                if owes is not None:
                    closed.append(self.view(window))
                    owed += owes
        if closed:
            await self._committed_change()
            await self._deliver(owed)
            await self._release.scrub()
        return closed

    async def _finalize(
        self, session: AsyncSession, window: SurveyWindow, at: datetime
    ) -> list[OutboxMessage] | None:
        """Mark closed, release the finished surveys still pending (however few), destroy
        what could still tie people to the window: salt, marks, unfinished drafts (of which
        only the keyed hash stays, without the window, to tell the person their answers were
        not counted), and owe the admins the report. The conditional UPDATE makes a concurrent
        second close a no-op. Returns what the close owes, None if it was not this close."""
        result = await session.execute(
            update(SurveyWindow)
            .where(SurveyWindow.id == window.id, SurveyWindow.closed_at.is_(None))
            .values(closed_at=at, salt=None)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            return None
        await self._release.release(session, window.id, rest=True)
        await session.execute(
            delete(SurveyParticipation).where(SurveyParticipation.window_id == window.id)
        )
        unfinished = select(SurveyDraft.person_key).where(SurveyDraft.window_id == window.id)
        await session.execute(
            delete(SurveyLapsedDraft).where(SurveyLapsedDraft.person_key.in_(unfinished))
        )
        await session.execute(insert(SurveyLapsedDraft).from_select(["person_key"], unfinished))
        await session.execute(delete(SurveyDraft).where(SurveyDraft.window_id == window.id))
        await session.refresh(window)
        if self.report_debt is None:
            return []
        return self.report_debt.owe_report(session, window.id)

    async def cached(self, session: AsyncSession, window_id: int) -> SurveyWindow | None:
        """The window of a survey press, from memory when read in the last few seconds
        (WINDOW_CACHE_TTL): nearly every update needs it and it rarely changes. The row is
        read-only for the caller; a submission reads it afresh with `session.get`."""
        found = self._rows.get(window_id)
        if found is not MISSING:
            return found  # type: ignore[return-value]
        window = await session.get(SurveyWindow, window_id)
        if window is not None:
            # Detached, so a rollback of this session cannot expire the shared copy.
            session.expunge(window)
        self._rows.put(window_id, window)
        return window

    async def get(self, window_id: int) -> SurveyWindow | None:
        async with self._sessionmaker() as session:
            return await session.get(SurveyWindow, window_id)

    async def latest(self) -> SurveyWindow | None:
        """The most recently opened window that has started."""
        async with self._sessionmaker() as session:
            return await session.scalar(
                select(SurveyWindow)
                .where(SurveyWindow.opens_at <= self.clock.now())
                .order_by(SurveyWindow.opens_at.desc(), SurveyWindow.id.desc())
                .limit(1)
            )

    async def open_for(self, kind: str) -> SurveyWindow | None:
        """The window of this kind that accepts answers right now, if any. Every citizen's
        /start asks, so the kind's unclosed windows (one or two rows) are kept for
        WINDOW_CACHE_TTL like a press's window; the rows are read-only for the caller."""
        found = self._unclosed_rows.get(kind)
        if found is MISSING:
            async with self._sessionmaker() as session:
                rows = tuple(await self._unclosed(session, kind))
                session.expunge_all()  # detached: no later rollback can expire the shared rows
            self._unclosed_rows.put(kind, rows)
        else:
            rows = found  # type: ignore[assignment]
        now = self.clock.now()
        return next((w for w in rows if w.opens_at <= now <= w.closes_at), None)

    async def open_kinds(self, audience: str) -> list[str]:
        now = self.clock.now()
        async with self._sessionmaker() as session:
            rows = await session.scalars(
                select(SurveyWindow.kind).where(
                    SurveyWindow.audience == audience,
                    SurveyWindow.closed_at.is_(None),
                    SurveyWindow.opens_at <= now,
                    SurveyWindow.closes_at >= now,
                )
            )
            return list(rows)

    async def windows_between(self, start: datetime, end: datetime) -> list[WindowView]:
        """Windows opening in [start, end), earliest first (the frequency plan of a year)."""
        async with self._sessionmaker() as session:
            rows = await session.scalars(
                select(SurveyWindow)
                .where(SurveyWindow.opens_at >= start, SurveyWindow.opens_at < end)
                .order_by(SurveyWindow.opens_at, SurveyWindow.id)
            )
            return [self.view(w) for w in rows]

    async def list_windows(self, limit: int = 20) -> list[WindowView]:
        async with self._sessionmaker() as session:
            rows = list(
                await session.scalars(
                    select(SurveyWindow).order_by(SurveyWindow.opens_at.desc()).limit(limit)
                )
            )
            pending = await self.pending_counts(session, [w.id for w in rows])
            return [self.view(w, pending.get(w.id, 0)) for w in rows]

    @staticmethod
    async def pending_counts(session: AsyncSession, window_ids: list[int]) -> dict[int, int]:
        """Finished surveys still waiting for release, per window."""
        if not window_ids:
            return {}
        counted = await session.execute(
            select(SurveyPendingResponse.window_id, func.count())
            .where(SurveyPendingResponse.window_id.in_(window_ids))
            .group_by(SurveyPendingResponse.window_id)
        )
        return {window_id: int(n) for window_id, n in counted}
