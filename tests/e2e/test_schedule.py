"""Survey windows running themselves: opening, closing, reports, reminders, restarts.

The clock is a FakeClock; the tests call `WindowJobs.run_due()` (what every scheduler job
calls) instead of waiting for APScheduler, or restart the bot with its scheduler on.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.claims import LEASE as CLAIM_LEASE
from bot.config import Settings
from bot.core.ports import Person
from bot.db.models import JobClaim, ReminderSubscriber, SurveyParticipation, SurveyWindow
from bot.devtools.fake_telegram import BOT_USERNAME, FakeTelegram
from bot.devtools.harness import RunningBot
from bot.outbox import GRACE, LEASE
from bot.surveys.jobs import WindowJobs
from bot.texts import survey as survey_texts
from tests.support.clock import MOSCOW_NOON, FakeClock
from tests.support.csi_answers import close_window, complete_csi
from tests.support.database import ADMIN
from tests.support.waits import wait_until

MOSCOW = ZoneInfo("Europe/Moscow")
CHANNEL = -1001
WORK_CHAT = -2002
REPORT_MARK = "Опрос завершён"
SECOND_ADMIN = 3
STAFF_YAML = """\
id: staff
title: Опрос сотрудников
audience: internal
working_days: 5
intro: Анонимный опрос сотрудников.
questions:
  - id: problems
    kind: text
    text: С какими трудностями Вы сталкиваетесь?
"""


async def due(jobs: WindowJobs) -> list[str]:
    """What `run_due` performed, less the yearly employee-survey plan reminder: the shipped
    employee questionnaire makes it due on any December date these tests use."""
    return [e for e in await jobs.run_due() if not e.startswith("plan:internal")]


def msk(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """A Moscow wall-clock moment, as the UTC the database stores."""
    return datetime(year, month, day, hour, minute, second, tzinfo=MOSCOW).astimezone(UTC)


def admin_texts(fake: FakeTelegram) -> list[str]:
    return [c.text for c in fake.sent(ADMIN)]


async def window(bot: RunningBot, window_id: int) -> SurveyWindow:
    async with bot.services.sessionmaker() as session:
        row = await session.get(SurveyWindow, window_id)
        assert row is not None
        return row


@pytest.fixture
def with_channels(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"tg_channel_id": str(CHANNEL), "tg_employee_chat_id": str(WORK_CHAT)}
    )


async def test_scheduled_window_opens_and_posts_invitation(
    with_channels: Settings, fake: FakeTelegram, clock: FakeClock
) -> None:
    async with RunningBot(with_channels, fake, clock) as bot:
        await bot.say(ADMIN, "/open_survey csi 28.12.2026")
        assert "запланировано" in fake.last(ADMIN).text
        jobs = bot.services.jobs
        assert ("1:invite", msk(2026, 12, 28)) in await jobs.moments()
        await due(jobs)
        assert fake.sent(CHANNEL) == []

        clock.set(msk(2026, 12, 27, 23, 59, 59))
        assert await due(jobs) == []
        clock.set(msk(2026, 12, 28))
        assert await due(jobs) == ["1:invite"]
        (post,) = fake.sent(CHANNEL)
        # 10 working days from 28.12.2026 over the New Year holidays end on 19.01.2027.
        assert "до 19.01.2027 включительно" in post.text
        assert post.buttons[0][0]["url"] == f"https://t.me/{BOT_USERNAME}?start=csi"
        assert await due(jobs) == []
        assert len(fake.sent(CHANNEL)) == 1


async def test_opening_now_posts_once_and_without_channel_admin_gets_link(
    settings: Settings, with_channels: Settings, fake: FakeTelegram, clock: FakeClock
) -> None:
    async with RunningBot(with_channels, fake, clock) as bot:
        await bot.say(ADMIN, "/open_survey csi")
        assert "опубликовано в канале" in fake.last(ADMIN).text
        assert await due(bot.services.jobs) == []
        assert len(fake.sent(CHANNEL)) == 1
        await close_window(bot, ADMIN, 1)

    fake.clear()
    async with RunningBot(settings, fake, clock) as bot:
        await due(bot.services.jobs)  # the report of window 1
        await bot.say(ADMIN, "/open_survey csi 28.12.2026")
        clock.set(msk(2026, 12, 28, 0, 0, 1))
        assert await due(bot.services.jobs) == ["2:invite"]
        handed_over = fake.last(ADMIN).text
        assert "TG_CHANNEL_ID" in handed_over and "?start=csi" in handed_over
        assert fake.sent(CHANNEL) == []


async def test_closes_at_end_of_last_working_day_over_holidays(
    settings: Settings, fake: FakeTelegram, clock: FakeClock
) -> None:
    async with RunningBot(settings, fake, clock) as bot:
        await bot.say(ADMIN, "/open_survey csi")  # 24.12.2026 -> 15.01.2027
        await bot.say(500, "/start csi")
        await bot.press(500, "8")
        jobs = bot.services.jobs

        clock.set(msk(2027, 1, 15, 23, 59, 59))
        await due(jobs)
        assert (await window(bot, 1)).closed_at is None
        assert not any(REPORT_MARK in t for t in admin_texts(fake))

        clock.set(msk(2027, 1, 16, 0, 0, 0))
        assert await due(jobs) == ["1:report"]
        closed = await window(bot, 1)
        assert closed.closed_at == msk(2027, 1, 15, 23, 59, 59)
        assert closed.salt is None
        (report,) = [t for t in admin_texts(fake) if REPORT_MARK in t]
        assert "Отчёт по окну №1" in report and "до 05.02.2027" in report

        # The answer in progress is refused, and the person is told.
        await bot.press(500, "9")
        assert fake.last(500).text == survey_texts.SURVEY_CLOSED_MEANWHILE

        await bot.say(ADMIN, "/surveys")
        assert "публикация до 05.02.2027" in fake.last(ADMIN).text


async def test_publication_reminder_on_due_day_with_report(
    settings: Settings, fake: FakeTelegram, clock: FakeClock
) -> None:
    async with RunningBot(settings, fake, clock) as bot:
        await bot.say(ADMIN, "/open_survey csi")
        jobs = bot.services.jobs
        clock.set(msk(2027, 2, 4, 12))
        assert await due(jobs) == ["1:report"]
        clock.set(msk(2027, 2, 5, 9))
        assert await due(jobs) == ["1:publication"]
        reminder = fake.last(ADMIN).text
        assert "05.02.2027 — срок публикации" in reminder
        assert "Отчёт по окну №1" in reminder
        assert await due(jobs) == []


async def test_restart_after_close_closes_once_and_reports_once(
    settings: Settings, fake: FakeTelegram, clock: FakeClock
) -> None:
    async with RunningBot(settings, fake, clock, scheduler=True) as bot:
        await bot.say(ADMIN, "/open_survey csi")
        assert bot.scheduler is not None
        await bot.scheduler.tick()
        assert "agenda:1:close" in bot.scheduler.job_ids()
        assert {"daily:appeals-digest", "daily:appeals-purge"} <= set(bot.scheduler.job_ids())

    clock.set(msk(2027, 1, 20, 8))  # the bot was down over the closing moment
    for _ in range(2):  # two restarts in a row
        async with RunningBot(settings, fake, clock, scheduler=True) as bot:
            assert bot.scheduler is not None
            assert "agenda:1:publication" in bot.scheduler.job_ids()
            assert "agenda:1:close" not in bot.scheduler.job_ids()
    reports = [t for t in admin_texts(fake) if REPORT_MARK in t]
    assert len(reports) == 1
    assert (await window_after(settings, 1)).closed_at == msk(2027, 1, 15, 23, 59, 59)


async def window_after(settings: Settings, window_id: int) -> SurveyWindow:
    from bot.db.session import create_engine, create_sessionmaker

    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            row = await session.get(SurveyWindow, window_id)
            assert row is not None
            return row
    finally:
        await engine.dispose()


@pytest.fixture
def with_staff(with_channels: Settings, tmp_path: Path) -> Settings:
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "staff.yaml").write_text(STAFF_YAML, encoding="utf-8")
    return with_channels.model_copy(update={"questionnaires_dir": folder})


async def test_midpoint_reminders_skip_those_who_took_part(
    with_staff: Settings, fake: FakeTelegram, clock: FakeClock
) -> None:
    answered, pending, blocked, silent = 701, 702, 703, 704
    async with RunningBot(with_staff, fake, clock) as bot:
        for user in (answered, pending, blocked):
            await bot.say(user, "/remind_me")
        await bot.say(ADMIN, "/open_survey staff")  # 24.12 -> 30.12.2026, 5 working days
        assert "опубликовано в рабочем чате" in fake.last(ADMIN).text
        surveys = bot.services.surveys
        await surveys.start(Person("tg", answered), "staff")
        assert (await surveys.handle_text(Person("tg", answered), "Нет")) is not None
        fake.blocked.add(blocked)
        fake.clear()

        jobs = bot.services.jobs
        clock.set(msk(2026, 12, 28, 9, 59))
        assert "1:midpoint" not in await due(jobs)
        clock.set(msk(2026, 12, 28, 10))  # the 3rd of 5 working days (25.12 is a weekday)
        assert "1:midpoint" in await due(jobs)

        assert "напоминаем" in fake.last(WORK_CHAT).text
        assert fake.sent(answered) == [] and fake.sent(silent) == []
        (reminder,) = fake.sent(pending)
        assert "до 30.12.2026" in reminder.text
        assert reminder.buttons[0][0]["url"].endswith("?start=staff")
        assert [c.chat_id for c in fake.calls if c.method == "sendMessage:403"] == [blocked]
        async with bot.services.sessionmaker() as session:
            # A refused reminder is not recorded: that would store who had not answered.
            rows = await session.execute(select(ReminderSubscriber).order_by("user_id"))
            stored = [(r.user_id, r.subscribed_at) for (r,) in rows]
            assert stored == [(user, MOSCOW_NOON) for user in (answered, pending, blocked)]
            columns = {c.name for c in ReminderSubscriber.__table__.columns}
            assert columns == {"platform", "user_id", "subscribed_at"}
            # Nothing about the reminder was written next to the participation marks.
            assert len(list(await session.scalars(select(SurveyParticipation)))) == 1

        assert "1:midpoint" not in await due(jobs)
        assert len(fake.sent(pending)) == 1

        await bot.say(pending, "/stop_reminders")
        assert "больше не будет" in fake.last(pending).text


async def test_plan_warns_and_reminds_admins_once(
    settings: Settings, fake: FakeTelegram, clock: FakeClock
) -> None:
    async with RunningBot(settings, fake, clock) as bot:
        await bot.say(ADMIN, "/plan")
        plan = fake.last(ADMIN).text
        assert "1-е полугодие 2026: окон — 0" in plan and "⚠️ Не выполнен план" in plan

        # 2nd half of 2026: the last 10 working days start on 17.12, reminder 5 earlier.
        period = (await bot.services.plan.year(2026))[1]
        assert bot.services.plan.last_start(period) == msk(2026, 12, 17, 12).date()
        assert bot.services.plan.reminder_day(period) == msk(2026, 12, 10, 12).date()

        assert await due(bot.services.jobs) == ["plan:external:2026-07-01"]
        assert any("не позже 17.12.2026" in c.text for c in fake.sent(ADMIN))
        assert await due(bot.services.jobs) == []

        await bot.say(ADMIN, "/open_survey csi")
        await bot.say(ADMIN, "/plan")
        assert "2-е полугодие 2026: окон — 1" in fake.last(ADMIN).text


async def test_calendar_lists_days_off_and_working_saturdays(running: RunningBot) -> None:
    await running.say(ADMIN, "/calendar 2027")
    text = running.fake.last(ADMIN).text
    assert "20.02.2027" in text  # a working Saturday
    assert "08.01.2027" in text and "23.02.2027" in text
    await running.say(ADMIN, "/calendar")
    assert "Производственный календарь 2026" in running.fake.last(ADMIN).text
    await running.say(ADMIN, "/calendar двадцать")
    assert "Использование" in running.fake.last(ADMIN).text
    await running.say(500, "/calendar")
    assert running.fake.last(500).text.startswith("Эта команда доступна только")


async def test_optional_last_day_post_for_citizens(
    with_channels: Settings, fake: FakeTelegram, clock: FakeClock
) -> None:
    async with RunningBot(with_channels, fake, clock) as bot:
        await bot.say(ADMIN, "/open_survey csi")
        clock.set(msk(2027, 1, 15, 10))
        assert "1:last_day" not in await due(bot.services.jobs)

    on = with_channels.model_copy(update={"external_last_day_reminder": True})
    async with RunningBot(on, fake, clock) as bot:
        clock.set(msk(2027, 1, 15, 9, 59))
        assert await due(bot.services.jobs) == []
        clock.set(msk(2027, 1, 15, 10))
        assert await due(bot.services.jobs) == ["1:last_day"]
        assert "последний день" in fake.last(CHANNEL).text
        assert len(fake.sent(CHANNEL)) == 2  # the invitation, then this


@pytest.fixture
def two_admins(settings: Settings) -> Settings:
    return settings.model_copy(update={"admin_ids": frozenset({ADMIN, SECOND_ADMIN})})


def reports_to(fake: FakeTelegram, admin: int) -> list[str]:
    return [c.text for c in fake.sent(admin) if REPORT_MARK in c.text]


def albums_to(fake: FakeTelegram, admin: int) -> int:
    return sum(c.method == "sendMediaGroup" for c in fake.sent(admin))


async def five_answers_then_the_close(bot: RunningBot, clock: FakeClock) -> None:
    """A CSI window with enough answers for charts, its last day over."""
    await bot.say(ADMIN, "/open_survey csi")
    for n in range(5):
        await complete_csi(bot, 900 + n, 8 + n % 2, 9)
    clock.set(msk(2027, 1, 16, 8))


class Killed(BaseException):
    """The process dies: no `except Exception` of the bot catches it, so nothing releases,
    finishes or reschedules anything, exactly as after a SIGKILL."""


async def test_report_owed_by_a_close_that_died_at_its_commit_reaches_each_admin_once(
    two_admins: Settings, fake: FakeTelegram, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with RunningBot(two_admins, fake, clock) as bot:
        await five_answers_then_the_close(bot, clock)

        async def dies() -> None:
            raise Killed

        # `changed` runs right after the closing commit: the process dies before any send.
        monkeypatch.setattr(bot.services.windows, "changed", dies)
        with pytest.raises(Killed):
            await bot.services.jobs.run_due()
        assert (await window(bot, 1)).closed_at is not None

    assert reports_to(fake, ADMIN) == reports_to(fake, SECOND_ADMIN) == []
    async with RunningBot(two_admins, fake, clock) as bot:  # the restart
        assert await due(bot.services.jobs) == [], "the close owes it: the agenda has no report"
        outbox = bot.services.outbox
        assert await outbox.deliver_due() == 0, "a new row first waits for its inline send"
        clock.advance(seconds=GRACE.total_seconds() + 1)
        assert await outbox.deliver_due() == 2
        for admin in (ADMIN, SECOND_ADMIN):
            (report,) = reports_to(fake, admin)
            assert "Общий индекс CSI" in report and "до 05.02.2027" in report
            assert albums_to(fake, admin) == 1, "the charts, drawn at delivery"
        clock.advance(hours=1)
        assert await outbox.deliver_due() == 0
        assert await due(bot.services.jobs) == []
    assert [len(reports_to(fake, a)) for a in (ADMIN, SECOND_ADMIN)] == [1, 1]


async def test_report_cut_off_midway_by_a_crash_goes_to_the_rest_only(
    two_admins: Settings, fake: FakeTelegram, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with RunningBot(two_admins, fake, clock) as bot:
        await five_answers_then_the_close(bot, clock)
        notifier = bot.services.notifications
        sends = notifier.to_admin

        async def dies_at_the_second(admin: Person, text: str, pictures: object) -> None:
            if admin.user_id == SECOND_ADMIN:
                raise Killed
            await sends(admin, text, pictures)  # type: ignore[arg-type]

        monkeypatch.setattr(notifier, "to_admin", dies_at_the_second)
        with pytest.raises(Killed):
            await bot.services.jobs.run_due()
    assert len(reports_to(fake, ADMIN)) == 1 and reports_to(fake, SECOND_ADMIN) == []

    async with RunningBot(two_admins, fake, clock) as bot:  # the restart
        outbox = bot.services.outbox
        assert await outbox.deliver_due() == 0, "the dead sender's lease still runs"
        clock.advance(seconds=LEASE.total_seconds() + 1)
        assert await outbox.deliver_due() == 1
        assert await outbox.deliver_due() == 0
        assert await due(bot.services.jobs) == []
    assert [len(reports_to(fake, a)) for a in (ADMIN, SECOND_ADMIN)] == [1, 1]
    assert albums_to(fake, ADMIN) == albums_to(fake, SECOND_ADMIN) == 1


async def test_report_an_admin_missed_is_retried_for_that_admin_alone(
    two_admins: Settings, fake: FakeTelegram, clock: FakeClock
) -> None:
    async with RunningBot(two_admins, fake, clock) as bot:
        await five_answers_then_the_close(bot, clock)
        fake.blocked.add(SECOND_ADMIN)
        assert await due(bot.services.jobs) == ["1:report"]
        assert len(reports_to(fake, ADMIN)) == 1 and reports_to(fake, SECOND_ADMIN) == []

        outbox = bot.services.outbox
        clock.advance(seconds=29)
        assert await outbox.deliver_due() == 0, "the retry waits its pause"
        clock.advance(seconds=2)
        assert await outbox.deliver_due() == 0, "still blocked: tried again, later"
        fake.blocked.clear()
        clock.advance(minutes=2)
        assert await outbox.deliver_due() == 1
        clock.advance(hours=4)
        assert await outbox.deliver_due() == 0
        assert await due(bot.services.jobs) == []
    assert [len(reports_to(fake, a)) for a in (ADMIN, SECOND_ADMIN)] == [1, 1]
    assert albums_to(fake, ADMIN) == albums_to(fake, SECOND_ADMIN) == 1


async def test_report_of_a_window_closed_before_the_outbox_carried_reports_is_owed_once(
    two_admins: Settings, fake: FakeTelegram, clock: FakeClock
) -> None:
    """A window closed by the previous version (closed, no "report" event, no outbox rows):
    the next pass owes its report as a close now would, and only once; not while an instance
    of that version still holds the report's claim (it may be sending it the old way)."""
    async with RunningBot(two_admins, fake, clock) as bot:
        await bot.say(ADMIN, "/open_survey csi")
        async with bot.services.sessionmaker() as session, session.begin():
            row = await session.get(SurveyWindow, 1)
            assert row is not None
            row.closed_at = clock.now()
            session.add(
                JobClaim(
                    name="window:1:report", holder="old:1", expires_at=clock.now() + CLAIM_LEASE
                )
            )
        assert await due(bot.services.jobs) == []
        clock.advance(seconds=CLAIM_LEASE.total_seconds() + 1)  # it died without finishing
        assert await due(bot.services.jobs) == ["1:report"]
        assert await due(bot.services.jobs) == []
        clock.advance(hours=1)
        assert await bot.services.outbox.deliver_due() == 0
        assert await due(bot.services.jobs) == []
    assert [len(reports_to(fake, a)) for a in (ADMIN, SECOND_ADMIN)] == [1, 1]


async def test_apscheduler_fires_the_close_in_real_time(
    settings: Settings, fake: FakeTelegram
) -> None:
    """The one test on the system clock: the date job APScheduler plans really runs."""
    async with RunningBot(settings, fake, scheduler=True) as bot:
        await bot.say(ADMIN, "/open_survey csi")
        async with bot.services.sessionmaker() as session, session.begin():
            row = await session.get(SurveyWindow, 1)
            assert row is not None
            row.closes_at = datetime.now(UTC) + timedelta(seconds=0.3)
        assert bot.scheduler is not None
        await bot.scheduler.rebuild()
        assert "agenda:1:close" in bot.scheduler.job_ids()
        await wait_until(lambda: any(REPORT_MARK in t for t in admin_texts(fake)))
        assert (await window(bot, 1)).closed_at is not None


async def test_close_sends_admins_the_report_with_its_charts(
    running: RunningBot, clock: FakeClock
) -> None:
    await running.say(ADMIN, "/open_survey csi")
    for n in range(5):
        await complete_csi(running, 900 + n, 8 + n % 2, 9)
    running.fake.clear()
    clock.set(msk(2027, 1, 16, 0, 0, 1))
    assert await due(running.services.jobs) == ["1:report"]
    text, *_ = [c for c in running.fake.sent(ADMIN) if c.method == "sendMessage"]
    assert REPORT_MARK in text.text and "Общий индекс CSI" in text.text
    albums = [c for c in running.fake.sent(ADMIN) if c.method == "sendMediaGroup"]
    assert len(albums) == 1 and len(albums[0].params["media"]) >= 3
