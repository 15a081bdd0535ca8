"""Who agreed to private reminders about employee surveys, who of them has not answered, and
who has a survey under way on its last day.

The list is kept apart from everything about answers. Whether a subscriber has already taken
part is tested while the window is open with the same keyed hash the survey itself stores
(`Anonymizer.participation_token`), in memory; the result is never written down, so the
database never learns who was reminded, let alone who answered.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.core.ports import Person
from bot.db.models import ReminderSubscriber, SurveyDraft, SurveyParticipation, SurveyWindow
from bot.surveys.anonymity import Anonymizer


class ReminderList:
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], anonymizer: Anonymizer, clock: Clock
    ) -> None:
        self._sessionmaker = sessionmaker
        self._anon = anonymizer
        self._clock = clock

    async def subscribe(self, person: Person) -> None:
        """Agree to reminders (again: subscribing twice is harmless)."""
        async with self._sessionmaker() as session, session.begin():
            row = await session.get(ReminderSubscriber, (person.platform, person.user_id))
            if row is None:
                session.add(
                    ReminderSubscriber(
                        platform=person.platform,
                        user_id=person.user_id,
                        subscribed_at=self._clock.now(),
                    )
                )

    async def unsubscribe(self, person: Person) -> bool:
        async with self._sessionmaker() as session, session.begin():
            result = await session.execute(
                delete(ReminderSubscriber).where(
                    ReminderSubscriber.platform == person.platform,
                    ReminderSubscriber.user_id == person.user_id,
                )
            )
            return result.rowcount > 0

    async def not_yet_answered(self, window: SurveyWindow) -> list[Person]:
        """Subscribers without a participation mark in this open window. (A person who blocked
        the bot is tried again each time: remembering the refusal would store who had not
        answered.)"""
        if window.salt is None:
            return []
        async with self._sessionmaker() as session:
            rows = await session.execute(
                select(ReminderSubscriber.platform, ReminderSubscriber.user_id).order_by(
                    ReminderSubscriber.platform, ReminderSubscriber.user_id
                )
            )
            people = [Person(platform, user_id) for platform, user_id in rows]
            tokens = {self._anon.participation_token(window.salt, p): p for p in people}
            taken = set(
                await session.scalars(
                    select(SurveyParticipation.token).where(
                        SurveyParticipation.window_id == window.id,
                        SurveyParticipation.token.in_(list(tokens)),
                    )
                )
            )
        return [person for token, person in tokens.items() if token not in taken]

    async def with_unfinished_draft(self, window: SurveyWindow) -> list[Person]:
        """Subscribers with a survey of this window under way. The draft keys
        are computed here, in memory, and compared with the drafts' keys; nothing records
        who matched, so the database learns nothing about who was reminded."""
        async with self._sessionmaker() as session:
            rows = await session.execute(
                select(ReminderSubscriber.platform, ReminderSubscriber.user_id).order_by(
                    ReminderSubscriber.platform, ReminderSubscriber.user_id
                )
            )
            keys = {self._anon.draft_key(Person(p, u)): Person(p, u) for p, u in rows}
            started = set(
                await session.scalars(
                    select(SurveyDraft.person_key).where(
                        SurveyDraft.window_id == window.id,
                        SurveyDraft.person_key.in_(list(keys)),
                    )
                )
            )
        return [person for key, person in keys.items() if key in started]
