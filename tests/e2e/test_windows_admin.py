"""Admin commands for windows and reports, end to end, with a fixed clock (24.12.2026, Moscow)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.devtools.harness import RunningBot
from bot.texts import admin as admin_texts
from bot.texts import survey as texts
from tests.support.clock import FakeClock
from tests.support.csi_answers import close_window, complete_csi, last_text
from tests.support.database import ADMIN

CITIZEN = 700


async def test_open_window_states_dates_over_new_year(running: RunningBot) -> None:
    await running.say(ADMIN, "/open_survey csi")
    reply = running.fake.last(ADMIN).text
    assert "Окно №1" in reply and "с 24.12.2026 по 15.01.2027" in reply
    assert "https://t.me/feedback_test_bot?start=csi" in reply


async def test_future_window_over_may_holidays_is_scheduled(running: RunningBot) -> None:
    await running.say(ADMIN, "/open_survey csi 28.04.2027")
    reply = running.fake.last(ADMIN).text
    # 28, 29, 30 Apr; 3 May off; 4-7 May; 10 May off; 11-13 May 2027.
    assert "запланировано" in reply and "с 28.04.2027 по 13.05.2027" in reply
    await running.say(CITIZEN, "/start csi")
    assert running.fake.last(CITIZEN).text == texts.NO_OPEN_SURVEY


async def test_date_formats_and_errors(running: RunningBot) -> None:
    await running.say(ADMIN, "/open_survey csi 2027-01-11")
    assert "с 11.01.2027 по 22.01.2027" in running.fake.last(ADMIN).text
    await running.say(ADMIN, "/open_survey csi 31.02.2027")
    assert "Не понял дату" in running.fake.last(ADMIN).text
    await running.say(ADMIN, "/open_survey csi 01.12.2026")
    assert "уже прошла" in running.fake.last(ADMIN).text
    await running.say(ADMIN, "/open_survey poll")
    assert "Нет анкеты 'poll'" in running.fake.last(ADMIN).text
    await running.say(ADMIN, "/open_survey")
    assert "Использование" in running.fake.last(ADMIN).text


async def test_only_one_open_window_per_kind(running: RunningBot) -> None:
    await running.say(ADMIN, "/open_survey csi")
    await running.say(ADMIN, "/open_survey csi 01.02.2027")
    assert (
        "Уже есть открытое или запланированное окно этого вида: №1" in running.fake.last(ADMIN).text
    )


async def test_close_early_then_answers_refused(running: RunningBot) -> None:
    await running.say(ADMIN, "/open_survey csi")
    await running.say(CITIZEN, "/start csi")
    await close_window(running, ADMIN, 1)
    # The admin who confirmed sees the window closed first, then the report the close owes.
    said = [c.text for c in running.fake.sent(ADMIN)]
    closed = said.index(admin_texts.window_closed(1, 0))
    assert any(t.startswith("Опрос завершён") for t in said[closed + 1 :]), said
    await running.press(CITIZEN, "8")
    assert running.fake.last(CITIZEN).text == texts.SURVEY_CLOSED_MEANWHILE
    await running.say(ADMIN, "/close_survey 1")
    assert "уже закрыто" in running.fake.last(ADMIN).text


async def test_window_end_refuses_answers_in_progress(
    running: RunningBot, clock: FakeClock
) -> None:
    await running.say(ADMIN, "/open_survey csi")
    await running.say(CITIZEN, "/start csi")
    clock.set(datetime(2027, 1, 15, 20, 59, 59, tzinfo=UTC))  # 23:59:59 MSK, last day
    await running.press(CITIZEN, "8")
    assert "важен" in running.fake.last(CITIZEN).text
    clock.advance(seconds=1)
    await running.press(CITIZEN, "8")
    assert running.fake.last(CITIZEN).text == texts.SURVEY_CLOSED_MEANWHILE
    await running.say(ADMIN, "/surveys")
    assert "закрыто" in running.fake.last(ADMIN).text


async def test_surveys_lists_windows_with_respondents(running: RunningBot) -> None:
    await running.say(ADMIN, "/surveys")
    assert running.fake.last(ADMIN).text == admin_texts.NO_WINDOWS
    await running.say(ADMIN, "/open_survey csi")
    await complete_csi(running, CITIZEN, 8, 8)
    await running.say(ADMIN, "/surveys")
    assert "№1 · csi · 24.12.2026 – 15.01.2027 · идёт · ответов: 1" in running.fake.last(ADMIN).text


async def test_non_admin_gets_refusal_and_no_data(running: RunningBot) -> None:
    await running.say(ADMIN, "/open_survey csi")
    for command in ("/report", "/report 1", "/surveys", "/open_survey csi", "/close_survey 1"):
        await running.say(CITIZEN, command)
        assert running.fake.last(CITIZEN).text == admin_texts.NOT_ADMIN
    assert all("CSI" not in c.text for c in running.fake.sent(CITIZEN))


async def test_report_matches_hand_computed_csi(running: RunningBot) -> None:
    await running.say(ADMIN, "/open_survey csi")
    # Five people; every criterion gets scores 8, 9, 9, 8, 9 and importances 9, 9, 8, 8, 10.
    # Means 8.6 and 8.8: CSI = 0.86 * 0.88 * 100 = 75.68 -> "75,7", high.
    # (Mean of per-person products would be (72+81+72+64+90)/5 = 75.8.)
    for n, (score, importance) in enumerate([(8, 9), (9, 9), (9, 8), (8, 8), (9, 10)]):
        await complete_csi(running, CITIZEN + n, score, importance)
    await running.say(ADMIN, "/report")
    report = last_text(running.fake, ADMIN)
    assert "Респондентов: 5" in report
    assert "Общий индекс CSI: 75,7</b> — высокий уровень" in report
    assert "1. Достаточность информации о функции — <b>75,7</b> (100 %, ответов: 5)" in report
    assert "Не пользуюсь: 5 (100 %)" in report


async def test_report_hidden_below_minimum_group(running: RunningBot) -> None:
    await running.say(ADMIN, "/open_survey csi")
    for n in range(4):
        await complete_csi(running, CITIZEN + n, 8, 8)
    await running.say(ADMIN, "/report 1")
    report = running.fake.last(ADMIN).text
    assert "слишком мало" in report and "CSI:" not in report
