"""Answers are never lost, never half-written, and their order is not kept on disk.

A finished survey, its participation mark and the deletion of its draft commit together; a
burst of people pressing the final answer at once (each twice) through the real dispatcher
with concurrent update handling stores each survey exactly once; the database itself refuses a
second unclosed window of a questionnaire; the raw database and WAL files never show a single
person's answers, only released groups, and keep no salt or mark after the close.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import event, func, insert, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.app import build_services
from bot.config import Settings
from bot.core.ports import Outcome, Person
from bot.db.models import (
    SurveyAnswer,
    SurveyDraft,
    SurveyParticipation,
    SurveyPendingResponse,
    SurveyResponse,
    SurveyWindow,
)
from bot.devtools.fake_telegram import FakeTelegram
from bot.devtools.harness import RunningBot
from bot.surveys.windows import WindowError
from bot.texts import admin as admin_texts
from bot.texts import export as export_texts
from bot.texts import reports as report_texts
from bot.texts import survey as texts
from tests.support.clock import FakeClock
from tests.support.csi_answers import close_window, complete_csi, last_text
from tests.support.database import ADMIN
from tests.support.waits import wait_until

QUICK_YAML = """\
id: quick
title: Короткий опрос
audience: external
working_days: 10
intro: Один вопрос.
questions:
  - id: mood
    kind: rating
    text: Как Вам у нас?
    low_label: плохо
    high_label: хорошо
"""

NOTE_YAML = """\
id: note
title: Опрос с одним отзывом
audience: external
working_days: 10
intro: Один отзыв.
questions:
  - id: note
    kind: text
    text: Ваш отзыв
"""

PEOPLE = 50


@pytest.fixture
def quick(settings: Settings, tmp_path: Path) -> Settings:
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "quick.yaml").write_text(QUICK_YAML, encoding="utf-8")
    (folder / "note.yaml").write_text(NOTE_YAML, encoding="utf-8")
    return settings.model_copy(update={"questionnaires_dir": folder})


@pytest.fixture
async def bot(quick: Settings, fake: FakeTelegram, clock: FakeClock) -> AsyncIterator[RunningBot]:
    async with RunningBot(quick, fake, clock, concurrent=True) as running:
        yield running


async def count(bot: RunningBot, model) -> int:  # type: ignore[no-untyped-def]
    async with bot.services.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def button_action(outcome: Outcome, label: str) -> str:
    for reply in outcome.replies:
        for row in reply.buttons:
            for button in row:
                if button.label == label:
                    return button.action
    raise LookupError(label)


def fail_inserts_into(bot: RunningBot, tables: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """Make every INSERT into these tables fail as a locked database would."""

    def before(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        if any(statement.startswith(f"INSERT INTO {table} ") for table in tables):
            raise OperationalError(
                statement, params, sqlite3.OperationalError("database is locked")
            )

    engine = bot.services.engine.sync_engine
    event.listen(engine, "before_cursor_execute", before)
    return lambda: event.remove(engine, "before_cursor_execute", before)


async def test_failure_between_mark_and_answers_writes_neither(bot: RunningBot) -> None:
    await bot.services.windows.open_window("quick")
    person = Person("tg", 600)
    start = await bot.services.surveys.start(person, "quick")
    action = button_action(start, "7")
    stop = fail_inserts_into(bot, ("survey_responses", "survey_pending_responses"))
    try:
        outcome = await bot.services.surveys.handle_action(person, action)
    except OperationalError:
        outcome = None  # (the old code let it escape: the person was told nothing)
    finally:
        stop()
    assert outcome is not None and outcome.replies[0].text == texts.PRESS_AGAIN
    # Nothing half-written: no mark without its answers, and the draft is still there.
    assert await count(bot, SurveyParticipation) == 0
    assert await count(bot, SurveyDraft) == 1
    again = await bot.services.surveys.handle_action(person, action)
    assert again is not None and again.replies[0].text == texts.SURVEY_DONE
    assert await count(bot, SurveyParticipation) == 1
    assert await count(bot, SurveyPendingResponse) + await count(bot, SurveyResponse) == 1


async def test_burst_of_double_taps_stores_each_survey_once(bot: RunningBot) -> None:
    await bot.services.windows.open_window("quick")
    people = [Person("tg", 1000 + n) for n in range(PEOPLE)]
    actions = {}
    for person in people:
        actions[person.user_id] = button_action(
            await bot.services.surveys.start(person, "quick"), "7"
        )
    presses = [
        bot.fake.callback_update(person.user_id, actions[person.user_id], 1)
        for person in people
        for _ in range(2)
    ]
    await asyncio.gather(*(bot.fake.push(update, wait=60) for update in presses))

    def told(person: Person, text: str) -> int:
        return sum(1 for c in bot.fake.sent(person.user_id) if c.text == text)

    await wait_until(
        lambda: all(told(p, texts.SURVEY_DONE) + told(p, texts.PRESS_AGAIN) >= 1 for p in people),
        timeout=60,
    )
    thanked = [p for p in people if told(p, texts.SURVEY_DONE)]
    assert all(told(p, texts.SURVEY_DONE) == 1 for p in thanked)
    stored = await count(bot, SurveyPendingResponse) + await count(bot, SurveyResponse)
    assert stored == len(thanked) == await count(bot, SurveyParticipation)
    assert len(thanked) == PEOPLE  # one writer at a time: nobody even had to press again
    async with bot.services.sessionmaker() as session:
        released = await session.scalar(select(SurveyWindow.respondents))
        answers = await session.scalar(select(func.count()).select_from(SurveyAnswer))
    assert released == await count(bot, SurveyResponse) == answers
    assert released >= PEOPLE - (bot.settings.min_group_size - 1)


async def test_two_admins_opening_at_once_get_one_window(
    quick: Settings, fake: FakeTelegram, clock: FakeClock
) -> None:
    second_admin = 2
    settings = quick.model_copy(update={"admin_ids": [ADMIN, second_admin]})
    async with RunningBot(settings, fake, clock, concurrent=True) as bot:
        await asyncio.gather(
            bot.say(ADMIN, "/open_survey quick"), bot.say(second_admin, "/open_survey quick")
        )
        await wait_until(lambda: bool(fake.sent(ADMIN)) and bool(fake.sent(second_admin)))
        answers = [fake.last(ADMIN).text, fake.last(second_admin).text]
        assert sum("Окно №" in a and "уже" not in a for a in answers) == 1, answers
        assert await count(bot, SurveyWindow) == 1
        # And the database itself refuses a second unclosed window of the questionnaire.
        async with bot.services.sessionmaker() as session, session.begin():
            window = await session.scalar(select(SurveyWindow))
            assert window is not None
            with pytest.raises(IntegrityError):
                async with session.begin_nested():
                    await session.execute(
                        insert(SurveyWindow).values(
                            kind="quick",
                            audience="external",
                            title="x",
                            questionnaire="{}",
                            opens_at=window.opens_at,
                            closes_at=window.closes_at,
                            created_at=window.created_at,
                            respondents=0,
                        )
                    )


async def test_a_concurrent_second_opening_is_told_clearly(bot: RunningBot) -> None:
    """Whichever way the race ends (the check or the unique index), the loser gets a message."""
    windows = bot.services.windows
    results = await asyncio.gather(
        windows.open_window("quick"), windows.open_window("quick"), return_exceptions=True
    )
    errors = [r for r in results if isinstance(r, WindowError)]
    assert len(errors) == 1 and len(results) == 2
    told = str(errors[0])
    assert "уже есть" in told.lower() or told == admin_texts.WINDOW_OPENED_MEANWHILE.format(
        kind="quick"
    )


def raw_files(database: Path) -> bytes:
    """Everything SQLite keeps on disk for the database: main file, WAL, rollback journal."""
    data = b""
    for suffix in ("", "-wal", "-journal"):
        path = Path(f"{database}{suffix}")
        if path.exists():
            data += path.read_bytes()
    return data


async def test_disk_shows_groups_never_one_person_and_nothing_after_close(
    bot: RunningBot,
) -> None:
    if not bot.settings.database_url.startswith("sqlite"):
        pytest.skip(
            "reads SQLite's files; test_postgres_system_columns_keep_no_order covers PostgreSQL"
        )
    database = Path(bot.settings.database_url.split("///", 1)[1])
    view = await bot.services.windows.open_window("note")
    group = bot.settings.min_group_size
    markers = [f"отзыв-метка-{n:02d}-".encode() * 3 for n in range(group + 2)]

    async def finish(n: int) -> None:
        person = Person("tg", 700 + n)
        await bot.services.surveys.start(person, "note")
        done = await bot.services.surveys.handle_text(person, markers[n].decode())
        assert done is not None and done.replies[0].text == texts.SURVEY_DONE

    for n in range(group - 1):
        await finish(n)
        disk = raw_files(database)
        # Held back, encrypted: not even the first person's text is readable on disk.
        assert not any(marker in disk for marker in markers[: n + 1])
    await finish(group - 1)
    # The group is released in one transaction and the WAL truncated: no commit order left.
    assert Path(f"{database}-wal").stat().st_size == 0
    # All of the group at once, written in a random order (SQLite lays cells out in the order
    # of insertion): nothing tells which of the five answered first.
    disk = raw_files(database)
    assert all(marker in disk for marker in markers[:group])
    assert not any(marker in disk for marker in markers[group:])

    for n in range(group, group + 2):
        await finish(n)
    async with bot.services.sessionmaker() as session:
        window = await session.get(SurveyWindow, view.id)
        assert window is not None and window.salt is not None
        salt = window.salt
        tokens = list(await session.scalars(select(SurveyParticipation.token)))
    assert len(tokens) == group + 2
    await bot.services.windows.close_window(view.id)
    assert Path(f"{database}-wal").stat().st_size == 0
    disk = raw_files(database)
    assert all(marker in disk for marker in markers)
    assert salt not in disk
    assert not any(token.encode() in disk for token in tokens)
    assert await count(bot, SurveyResponse) == group + 2


@pytest.fixture
def postgres(quick: Settings) -> Settings:
    """The test's own fresh database, when the suite runs on PostgreSQL (TEST_POSTGRES_URL)."""
    if not quick.database_url.startswith("postgresql"):
        pytest.skip("TEST_POSTGRES_URL is not set")
    return quick


async def test_postgres_system_columns_keep_no_order(postgres: Settings, clock: FakeClock) -> None:
    services = build_services(postgres, clock)
    try:
        await services.windows.open_window("quick")
        group = postgres.min_group_size
        for n in range(2 * group):
            person = Person("tg", 800 + n)
            action = button_action(await services.surveys.start(person, "quick"), str(1 + n % 10))
            done = await services.surveys.handle_action(person, action)
            assert done is not None and done.replies[0].text == texts.SURVEY_DONE
        async with services.sessionmaker() as session:

            async def xmins(table: str) -> list[int]:
                rows = await session.execute(text(f"SELECT xmin::text::bigint FROM {table}"))
                return [int(x) for (x,) in rows]

            responses, answers, marks = (
                await xmins("survey_responses"),
                await xmins("survey_answers"),
                await xmins("survey_participations"),
            )
            dead = await session.scalar(
                text(
                    "SELECT n_dead_tup FROM pg_stat_user_tables "
                    "WHERE relname = 'survey_pending_responses'"
                )
            )
        # Two groups, each written by one transaction: within a group no order at all ...
        assert len(responses) == 2 * group and len(set(responses)) == 2
        assert sorted(responses.count(x) for x in set(responses)) == [group, group]
        assert set(answers) == set(responses)
        # ... and no response shares a transaction with a person's mark: comparing the marks'
        # xmin with the groups' tells at most which group a mark's author is in, never which
        # of its responses is theirs.
        assert len(set(marks)) == 2 * group and not set(marks) & set(responses)
        assert await_count_pending_zero(dead)
    finally:
        await services.close()


async def test_postgres_dropped_connections_cost_no_answer(
    postgres: Settings, clock: FakeClock
) -> None:
    """No ping before each transaction on PostgreSQL: a press that meets a connection the
    server dropped (a restart, a failover) runs again on a new one, and the answer is kept."""
    import asyncpg

    services = build_services(postgres, clock)
    try:
        await services.windows.open_window("quick")
        people = [Person("tg", 900 + n) for n in range(3)]
        actions = [button_action(await services.surveys.start(p, "quick"), "7") for p in people]
        url = services.engine.url
        server = await asyncpg.connect(
            user=url.username, host=url.host, port=url.port, database=url.database
        )
        try:
            dropped = await server.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        finally:
            await server.close()
        assert dropped >= 1  # the pool's connections were open, and now are gone
        for person, action in zip(people, actions, strict=True):
            done = await services.surveys.handle_action(person, action)
            assert done is not None and done.replies[0].text == texts.SURVEY_DONE
        async with services.sessionmaker() as session:
            assert await session.scalar(select(func.count()).select_from(SurveyParticipation)) == 3
    finally:
        await services.close()


def await_count_pending_zero(dead: int | None) -> bool:
    """VACUUM left no dead tuple of a released pending survey (statistics may lag: None/0)."""
    return not dead


async def test_open_citizen_window_cannot_be_differenced(
    settings: Settings, fake: FakeTelegram, clock: FakeClock
) -> None:
    """Without INTERIM_RESULTS two reports or exports one answer apart reveal nothing."""
    closed_only = settings.model_copy(update={"interim_results": False})
    async with RunningBot(closed_only, fake, clock) as bot:
        await bot.say(ADMIN, "/open_survey csi")
        for n in range(6):
            await complete_csi(bot, 900 + n, 8 + n % 2, 9, suggestion=f"Отзыв номер {n}")
        await bot.say(ADMIN, "/report 1")
        report = last_text(fake, ADMIN)
        assert report.endswith(report_texts.interim_count(6))
        await bot.say(ADMIN, "/export 1")
        assert fake.last(ADMIN).method == "sendMessage"
        assert fake.last(ADMIN).text == export_texts.STILL_OPEN_CITIZEN.format(id=1)
        assert not any(c.method == "sendDocument" for c in fake.sent(ADMIN))
        await close_window(bot, ADMIN, 1)
        fake.clear()
        await bot.say(ADMIN, "/export 1")
        await wait_until(lambda: any(c.method == "sendDocument" for c in fake.sent(ADMIN)))
