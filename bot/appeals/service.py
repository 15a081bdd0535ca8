"""The lifecycle of an appeal: filing, taking, answering, redirecting, extending, closing,
follow-up, rating, the staff digest and the personal-data purge.

Every change of state is told to the citizen on their own messenger (`Messengers`), and new
appeals and follow-ups are posted to the staff board. A failed notification is logged and does
not undo the change: the state in the database is what counts.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import String, cast, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from bot.appeals import render
from bot.appeals.classifier import Classifier
from bot.appeals.metrics import (
    AppealChartData,
    AppealMetrics,
    Period,
    appeal_chart_data,
    appeal_metrics,
)
from bot.appeals.model import (
    KINDS,
    MESSENGER_CHANNELS,
    OPEN_STATES,
    OUTCOMES,
    AppealError,
    AppealTerms,
    AppealView,
    Attachment,
)
from bot.clock import Clock
from bot.core.ports import Person, Reply, Sender, StaffBoard
from bot.db.models import (
    Appeal,
    AppealAttachment,
    AppealContact,
    AppealIntake,
    OutboxMessage,
    StaffMember,
    StaffPost,
)
from bot.outbox import Outbox
from bot.sanitize import clean_text
from bot.texts import appeals as texts
from bot.texts import logs
from bot.ttl_cache import MISSING, TtlCache, nobody_to_tell

log = logging.getLogger(__name__)
LIST_LIMIT = 30
# Telegram allows 4096 characters per message; an answer goes out under a short header.
ANSWER_MAX = 3500
BODY_NAME_MAX = 300
FORMAL_NUMBER_MAX = 64
LOW_RATING = 2
"""A rating this low or lower asks the citizen, optionally, what was wrong."""
ABANDONED_DRAFT_DAYS = 30


STAFF_CACHE_TTL = 10.0
"""Seconds the staff list is trusted. /staff add and remove clear it at once on the instance
that ran them; another instance sees the change within this time."""


class AppealService:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        tz: ZoneInfo,
        classifier: Classifier,
        messengers: Sender,
        terms: AppealTerms | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._clock = clock
        self.tz = tz
        self.classifier = classifier
        self._messengers = messengers
        self.terms = terms or AppealTerms()
        self.boards: dict[str, StaffBoard] = {}
        """The staff chat of each messenger; a card goes to the one of the appeal's messenger,
        or to the only one there is."""
        self.outbox: Outbox | None = None
        """Set by the composition root: citizens' notices go through it."""
        self._staff: TtlCache[str, frozenset[str]] = TtlCache(STAFF_CACHE_TTL, size=1)
        self.staff_changed: Callable[[], Awaitable[None]] = nobody_to_tell
        """Tells the other instances (bot/coordination.py) after the staff list changed."""

    def now(self) -> datetime:
        return self._clock.now()

    # --- filing -------------------------------------------------------------------------
    async def file(
        self,
        person: Person,
        kind: str,
        topic: str,
        text: str,
        name: str,
        email: str | None,
        attachments: Sequence[Attachment] = (),
    ) -> AppealView:
        """A citizen's appeal from a messenger; registered at once (59-FZ allows 3 days)."""
        now = self.now()
        appeal = self._new(
            MESSENGER_CHANNELS.get(person.platform, person.platform), kind, topic, text, now, now
        )
        appeal.platform = person.platform
        appeal.user_id = person.user_id
        appeal.name = name
        appeal.email = email
        async with self._sessionmaker() as session, session.begin():
            session.add(appeal)
            await session.flush()
            for item in attachments:
                session.add(
                    AppealAttachment(
                        appeal_number=appeal.number,
                        platform=item.platform,
                        kind=item.kind,
                        file_id=item.file_id,
                    )
                )
            await session.merge(AppealContact(person_key=person.key, name=name, email=email))
            owed = self.outbox.add_card(session, appeal.number) if self.outbox else None
        view = await self.get(appeal.number)
        await self._card_owed(view, owed)
        return view

    async def register(
        self, channel: str, kind: str, topic: str, text: str, received_on: date
    ) -> AppealView:
        """An appeal received elsewhere (post, phone...), registered by staff now."""
        now = self.now()
        received = datetime.combine(received_on, time(12), self.tz).astimezone(UTC)
        appeal = self._new(channel, kind, topic, clean_text(text), min(received, now), now)
        async with self._sessionmaker() as session, session.begin():
            session.add(appeal)
            await session.flush()
            owed = self.outbox.add_card(session, appeal.number) if self.outbox else None
        view = await self.get(appeal.number)
        await self._card_owed(view, owed)
        return view

    def _new(
        self, channel: str, kind: str, topic: str, text: str, received: datetime, now: datetime
    ) -> Appeal:
        if kind not in KINDS:
            raise AppealError(texts.UNKNOWN_KIND)
        if topic not in self.classifier:
            raise AppealError(texts.UNKNOWN_TOPIC)
        return Appeal(
            channel=channel,
            kind=kind,
            topic=topic,
            text=text,
            state="registered",
            received_at=received,
            registered_at=now,
            due_at=self.terms.answer_due(now),
            redirect_due_at=self.terms.redirect_due(now),
        )

    async def contact(self, person: Person) -> AppealContact | None:
        async with self._sessionmaker() as session:
            return await session.get(AppealContact, person.key)

    # --- staff actions ------------------------------------------------------------------
    async def take(self, number: int, staff_id: int) -> AppealView:
        async with self._sessionmaker() as session, session.begin():
            appeal = await self._open(session, number)
            if appeal.state == "in_work":
                raise AppealError(texts.already_taken(number))
            appeal.state, appeal.taken_at, appeal.taken_by = "in_work", self.now(), staff_id
            owed = self._owe(session, appeal, render.citizen_taken)
        view = await self.get(number)
        return await self._settle(view, owed, render.citizen_taken)

    async def answer(
        self, number: int, staff_id: int, text: str, executor: str | None = None
    ) -> AppealView:
        """The official answer, sent to the citizen; `executor` signs it ("Фамилия И.О.,
        должность") and is kept for the register."""
        text = clean_text(text).strip()
        if not text:
            raise AppealError(texts.EMPTY_ANSWER)
        if len(text) > ANSWER_MAX:
            raise AppealError(texts.answer_too_long(len(text), ANSWER_MAX))
        now = self.now()
        async with self._sessionmaker() as session, session.begin():
            appeal = await self._open(session, number)
            appeal.state, appeal.answer_text, appeal.answered_by = "answered", text, staff_id
            appeal.executor = executor
            if appeal.answered_at is None:
                appeal.answered_at = now
                appeal.answer_seconds = int((now - appeal.registered_at).total_seconds())
            owed = self._owe(session, appeal, render.citizen_answer)
        view = await self.get(number)
        return await self._settle(view, owed, render.citizen_answer)

    async def set_outcome(self, number: int, outcome: str) -> AppealView:
        if outcome not in OUTCOMES:
            raise AppealError(texts.UNKNOWN_OUTCOME)
        async with self._sessionmaker() as session, session.begin():
            appeal = await self._get(session, number)
            if appeal.kind != "complaint":
                raise AppealError(texts.not_complaint(number))
            appeal.outcome = outcome
        view = await self.get(number)
        await self._tell(view, render.citizen_outcome(view))
        return view

    async def redirect(self, number: int, staff_id: int, body: str) -> AppealView:
        body = clean_text(body).strip()
        if not body or len(body) > BODY_NAME_MAX:
            raise AppealError(texts.REDIRECT_USAGE)
        now = self.now()
        async with self._sessionmaker() as session, session.begin():
            appeal = await self._open(session, number)
            appeal.state, appeal.redirected_to, appeal.redirected_at = "redirected", body, now
            appeal.redirect_seconds = int((now - appeal.registered_at).total_seconds())
            owed = self._owe(session, appeal, render.citizen_redirected)
        view = await self.get(number)
        return await self._settle(view, owed, render.citizen_redirected)

    async def extend(self, number: int, staff_id: int, reason: str) -> AppealView:
        reason = clean_text(reason).strip()
        if not reason:
            raise AppealError(texts.EXTEND_USAGE)
        async with self._sessionmaker() as session, session.begin():
            appeal = await self._open(session, number)
            if appeal.extended:
                raise AppealError(texts.already_extended(number))
            appeal.extended, appeal.extension_reason = True, reason
            appeal.due_at = appeal.due_at + timedelta(days=self.terms.extension_days)
            owed = self._owe(session, appeal, self._extended)
        view = await self.get(number)
        return await self._settle(view, owed, self._extended)

    async def close(self, number: int, staff_id: int) -> AppealView:
        async with self._sessionmaker() as session, session.begin():
            appeal = await self._get(session, number)
            if appeal.state in ("closed", "redirected"):
                raise AppealError(texts.already_final(number))
            appeal.state, appeal.closed_at = "closed", self.now()
            owed = self._owe(session, appeal, render.citizen_closed)
        view = await self.get(number)
        return await self._settle(view, owed, render.citizen_closed)

    # --- citizen actions after the answer -----------------------------------------------
    async def followup(self, person: Person, number: int, text: str) -> AppealView:
        """The one follow-up question a citizen may ask; it reopens the appeal."""
        async with self._sessionmaker() as session, session.begin():
            appeal = await self._own(session, person, number)
            if appeal.answered_at is None or appeal.state == "redirected":
                raise AppealError(texts.FOLLOWUP_NOT_ANSWERED)
            if appeal.followup_text is not None:
                raise AppealError(texts.FOLLOWUP_USED)
            appeal.followup_text, appeal.state, appeal.closed_at = text, "in_work", None
        view = await self.get(number)
        await self._post_for(view, render.staff_followup(view))
        return view

    async def rate(self, person: Person, number: int, rating: int) -> AppealView:
        """A rating of the answer closes an answered appeal."""
        if not 1 <= rating <= 5:
            raise AppealError(texts.BAD_RATING)
        async with self._sessionmaker() as session, session.begin():
            appeal = await self._own(session, person, number)
            if appeal.answered_at is None:
                raise AppealError(texts.FOLLOWUP_NOT_ANSWERED)
            if appeal.rating is not None:
                raise AppealError(texts.ALREADY_RATED)
            appeal.rating = rating
            if appeal.state == "answered":
                appeal.state, appeal.closed_at = "closed", self.now()
        view = await self.get(number)
        await self._post_for(view, Reply(texts.staff_rated(view.number, view.rating or 0)))
        return view

    async def explain_rating(self, person: Person, number: int, reason: str) -> AppealView:
        """What was wrong, after a rating of 1 or 2: kept with the appeal, counted in the
        metrics and shown to staff."""
        async with self._sessionmaker() as session, session.begin():
            appeal = await self._own(session, person, number)
            if appeal.rating is None or appeal.rating > LOW_RATING:
                raise AppealError(texts.STALE)
            appeal.rating_reason = reason
        view = await self.get(number)
        await self._post_for(view, Reply(texts.staff_rating_reason(number, reason)))
        return view

    # --- reading ------------------------------------------------------------------------
    async def get(self, number: int) -> AppealView:
        async with self._sessionmaker() as session:
            return _view(await self._get(session, number))

    async def of_person(self, person: Person, number: int | None = None) -> list[AppealView]:
        """Only the person's own appeals: another person's number is simply not found."""
        query = (
            select(Appeal)
            .options(selectinload(Appeal.attachments))
            .where(Appeal.platform == person.platform, Appeal.user_id == person.user_id)
            .order_by(Appeal.number.desc())
            .limit(LIST_LIMIT)
        )
        if number is not None:
            query = query.where(Appeal.number == number)
        async with self._sessionmaker() as session:
            return [_view(a) for a in await session.scalars(query)]

    async def for_staff(self, which: str = "open") -> list[AppealView]:
        query = select(Appeal).options(selectinload(Appeal.attachments))
        if which == "open":
            query = query.where(Appeal.state.in_(OPEN_STATES)).order_by(Appeal.due_at)
        elif which == "overdue":
            query = query.where(Appeal.state.in_(OPEN_STATES), Appeal.due_at < self.now())
            query = query.order_by(Appeal.due_at)
        else:
            query = query.order_by(Appeal.number.desc())
        async with self._sessionmaker() as session:
            return [_view(a) for a in await session.scalars(query.limit(LIST_LIMIT))]

    async def in_period(self, period: Period) -> list[AppealView]:
        """Every appeal received in the period, by number: the register for the analysts."""
        start, end = period.bounds(self.tz)
        query = (
            select(Appeal)
            .options(selectinload(Appeal.attachments))
            .where(Appeal.received_at >= start, Appeal.received_at < end)
            .order_by(Appeal.number)
        )
        async with self._sessionmaker() as session:
            return [_view(a) for a in await session.scalars(query)]

    async def due_soon(self) -> tuple[list[AppealView], list[AppealView]]:
        """Open appeals due within `digest_days`, and overdue ones."""
        now = self.now()
        horizon = now + timedelta(days=self.terms.digest_days)
        query = (
            select(Appeal)
            .options(selectinload(Appeal.attachments))
            .where(Appeal.state.in_(OPEN_STATES), Appeal.due_at <= horizon)
            .order_by(Appeal.due_at)
        )
        async with self._sessionmaker() as session:
            views = [_view(a) for a in await session.scalars(query)]
        return [v for v in views if v.due_at >= now], [v for v in views if v.due_at < now]

    async def daily_digest(self) -> str | None:
        """Post the digest of appeals due soon and overdue to every staff chat; None (nothing
        posted) if none. Raises ConnectionError when no staff chat took it, so the scheduler
        tries again and `python -m bot digest` says so."""
        soon, overdue = await self.due_soon()
        if not soon and not overdue:
            return None
        text = texts.digest(soon, overdue, self.tz)
        taken = False
        for board in self.boards.values():
            try:
                await board.post(Reply(text))
                taken = True
            except Exception:  # one messenger being down must not keep the others' digest
                log.warning(logs.DIGEST_NOT_POSTED, board.platform)
        if self.boards and not taken:
            raise ConnectionError("no staff chat took the appeals digest")
        return text

    async def metrics(self, period: Period) -> AppealMetrics:
        async with self._sessionmaker() as session:
            return await appeal_metrics(session, period, self.tz, self.now())

    async def chart_data(self, period: Period) -> AppealChartData:
        async with self._sessionmaker() as session:
            return await appeal_chart_data(session, period, self.tz)

    # --- personal data --------------------------------------------------------------------
    async def purge(self) -> int:
        """Anonymise appeals finished more than `retention_years` ago: the numbers, dates,
        channel, kind, topic, outcome and rating stay for the metrics; names, e-mails, texts,
        attachments, the link to the messenger account and the remembered contact go. Appeal
        drafts abandoned for `ABANDONED_DRAFT_DAYS` are dropped too. The number anonymised."""
        now = self.now()
        cutoff = self.terms.retention_cutoff(now)
        finished = func.coalesce(Appeal.closed_at, Appeal.redirected_at)
        stale = select(Appeal.number).where(Appeal.purged_at.is_(None), finished < cutoff)
        async with self._sessionmaker() as session, session.begin():
            await session.execute(
                delete(AppealIntake).where(
                    AppealIntake.updated_at < now - timedelta(days=ABANDONED_DRAFT_DAYS)
                )
            )
            numbers = list(await session.scalars(stale))
            if not numbers:
                return 0
            await _anonymise(session, numbers, now)
            await _drop_orphan_contacts(session)
            return len(numbers)

    async def forget(self, person: Person) -> tuple[int, int]:
        """The person withdrew consent (/forget): their remembered contact goes, and their
        finished appeals are anonymised exactly as the retention purge does. Appeals still
        under consideration keep their data until answered. Returns (anonymised, still open)."""
        now = self.now()
        own = (Appeal.platform == person.platform, Appeal.user_id == person.user_id)
        async with self._sessionmaker() as session, session.begin():
            await session.execute(
                delete(AppealContact).where(AppealContact.person_key == person.key)
            )
            numbers = list(
                await session.scalars(
                    select(Appeal.number).where(*own, Appeal.state.not_in(OPEN_STATES))
                )
            )
            still_open = await session.scalar(
                select(func.count()).select_from(Appeal).where(*own, Appeal.state.in_(OPEN_STATES))
            )
            if numbers:
                await _anonymise(session, numbers, now)
            return len(numbers), still_open or 0

    async def record_formal(self, number: int, reg_number: str, reg_date: date) -> AppealView:
        """Staff registered this bot appeal formally (59-FZ, in the body's own system)."""
        reg_number = reg_number.strip()
        if not reg_number or len(reg_number) > FORMAL_NUMBER_MAX:
            raise AppealError(texts.FORMAL_USAGE)
        if reg_date > self.now().astimezone(self.tz).date():
            raise AppealError(texts.REGISTER_FUTURE_DATE)
        async with self._sessionmaker() as session, session.begin():
            appeal = await self._get(session, number)
            appeal.formal_number, appeal.formal_date = reg_number, reg_date
        return await self.get(number)

    # --- staff membership -----------------------------------------------------------------
    async def staff_member(self, person: Person) -> StaffMember | None:
        async with self._sessionmaker() as session:
            return await session.get(StaffMember, person.key)

    async def is_staff(self, person: Person) -> bool:
        """Asked on many private messages and presses, so the list is read once per
        STAFF_CACHE_TTL, not once per update."""
        staff = self._staff.get("all")
        if staff is MISSING:
            async with self._sessionmaker() as session:
                staff = frozenset(await session.scalars(select(StaffMember.person_key)))
            self._staff.put("all", staff)
        return person.key in staff  # type: ignore[operator]

    async def add_staff(
        self, person: Person, added_by: Person, name: str | None, position: str | None
    ) -> bool:
        """True if added; an existing member gets the new name and position."""
        async with self._sessionmaker() as session, session.begin():
            member = await session.get(StaffMember, person.key)
            if member is not None:
                member.name, member.position = name or member.name, position or member.position
                return False
            session.add(
                StaffMember(
                    person_key=person.key,
                    name=name,
                    position=position,
                    added_by=added_by.key,
                    added_at=self.now(),
                )
            )
        self.forget_staff()
        await self.staff_changed()
        return True

    async def remove_staff(self, person: Person) -> bool:
        async with self._sessionmaker() as session, session.begin():
            result = await session.execute(
                delete(StaffMember).where(StaffMember.person_key == person.key)
            )
        self.forget_staff()
        await self.staff_changed()
        return result.rowcount > 0

    def forget_staff(self) -> None:
        """The staff list changed (here or on another instance): read it afresh."""
        self._staff.clear()

    async def staff(self) -> list[StaffMember]:
        async with self._sessionmaker() as session:
            return list(await session.scalars(select(StaffMember).order_by("person_key")))

    async def appeal_of_post(self, platform: str, message_id: str) -> int | None:
        """The appeal a staff-chat message stands for (its card, a follow-up), by message id."""
        async with self._sessionmaker() as session:
            post = await session.get(StaffPost, (platform, message_id))
            return post.appeal_number if post is not None else None

    # --- helpers --------------------------------------------------------------------------
    async def _get(self, session: AsyncSession, number: int) -> Appeal:
        appeal = await session.get(Appeal, number, options=[selectinload(Appeal.attachments)])
        if appeal is None:
            raise AppealError(texts.not_found(number))
        return appeal

    async def _open(self, session: AsyncSession, number: int) -> Appeal:
        appeal = await self._get(session, number)
        if appeal.state not in OPEN_STATES:
            raise AppealError(texts.not_open(number, texts.STATE_NAMES[appeal.state]))
        return appeal

    async def _own(self, session: AsyncSession, person: Person, number: int) -> Appeal:
        appeal = await session.scalar(
            select(Appeal).where(
                Appeal.number == number,
                Appeal.platform == person.platform,
                Appeal.user_id == person.user_id,
            )
        )
        if appeal is None:
            raise AppealError(texts.not_found(number))
        return appeal

    def _owe(
        self, session: AsyncSession, appeal: Appeal, notice: Callable[[AppealView], Reply]
    ) -> OutboxMessage | None:
        """With an outbox, the citizen's notice commits with the staff action that causes it."""
        view = _view(appeal)
        if self.outbox is None or view.person is None:
            return None
        return self.outbox.add(session, view.person, [notice(view)])

    async def _settle(
        self, view: AppealView, owed: OutboxMessage | None, notice: Callable[[AppealView], Reply]
    ) -> AppealView:
        """Deliver the notice now: from the outbox (the worker retries a failure), or, without
        one, directly. The view says whether it arrived, for the staff's confirmation."""
        if self.outbox is None:
            return await self._tell(view, notice(view))
        if owed is None:
            return view
        return replace(view, citizen_notified=await self.outbox.deliver(owed))

    def _extended(self, view: AppealView) -> Reply:
        return render.citizen_extended(view, self.tz)

    async def _tell(self, view: AppealView, reply: Reply) -> AppealView:
        """Notify the citizen; the view says whether it arrived, for the staff's confirmation."""
        if view.person is None:
            return view
        try:
            await self._messengers.send(view.person, [reply])
        except Exception:  # a blocked bot or a network error must not undo the staff action
            log.warning(logs.AUTHOR_NOT_NOTIFIED, view.number, exc_info=True)
            return replace(view, citizen_notified=False)
        return replace(view, citizen_notified=True)

    def _board_for(self, view: AppealView) -> StaffBoard | None:
        platform = view.person.platform if view.person is not None else None
        if platform in self.boards:
            return self.boards[platform]
        return next(iter(self.boards.values())) if len(self.boards) == 1 else None

    async def _post_to(
        self, board: StaffBoard, reply: Reply, attachments: list[Attachment] | None = None
    ) -> str | None:
        try:
            return await board.post(reply, attachments)
        except Exception:  # the appeal is registered; staff also see it in /appeals
            log.warning(logs.STAFF_POST_FAILED, board.platform, exc_info=True)
            return None

    async def _post_for(
        self, view: AppealView, reply: Reply, attachments: list[Attachment] | None = None
    ) -> str | None:
        """Post about an appeal in its staff chat and remember the message, so a reply to it
        is routed to the appeal by id."""
        board = self._board_for(view)
        if board is None:
            return None
        message_id = await self._post_to(board, reply, attachments)
        if message_id is not None:
            async with self._sessionmaker() as session, session.begin():
                await _remember_post(session, board, view.number, message_id)
        return message_id

    async def _card_owed(self, view: AppealView, owed: OutboxMessage | None) -> None:
        """Post the new appeal's card now: from the outbox (a failure, or a crash before this
        line, is retried by its worker), or, without one, directly."""
        if owed is not None and self.outbox is not None:
            await self.outbox.deliver(owed)
        else:
            await self._post_card(view)

    async def post_card(self, number: int) -> None:
        """The outbox's delivery of a staff card: errors propagate, so it is retried."""
        await self._deliver_card(await self.get(number), retried=True)

    def _card(self, view: AppealView) -> Reply:
        return render.staff_card(view, self.classifier.title(view.topic), self.tz)

    async def _post_card(self, view: AppealView) -> None:
        await self._deliver_card(view, retried=False)

    async def _deliver_card(self, view: AppealView, *, retried: bool) -> None:
        """Post the card and remember its message id (a reply to the card finds the appeal).
        `retried`: the outbox's delivery, whose errors propagate so the worker retries it;
        otherwise a failure is logged and staff still see the appeal in /appeals."""
        board = self._board_for(view)
        if board is None:
            return
        card = self._card(view)
        message_id = (
            await board.post(card, view.attachments)
            if retried
            else await self._post_to(board, card, view.attachments)
        )
        if message_id is None:
            return
        async with self._sessionmaker() as session, session.begin():
            await _remember_post(session, board, view.number, message_id)
            await session.execute(
                update(Appeal)
                .where(Appeal.number == view.number)
                .values(staff_message_id=message_id)
            )


async def _remember_post(
    session: AsyncSession, board: StaffBoard, number: int, message_id: str
) -> None:
    """A staff-chat message that stands for an appeal, so a reply to it is routed by id."""
    await session.merge(
        StaffPost(platform=board.platform, message_id=message_id, appeal_number=number)
    )


async def _anonymise(session: AsyncSession, numbers: list[int], now: datetime) -> None:
    """Strip the personal data of these appeals; what the metrics count stays."""
    await session.execute(
        delete(AppealAttachment).where(AppealAttachment.appeal_number.in_(numbers))
    )
    await session.execute(
        update(Appeal)
        .where(Appeal.number.in_(numbers))
        .values(
            name=None,
            email=None,
            platform=None,
            user_id=None,
            text=texts.PURGED,
            answer_text=texts.PURGED,
            followup_text=None,
            extension_reason=None,
            rating_reason=None,
            purged_at=now,
        )
    )


async def _drop_orphan_contacts(session: AsyncSession) -> None:
    """Remembered contacts go with the person's last appeal still holding data."""
    person_key = Appeal.platform + ":" + cast(Appeal.user_id, String)
    await session.execute(
        delete(AppealContact).where(
            AppealContact.person_key.not_in(select(person_key).where(Appeal.user_id.is_not(None)))
        )
    )


def _view(appeal: Appeal) -> AppealView:
    person = (
        Person(appeal.platform, appeal.user_id)
        if appeal.platform is not None and appeal.user_id is not None
        else None
    )
    return AppealView(
        number=appeal.number,
        channel=appeal.channel,
        kind=appeal.kind,
        topic=appeal.topic,
        text=appeal.text,
        state=appeal.state,
        person=person,
        name=appeal.name,
        email=appeal.email,
        received_at=appeal.received_at,
        registered_at=appeal.registered_at,
        due_at=appeal.due_at,
        extended=appeal.extended,
        extension_reason=appeal.extension_reason,
        answer_text=appeal.answer_text,
        answered_at=appeal.answered_at,
        redirected_to=appeal.redirected_to,
        outcome=appeal.outcome,
        rating=appeal.rating,
        followup_text=appeal.followup_text,
        executor=appeal.executor,
        formal_number=appeal.formal_number,
        formal_date=appeal.formal_date,
        rating_reason=appeal.rating_reason,
        attachments=[Attachment(a.platform, a.kind, a.file_id or "") for a in appeal.attachments],
    )
