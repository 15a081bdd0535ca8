"""Surveys people finish: progress that never goes backwards, the duration, numbered options,
continue or start over, the last-day reminder that stores nothing, a draft lost at close."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.core.ports import Person
from bot.db.base import Base
from bot.db.models import SurveyDraft, SurveyLapsedDraft, SurveyResponse
from bot.devtools.fake_telegram import FakeTelegram
from bot.devtools.fake_vk import FakeVk
from bot.devtools.harness import RunningBot
from bot.texts import survey as texts
from tests.support.clock import FakeClock
from tests.support.database import ADMIN, WORK_CHAT
from tests.support.employees import NOT_SATISFIED, SATISFIED, Answers, complete_employee

EMPLOYEE = 700
CITIZEN = 500
VK_USER = 600
HEADER = re.compile(r"Вопрос (\d+) из (\d+)")
MOSCOW = ZoneInfo("Europe/Moscow")

POLL_YAML = """\
id: poll
title: Опрос о приёме
audience: external
working_days: 10
intro: Короткий опрос о личном приёме.
questions:
  - id: visited
    kind: single
    text: Были ли вы на личном приёме в этом году?
    options:
      - {id: da, text: Да}
      - {id: net, text: Нет}
  - id: reception
    kind: matrix
    text: Как вы оцениваете личный приём?
    when: {question: visited, in: [da]}
    rows:
      - {id: wait, text: Время ожидания}
      - {id: polite, text: Вежливость}
    options:
      - {id: good, text: Полностью устраивает, satisfied: true}
      - {id: bad, text: "Не устраивает, потому что пришлось долго ждать в очереди"}
  - id: ideas
    kind: text
    text: Что улучшить?
    optional: true
"""


def headers(texts_sent: list[str]) -> list[tuple[int, int]]:
    return [(int(m[1]), int(m[2])) for t in texts_sent if (m := HEADER.search(t))]


def assert_monotonic(seen: list[tuple[int, int]]) -> None:
    positions = [p for p, _ in seen]
    totals = [t for _, t in seen]
    assert positions == sorted(positions), positions
    assert totals == sorted(totals, reverse=True), totals
    assert all(p <= t for p, t in seen)


@pytest.fixture
def poll_settings(settings: Settings, tmp_path: Path) -> Settings:
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "poll.yaml").write_text(POLL_YAML, encoding="utf-8")
    return settings.model_copy(update={"questionnaires_dir": folder})


@pytest.fixture
async def both(
    poll_settings: Settings, fake: FakeTelegram, fake_vk: FakeVk, clock: FakeClock
) -> AsyncIterator[RunningBot]:
    async with RunningBot(poll_settings, fake, clock, vk=fake_vk) as bot:
        await bot.say(ADMIN, "/open_survey csi")
        yield bot


async def test_employee_progress_counts_questions_and_never_goes_back(office: RunningBot) -> None:
    office.fake.chat_members[(WORK_CHAT, EMPLOYEE)] = "member"
    await office.say(EMPLOYEE, "/start employee")
    intro = office.fake.sent(EMPLOYEE)[-2].text
    assert re.search(r"около \d+ минут", intro), intro
    answers = Answers(
        agencies=[NOT_SATISFIED, SATISFIED, NOT_SATISFIED, SATISFIED, SATISFIED],
        agency_problems=["Присылают неполные данные", "Нет общей системы"],
    )
    await complete_employee(office, EMPLOYEE, answers)
    assert office.fake.last(EMPLOYEE).text == texts.SURVEY_DONE
    sent = [c.text for c in office.fake.sent(EMPLOYEE)]
    seen = headers(sent)
    assert seen[0] == (1, 18)  # Appendix 3 has 18 questions
    assert seen[-1][0] == seen[-1][1] == 17  # question 10 skipped: no adaptation system
    assert_monotonic(seen)
    # A matrix is one question: its rows share the number and say which row they are.
    rows = [t for t in sent if "другими исполнительными органами власти?" in t]
    assert {HEADER.search(t)[0] for t in rows} == {"Вопрос 4 из 18"}  # type: ignore[index]
    assert [re.search(r"строка (\d) из 5", t)[1] for t in rows] == ["1", "2", "3", "4", "5"]  # type: ignore[index]


async def test_long_options_are_numbered_in_the_text(office: RunningBot) -> None:
    office.fake.chat_members[(WORK_CHAT, EMPLOYEE)] = "member"
    await office.say(EMPLOYEE, "/start employee")
    await office.press(EMPLOYEE, SATISFIED)
    for label in ["Несколько раз в неделю"] * 3 + ["Не занимаюсь этим"] * 3:
        await office.press(EMPLOYEE, label)
    matrix = office.fake.last(EMPLOYEE)
    assert "4. Не взаимодействую с другими государственными органами и организациями" in (
        matrix.text
    )
    assert matrix.labels[:4] == ["1", "2", "3", "4"]
    await office.press(EMPLOYEE, "2")
    assert "строка 2 из 5" in office.fake.last(EMPLOYEE).text


async def test_vk_progress_duration_and_numbered_options(both: RunningBot) -> None:
    vk = both.vk_server
    await both.say(ADMIN, "/open_survey poll")
    await both.vk_say(VK_USER, ref="poll")
    intro, first = vk.sent(VK_USER)[-2:]
    assert "около 1 минуты" in intro.text and "Вопрос 1 из 3" in first.text
    assert first.labels == ["Да", "Нет"]  # a yes/no question is a single choice
    await both.vk_press(VK_USER, "Да")
    row = vk.last(VK_USER)
    assert "Вопрос 2 из 3" in row.text and "строка 1 из 2" in row.text
    assert "2. Не устраивает, потому что пришлось долго ждать в очереди" in row.text
    assert row.labels[:2] == ["1", "2"]
    await both.vk_press(VK_USER, "2")
    await both.vk_press(VK_USER, "1")
    assert "Вопрос 3 из 3" in vk.last(VK_USER).text
    await both.vk_press(VK_USER, texts.SKIP)
    assert vk.last(VK_USER).text == texts.SURVEY_DONE
    assert_monotonic(headers([c.text for c in vk.sent(VK_USER)]))


async def test_vk_citizen_progress_over_the_whole_csi(both: RunningBot) -> None:
    vk = both.vk_server
    await both.vk_say(VK_USER, ref="csi")
    for _ in range(10):
        await both.vk_press(VK_USER, "8")
        await both.vk_press(VK_USER, "9")
    await both.vk_press(VK_USER, "Не пользуюсь")
    for _ in range(3):
        await both.vk_press(VK_USER, texts.NOT_APPLICABLE)
    await both.vk_press(VK_USER, texts.SKIP)
    assert vk.last(VK_USER).text == texts.SURVEY_DONE
    seen = headers([c.text for c in vk.sent(VK_USER)])
    assert seen[0] == (1, 24) and seen[-1] == (23, 23)
    assert_monotonic(seen)


@pytest.mark.parametrize("again", ["/start csi", "/start"])
async def test_telegram_continue_or_start_over(both: RunningBot, again: str) -> None:
    await both.say(CITIZEN, "/start csi")
    await both.press(CITIZEN, "8")
    await both.press(CITIZEN, "9")
    await both.say(CITIZEN, again)
    ask = both.fake.last(CITIZEN)
    assert "Продолжить или начать заново?" in ask.text and "вопросе 3 из 24" in ask.text
    await both.press(CITIZEN, texts.CONTINUE)
    assert "Вопрос 3 из 24" in both.fake.last(CITIZEN).text
    await both.say(CITIZEN, again)
    await both.press(CITIZEN, texts.RESTART)
    first = both.fake.last(CITIZEN).text
    assert "Вопрос 1 из 24" in first
    await both.press(CITIZEN, "5")
    assert "Вопрос 2 из 24" in both.fake.last(CITIZEN).text


async def test_vk_continue_or_start_over(both: RunningBot) -> None:
    vk = both.vk_server
    await both.vk_say(VK_USER, ref="csi")
    await both.vk_press(VK_USER, "8")
    await both.vk_say(VK_USER, ref="csi")
    assert "Продолжить или начать заново?" in vk.last(VK_USER).text
    await both.vk_press(VK_USER, texts.CONTINUE)
    assert "Вопрос 2 из 24" in vk.sent(VK_USER)[-2].text  # "back" follows under its own message
    await both.vk_say(VK_USER, "начать")
    await both.vk_press(VK_USER, texts.RESTART)
    assert "Вопрос 1 из 24" in vk.last(VK_USER).text


async def test_a_draft_unfinished_at_close_counts_nowhere(both: RunningBot) -> None:
    await both.say(CITIZEN, "/start csi")
    await both.press(CITIZEN, "8")
    await both.say(CITIZEN + 1, "/start csi")
    await both.press(CITIZEN + 1, "8")
    await both.vk_say(VK_USER, ref="csi")
    await both.vk_press(VK_USER, "8")
    await both.services.windows.close_window(1)
    async with both.services.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(SurveyResponse)) == 0
        assert await session.scalar(select(func.count()).select_from(SurveyDraft)) == 0
        # Only keyed hashes stay behind: no window, no answer.
        assert len(list(await session.scalars(select(SurveyLapsedDraft.person_key)))) == 3

    await both.press(CITIZEN, "9")  # a button of the closed survey
    assert both.fake.last(CITIZEN).text == texts.SURVEY_CLOSED_MEANWHILE
    await both.say(CITIZEN + 1, "/start")  # coming back later
    told, menu = both.fake.sent(CITIZEN + 1)[-2:]
    assert told.text == texts.SURVEY_CLOSED_MEANWHILE and "Здравствуйте" in menu.text
    await both.say(CITIZEN + 1, "/start")
    assert texts.SURVEY_CLOSED_MEANWHILE not in [c.text for c in both.fake.sent(CITIZEN + 1)[-2:]]
    await both.vk_say(VK_USER, "9")  # typed, as the next answer
    assert both.vk_server.last(VK_USER).text == texts.SURVEY_CLOSED_MEANWHILE
    async with both.services.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(SurveyLapsedDraft)) == 0
    await both.press(CITIZEN, "9")
    assert both.fake.last(CITIZEN).text == texts.SURVEY_CLOSED_MEANWHILE  # the window says so


STAFF_YAML = """\
id: staff
title: Опрос сотрудников
audience: internal
working_days: 5
intro: Анонимный опрос сотрудников.
questions:
  - id: mood
    kind: single
    text: Как настроение?
    options:
      - {id: good, text: Хорошее}
      - {id: bad, text: Плохое}
  - id: problems
    kind: text
    optional: false
    text: С какими трудностями вы сталкиваетесь?
"""


async def snapshot(bot: RunningBot) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to prove a job wrote nothing."""
    async with bot.services.sessionmaker() as session:
        return {
            table.name: sorted(
                (tuple(map(repr, row)) for row in await session.execute(select(table))),
            )
            for table in Base.metadata.sorted_tables
        }


def msk(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=MOSCOW).astimezone(UTC)


async def test_last_day_reminder_reaches_unfinished_drafts_and_stores_nothing(
    settings: Settings, fake: FakeTelegram, clock: FakeClock, tmp_path: Path
) -> None:
    folder = tmp_path / "staff"
    folder.mkdir()
    (folder / "staff.yaml").write_text(STAFF_YAML, encoding="utf-8")
    staff = settings.model_copy(update={"questionnaires_dir": folder})
    unfinished, finished, no_draft, not_subscribed = 701, 702, 703, 704
    async with RunningBot(staff, fake, clock) as bot:
        for user in (unfinished, finished, no_draft):
            await bot.say(user, "/remind_me")
        await bot.say(ADMIN, "/open_survey staff")  # 24.12 -> 30.12.2026
        surveys = bot.services.surveys
        for user in (unfinished, finished, not_subscribed):
            await surveys.start(Person("tg", user), "staff")
            await surveys.handle_text(Person("tg", user), "1")
        await surveys.handle_text(Person("tg", finished), "Нет трудностей")
        clock.set(msk(2026, 12, 28, 10))
        assert "1:midpoint" in await bot.services.jobs.run_due()
        fake.clear()
        before = await snapshot(bot)

        clock.set(msk(2026, 12, 30, 10))
        performed = await bot.services.jobs.run_due()
        assert "1:last_day" in performed
        (reminder,) = fake.sent(unfinished)
        assert "последний день" in reminder.text
        assert reminder.buttons[0][0]["url"].endswith("?start=staff")
        assert fake.sent(finished) == fake.sent(no_draft) == fake.sent(not_subscribed) == []
        after = await snapshot(bot)
        # The job's own mark that it ran is all that changed: nothing about who was reminded.
        changed = {name for name in before if before[name] != after[name]}
        assert changed <= {"survey_window_events", "plan_reminders", "job_claims"}
        claims = [row for row in after["job_claims"] if row not in before["job_claims"]]
        assert all(row[0].startswith("'window:1:") for row in claims), claims  # job names only
        assert "1:last_day" not in await bot.services.jobs.run_due()
        assert len(fake.sent(unfinished)) == 1
