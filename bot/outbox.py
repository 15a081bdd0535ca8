"""Messages a state change owes a person, kept until delivered.

The change writes the message in its own transaction (`Outbox.add`), so the change and the
debt commit together: a crash between the commit and the send loses nothing. Right after the
commit the caller delivers it (`deliver`), so the person hears at once as before; whatever
that could not send (a crash, a network error, a messenger down) the worker (`run`, one per
instance) retries with growing pauses. Claiming a row moves its `next_at` forward with a
conditional UPDATE, so two instances never send the same message.

A staff card is owed the same way (`add_card`): its row names the appeal, and delivering it
(`post_card`, the appeals service's) renders the card as the appeal stands then, posts it to the
staff chat with its photos and records the card's message id for reply routing. Such a row has
`platform` CARD and the appeal's number in `user_id` (the table predates cards; a column of its
own would need a migration for no other gain).

The report of a closed window is owed the same way (`add_report`), one row per admin, written
in the transaction that closes the window: a row's `platform` and `user_id` are the admin's and
its payload names the window (`{"report": 7}`), so a failure is retried for that admin alone and
the others get it once. Delivering it (`post_report`, the window jobs') renders the report then:
a closed window's data no longer changes, and the chart renderer keeps the images it drew for
the first admin, so the next ones cost no drawing.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.ports import Button, Person, Reply, Sender
from bot.db.models import OutboxMessage
from bot.texts import logs

log = logging.getLogger(__name__)

GRACE = timedelta(seconds=60)
"""A new row waits this long for its inline delivery before the worker may take it."""
LEASE = timedelta(seconds=60)
"""A claimed row is the claimer's for this long (a send takes seconds at most)."""
MAX_ATTEMPTS = 12
"""About a day of retries (pauses doubling from 30 s, capped at 4 h), then it is logged and left."""
INTERVAL = 5.0
CARD = "card"
"""`platform` of a row that owes the staff card of appeal number `user_id`."""

REPORT = "report"
"""The payload key of a row that owes an admin the report of the window it names."""

CardPoster = Callable[[int], Awaitable[None]]
"""Posts the card of an appeal to its staff chat and records its message id; raises if not."""
ReportPoster = Callable[[Person, int], Awaitable[None]]
"""Sends an admin the report of a closed window (by its id); raises if it did not arrive."""


def _encode(replies: list[Reply]) -> str:
    if any(r.pictures or r.documents for r in replies):
        raise ValueError("the outbox keeps text messages only")
    return json.dumps(
        [
            {
                "text": r.text,
                "buttons": [[[b.label, b.action, b.url] for b in row] for row in r.buttons],
            }
            for r in replies
        ],
        ensure_ascii=False,
    )


def _replies(items: list[dict[str, Any]]) -> list[Reply]:
    return [
        Reply(item["text"], [[Button(*b) for b in row] for row in item["buttons"]])
        for item in items
    ]


class Outbox:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        sender: Sender,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._sessionmaker = sessionmaker
        self._sender = sender
        self._now = now
        self.post_card: CardPoster | None = None
        self.post_report: ReportPoster | None = None

    def add(self, session: AsyncSession, person: Person, replies: list[Reply]) -> OutboxMessage:
        """Owe `replies` to `person`, inside the caller's transaction."""
        row = OutboxMessage(
            platform=person.platform,
            user_id=person.user_id,
            payload=_encode(replies),
            attempts=0,
            next_at=self._now() + GRACE,
        )
        session.add(row)
        return row

    def add_card(self, session: AsyncSession, appeal_number: int) -> OutboxMessage:
        """Owe the staff card of a new appeal, inside the transaction that registers it."""
        row = OutboxMessage(
            platform=CARD,
            user_id=appeal_number,
            payload="[]",
            attempts=0,
            next_at=self._now() + GRACE,
        )
        session.add(row)
        return row

    def add_report(
        self, session: AsyncSession, window_id: int, admins: Iterable[Person]
    ) -> list[OutboxMessage]:
        """Owe each admin the report of a window, inside the transaction that closes it."""
        rows = [
            OutboxMessage(
                platform=admin.platform,
                user_id=admin.user_id,
                payload=json.dumps({REPORT: window_id}),
                attempts=0,
                next_at=self._now() + GRACE,
            )
            for admin in admins
        ]
        session.add_all(rows)
        return rows

    async def deliver(self, row: OutboxMessage) -> bool:
        """Send a row just committed; a failure is left to the worker."""
        return await self._send(row.id, row.next_at)

    async def deliver_each(self, rows: Iterable[OutboxMessage]) -> int:
        """Send rows just committed, one after another (a report's charts are drawn for the
        first admin and found in the renderer's cache by the next); returns how many arrived."""
        sent = 0
        for row in rows:
            sent += await self.deliver(row)
        return sent

    async def deliver_due(self, limit: int = 50) -> int:
        """Send what is due (failed earlier, or never sent because its process died)."""
        async with self._sessionmaker() as session:
            rows = (
                await session.execute(
                    select(OutboxMessage.id, OutboxMessage.next_at)
                    .where(
                        OutboxMessage.sent_at.is_(None),
                        OutboxMessage.next_at <= self._now(),
                        OutboxMessage.attempts < MAX_ATTEMPTS,
                    )
                    .order_by(OutboxMessage.next_at)
                    .limit(limit)
                )
            ).all()
        sent = 0
        for row_id, next_at in rows:
            sent += await self._send(row_id, next_at)
        return sent

    async def run(self, interval: float = INTERVAL) -> None:
        """The worker: until cancelled."""
        while True:
            try:
                await self.deliver_due()
            except Exception:
                log.exception(logs.OUTBOX_PASS_FAILED)
            await asyncio.sleep(interval)

    async def _send(self, row_id: int, seen_next_at: datetime) -> bool:
        now = self._now()
        async with self._sessionmaker() as session, session.begin():
            claimed = await session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == row_id,
                    OutboxMessage.sent_at.is_(None),
                    OutboxMessage.next_at == seen_next_at,
                )
                .values(next_at=now + LEASE, attempts=OutboxMessage.attempts + 1)
                .returning(
                    OutboxMessage.platform,
                    OutboxMessage.user_id,
                    OutboxMessage.payload,
                    OutboxMessage.attempts,
                )
            )
            found = claimed.first()
        if found is None:
            return False  # another instance (or the worker) has it
        platform, user_id, payload, attempts = found
        try:
            await self._post(platform, user_id, payload)
        except Exception:
            pause = min(timedelta(seconds=30) * 2 ** (attempts - 1), timedelta(hours=4))
            log.warning(logs.OUTBOX_NOT_DELIVERED, row_id, attempts)
            async with self._sessionmaker() as session, session.begin():
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == row_id)
                    .values(next_at=self._now() + pause)
                )
            return False
        async with self._sessionmaker() as session, session.begin():
            await session.execute(
                update(OutboxMessage).where(OutboxMessage.id == row_id).values(sent_at=self._now())
            )
        return True

    async def _post(self, platform: str, user_id: int, payload: str) -> None:
        """What a claimed row owes, by its kind: a staff card, a window's report, or texts."""
        if platform == CARD:
            if self.post_card is None:
                raise RuntimeError("no staff card poster registered")
            await self.post_card(user_id)
            return
        content = json.loads(payload)
        person = Person(platform, user_id)
        if isinstance(content, dict):
            if self.post_report is None:
                raise RuntimeError("no report poster registered")
            await self.post_report(person, content[REPORT])
            return
        await self._sender.send(person, _replies(content))
