"""What survey windows do on their own: invite, remind, close, report, recall the publication
deadline and the frequency plan.

The windows table is the source of truth: `run_due()` recomputes from it everything that has
fallen due by now and performs it, so a scheduler only has to call it at the right moments (and
once at start-up, which catches up whatever fell due while the bot was down). Each side effect
is claimed first (`JobClaims`, named `window:<id>:<event>`, with a lease) and recorded as done
in `survey_window_events` together with the claim's `done_at`, so a restart, a second tick or a
second instance never repeats a finished one. A side effect that fails is released and tried
again on the next call; one whose instance died midway is taken over by the first call after
the lease has passed.

The report of a closed window is not such a side effect but a debt of the close: the closing
transaction records the "report" event and writes one outbox row per admin (`owe_report`), the
rows are delivered right after the commit, and the outbox worker retries whichever admin could
not be reached, alone (`report_to` renders the report at delivery). The agenda's "report" is
left only for a window closed without that (by a version before the outbox carried reports):
it owes the report the same way, once, on the next pass.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta
from typing import ClassVar

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.body import Body
from bot.claims import JobClaims
from bot.core.ports import Notifications, Person
from bot.db.models import OutboxMessage, PlanReminder, SurveyWindow, WindowEvent
from bot.outbox import Outbox
from bot.reports.window import WindowReport
from bot.surveys.plan import FrequencyPlan, PlanPeriod
from bot.surveys.reminders import ReminderList
from bot.surveys.windows import WindowService
from bot.texts import logs
from bot.texts import schedule as texts

log = logging.getLogger(__name__)

REMINDER_TIME = time(10, 0)
PUBLICATION_TIME = time(9, 0)
# The close is due once `closes_at` (23:59:59) has passed, i.e. a second later.
CLOSE_DELAY = timedelta(seconds=1)


BuildReport = Callable[[int], Awaitable[WindowReport]]


class WindowJobs:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        windows: WindowService,
        plan: FrequencyPlan,
        subscribers: ReminderList,
        build_report: BuildReport,
        notifier: Notifications,
        outbox: Outbox,
        *,
        external_last_day_reminder: bool = False,
        body: Body | None = None,
        claims: JobClaims | None = None,
    ) -> None:
        """`claims`: the instance's claims on side effects; by default this process's, timed
        by the windows' clock (so a test's FakeClock also moves the leases)."""
        self._body = body or Body()
        self._claims = claims or JobClaims(sessionmaker, now=windows.clock.now)
        self._sessionmaker = sessionmaker
        self._windows = windows
        self._plan = plan
        self._subscribers = subscribers
        self._build_report = build_report
        self._external_last_day = external_last_day_reminder
        self._outbox = outbox
        self.notifier = notifier

    # --- the agenda ------------------------------------------------------------------------
    def _at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, self._windows.tz)

    def agenda(self, window: SurveyWindow, done: set[str]) -> list[tuple[str, datetime]]:
        """The window's side effects still to perform, in order, with the moment each is due."""
        if window.closed_at is not None:
            items = [("report", window.closed_at)]
            publish_by = self._windows.view(window).publish_by
            items.append(("publication", self._at(publish_by, PUBLICATION_TIME)))
            return [(event, at) for event, at in items if event not in done]
        days = self._windows.working_days(window) or [self._windows.local_date(window.opens_at)]
        items = [("invite", window.opens_at)]
        if window.audience == "internal":
            items.append(("midpoint", self._at(days[len(days) // 2], REMINDER_TIME)))
        if window.audience == "internal" or self._external_last_day:
            items.append(("last_day", self._at(days[-1], REMINDER_TIME)))
        items = [(event, at) for event, at in items if event not in done]
        return [*items, ("close", window.closes_at + CLOSE_DELAY)]

    async def _unfinished(self) -> list[tuple[SurveyWindow, set[str]]]:
        """Windows with something left to do: not closed, or publication not yet recalled."""
        async with self._sessionmaker() as session:
            windows = list(
                await session.scalars(
                    select(SurveyWindow)
                    .where(
                        or_(
                            SurveyWindow.closed_at.is_(None),
                            ~exists().where(
                                WindowEvent.window_id == SurveyWindow.id,
                                WindowEvent.event == "publication",
                            ),
                        )
                    )
                    .order_by(SurveyWindow.opens_at, SurveyWindow.id)
                )
            )
            done: dict[int, set[str]] = {w.id: set() for w in windows}
            rows = await session.execute(
                select(WindowEvent.window_id, WindowEvent.event).where(
                    WindowEvent.window_id.in_(list(done))
                )
            )
            for window_id, event in rows:
                done[window_id].add(event)
        return [(w, done[w.id]) for w in windows]

    async def moments(self) -> list[tuple[str, datetime]]:
        """Future moments at which something falls due, keyed `window:event`, for a scheduler."""
        now = self._windows.clock.now()
        return [
            (f"{window.id}:{event}", at)
            for window, done in await self._unfinished()
            for event, at in self.agenda(window, done)
            if at > now
        ]

    # --- performing ------------------------------------------------------------------------
    async def run_due(self) -> list[str]:
        """Perform everything due by now; returns `window:event` keys performed by this call
        (`window:report` for a window this call closed, whose close owed the report)."""
        closed = await self._windows.close_due_windows()
        now = self._windows.clock.now()
        performed = [f"{view.id}:report" for view in closed]
        for window, done in await self._unfinished():
            for event, at in self.agenda(window, done):
                if event != "close" and at <= now and await self._perform(window, event):
                    performed.append(f"{window.id}:{event}")
        for period in await self._plan.due_reminders(self._windows.today()):
            if await self._remind_plan(period):
                performed.append(f"plan:{period.key}")
        return performed

    async def invite_now(self, window_id: int) -> bool:
        """The invitation of a window an admin has just opened. True if it was posted to the
        audience's chat; otherwise the admin's own reply carries the link to post."""
        window = await self._windows.get(window_id)
        name = self._claim_name(window_id, "invite")
        if window is None or not await self._claims.claim(name):
            return False
        try:
            async with self._claims.kept(name):
                posted = await self._post_invitation(window)
        except Exception:
            await self._claims.release(name)
            raise
        await self._done(window_id, "invite")
        return posted

    async def _perform(self, window: SurveyWindow, event: str) -> bool:
        if event == "report":
            return await self._owe_missed_report(window)
        name = self._claim_name(window.id, event)
        if not await self._claims.claim(name):
            return False
        try:
            async with self._claims.kept(name):
                await self._actions[event](self, window)
        except Exception:
            log.exception(logs.WINDOW_EVENT_FAILED, window.id, event)
            await self._claims.release(name)
            return False
        await self._done(window.id, event)
        return True

    # --- the report a close owes --------------------------------------------------------------
    def owe_report(self, session: AsyncSession, window_id: int) -> list[OutboxMessage]:
        """In the closing transaction: the "report" event leaves the agenda, and each admin
        `to_admins` would reach is owed the report (`report_to` sends it)."""
        now = self._windows.clock.now()
        session.add(WindowEvent(window_id=window_id, event="report", done_at=now))
        return self._outbox.add_report(session, window_id, self.notifier.reachable_admins())

    async def deliver_report(self, owed: list[OutboxMessage]) -> None:
        await self._outbox.deliver_each(owed)

    async def report_to(self, admin: Person, window_id: int) -> None:
        """The outbox's delivery of a closed window's report to one admin: the publication
        deadline, the report's text, then its charts. Errors propagate, so it is retried."""
        window = await self._windows.get(window_id)
        if window is None:
            raise LookupError(f"no survey window {window_id}")
        publish_by = self._windows.view(window).publish_by
        report = await self._build_report(window_id)
        await self.notifier.to_admin(
            admin, f"{texts.report_on_close(publish_by)}\n\n{report.text}", report.charts
        )

    async def _owe_missed_report(self, window: SurveyWindow) -> bool:
        """A closed window whose close owed no report (closed by an older version, or by a
        window service without `report_debt`): owe it now, once. The claim waits out an older
        instance still sending it the old way; the event's primary key keeps it to one debt."""
        name = self._claim_name(window.id, "report")
        if not await self._claims.claim(name):
            return False
        try:
            async with self._sessionmaker() as session, session.begin():
                owed = self.owe_report(session, window.id)
                await self._claims.finish(session, name)
        except Exception:
            log.exception(logs.WINDOW_EVENT_FAILED, window.id, "report")
            await self._claims.release(name)
            return False
        log.info(logs.MISSED_REPORT_OWED, window.id, len(owed))
        await self.deliver_report(owed)
        return True

    @staticmethod
    def _claim_name(window_id: int, event: str) -> str:
        return f"window:{window_id}:{event}"

    async def _done(self, window_id: int, event: str) -> None:
        """The event leaves the agenda and its claim is finished, in one transaction."""
        async with self._sessionmaker() as session, session.begin():
            session.add(
                WindowEvent(window_id=window_id, event=event, done_at=self._windows.clock.now())
            )
            await self._claims.finish(session, self._claim_name(window_id, event))

    def _invitation_text(self, window: SurveyWindow) -> str:
        closes_on = self._windows.local_date(window.closes_at)
        return texts.invitation(window.title, window.audience, closes_on, self._body.short)

    async def _post_invitation(self, window: SurveyWindow) -> bool:
        return await self.notifier.post(
            window.audience, self._invitation_text(window), texts.START_BUTTON, window.kind
        )

    async def _post_or_hand_over(self, window: SurveyWindow, text: str) -> None:
        if not await self.notifier.post(window.audience, text, texts.START_BUTTON, window.kind):
            link = await self.notifier.link(window.kind)
            await self.notifier.to_admins(texts.ready_to_post(text, link, window.audience))

    async def _invite(self, window: SurveyWindow) -> None:
        """Invitations of citizen surveys that open on their own also go to the communities
        (the VK wall). A survey an admin opens at once is announced by the admin command,
        which reports back itself."""
        await self._post_or_hand_over(window, self._invitation_text(window))
        if window.audience == "external":
            for note in await self.notifier.invite_communities(window.title, window.kind):
                await self.notifier.to_admins(note)

    async def _midpoint(self, window: SurveyWindow) -> None:
        """Halfway through an employee survey: the work chat, then each subscriber who has not
        answered yet, privately."""
        if self._windows.state(window) != "open":
            return
        closes_on = self._windows.local_date(window.closes_at)
        await self._post_or_hand_over(window, texts.midpoint_post(window.title, closes_on))
        people = await self._subscribers.not_yet_answered(window)
        await self.notifier.to_people(
            people, texts.private_reminder(window.title, closes_on), texts.START_BUTTON, window.kind
        )

    async def _last_day(self, window: SurveyWindow) -> None:
        """The last day: the citizens' channel (if EXTERNAL_LAST_DAY_REMINDER), and privately
        each subscriber whose survey of this window is still unfinished, once."""
        if self._windows.state(window) != "open":
            return
        if window.audience == "external" and self._external_last_day:
            await self._post_or_hand_over(window, texts.last_day_post(window.title))
        people = await self._subscribers.with_unfinished_draft(window)
        if not people:
            return
        await self.notifier.to_people(
            people, texts.unfinished_reminder(window.title), texts.CONTINUE_BUTTON, window.kind
        )

    async def _publication(self, window: SurveyWindow) -> None:
        publish_by = self._windows.view(window).publish_by
        report = await self._build_report(window.id)
        header = texts.publication_due(window.id, window.title, publish_by)
        await self.notifier.to_admins(f"{header}\n\n{report.text}")

    _actions: ClassVar[dict[str, Callable[[WindowJobs, SurveyWindow], Awaitable[None]]]] = {
        "invite": _invite,
        "midpoint": _midpoint,
        "last_day": _last_day,
        "publication": _publication,
    }

    async def _remind_plan(self, period: PlanPeriod) -> bool:
        """The plan's reminder of `period`, once. `plan_reminders` says it was sent (rows
        written before claims had leases included); the claim keeps two instances apart."""
        async with self._sessionmaker() as session:
            if await session.get(PlanReminder, period.key) is not None:
                return False
        name = f"plan:{period.key}"
        if not await self._claims.claim(name):
            return False
        text = texts.plan_reminder(
            period.audience, period.start, period.end, self._plan.last_start(period)
        )
        try:
            async with self._claims.kept(name):
                await self.notifier.to_admins(text)
        except Exception:
            log.exception(logs.PLAN_REMINDER_FAILED, period.key)
            await self._claims.release(name)
            return False
        async with self._sessionmaker() as session, session.begin():
            session.add(PlanReminder(period=period.key, sent_at=self._windows.clock.now()))
            await self._claims.finish(session, name)
        return True
