"""Messages owed by a state change survive a crash between the commit and the send, are retried
after a failure, and are sent once even with two instances' workers; a window's report is owed
to each admin apart."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.config import Settings
from bot.core.ports import Button, Person, Reply
from bot.db.session import create_engine, create_sessionmaker
from bot.outbox import GRACE, Outbox

CITIZEN = Person("tg", 77)
NOTICE = Reply("Ответ на обращение №5 готов.", [[Button("Оценить", "ap:rate:5")]])


class Recorder:
    def __init__(self, failures: int = 0) -> None:
        self.sent: list[tuple[Person, list[Reply]]] = []
        self.failures = failures

    async def send(self, person: Person, replies: list[Reply]) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("Telegram unreachable")
        await asyncio.sleep(0)
        self.sent.append((person, replies))


async def test_owed_message_survives_a_crash_and_is_sent_once(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    now = [datetime(2026, 12, 24, 9, 0, tzinfo=UTC)]
    sender = Recorder()
    first, second = (Outbox(sessionmaker, sender, now=lambda: now[0]) for _ in range(2))
    try:
        async with sessionmaker() as session, session.begin():
            first.add(session, CITIZEN, [NOTICE])
        # The process died here: nothing sent. Another instance's worker finds it after GRACE.
        assert await second.deliver_due() == 0
        now[0] += GRACE + timedelta(seconds=1)
        results = await asyncio.gather(first.deliver_due(), second.deliver_due())
        assert sum(results) == 1
        assert sender.sent == [(CITIZEN, [NOTICE])]
        assert await first.deliver_due() == 0
    finally:
        await engine.dispose()


async def test_a_failed_send_is_retried_later(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    now = [datetime(2026, 12, 24, 9, 0, tzinfo=UTC)]
    sender = Recorder(failures=1)
    outbox = Outbox(sessionmaker, sender, now=lambda: now[0])
    try:
        async with sessionmaker() as session, session.begin():
            row = outbox.add(session, CITIZEN, [NOTICE])
        assert not await outbox.deliver(row)
        assert await outbox.deliver_due() == 0, "waits its pause"
        now[0] += timedelta(seconds=31)
        assert await outbox.deliver_due() == 1
        assert sender.sent == [(CITIZEN, [NOTICE])]
    finally:
        await engine.dispose()


async def test_a_report_is_owed_to_each_admin_and_retried_for_the_one_it_missed(
    settings: Settings,
) -> None:
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    now = [datetime(2026, 12, 24, 9, 0, tzinfo=UTC)]
    admins = [Person("tg", 1), Person("vk", 2), Person("max", 3)]
    posted: list[tuple[Person, int]] = []
    unreachable = {Person("vk", 2)}

    async def post_report(admin: Person, window_id: int) -> None:
        if admin in unreachable:
            raise ConnectionError("VK unreachable")
        posted.append((admin, window_id))

    outbox = Outbox(sessionmaker, Recorder(), now=lambda: now[0])
    outbox.post_report = post_report
    try:
        async with sessionmaker() as session, session.begin():
            rows = outbox.add_report(session, 7, admins)
        assert await outbox.deliver_each(rows) == 2
        assert posted == [(Person("tg", 1), 7), (Person("max", 3), 7)]
        unreachable.clear()
        now[0] += timedelta(seconds=31)
        assert await outbox.deliver_due() == 1
        now[0] += GRACE * 10
        assert await outbox.deliver_due() == 0
        assert sorted(posted, key=lambda p: p[0].user_id) == [(a, 7) for a in admins]
    finally:
        await engine.dispose()
