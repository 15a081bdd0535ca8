"""The VK adapter end to end: the real bot with the fake Bot API and the fake VK API over HTTP.

VK users take the same CSI survey as Telegram users through the same `CitizenChat`; these tests
drive it with callback buttons, typed numbers and deep links, break the VK API on purpose (error
6, lost answers, long-poll `failed`) and check that answers from both platforms land in one
report.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.__main__ import run_polling
from bot.body import UNNAMED_BODY
from bot.config import Settings
from bot.core.ports import Person, Reply
from bot.db.models import SurveyPendingResponse, SurveyResponse
from bot.devtools.fake_telegram import FakeTelegram
from bot.devtools.fake_vk import GROUP_TOKEN, SCREEN_NAME, USER_TOKEN, FakeVk
from bot.devtools.harness import RunningBot
from bot.handlers.vk import VkSetupError
from bot.handlers.vk.render import MAX_BUTTONS, MAX_ROW, MAX_ROWS, MENU_BUTTONS, MENU_ROWS
from bot.texts import appeals as appeal_texts
from bot.texts import logs
from bot.texts import survey as texts
from bot.texts import vk as vk_texts
from bot.texts.common import plain_text
from bot.texts.help import MENU_NOTE
from tests.support.appeals import confirm_answer
from tests.support.clock import FakeClock
from tests.support.csi_answers import close_window, complete_csi, last_text
from tests.support.database import ADMIN
from tests.support.waits import CEILING, wait_until

VK_USER = 500
CRITERIA = 10
VK_LINK = f"https://vk.me/{SCREEN_NAME}?ref=csi"


async def open_csi(bot: RunningBot) -> None:
    await bot.say(ADMIN, "/open_survey csi")
    assert any("Окно №" in c.text for c in bot.fake.sent(ADMIN))


async def responses(bot: RunningBot) -> int:
    """Finished surveys: released into the answers, or still held back (see release.py)."""
    async with bot.services.sessionmaker() as session:
        total = 0
        for model in (SurveyResponse, SurveyPendingResponse):
            total += int(await session.scalar(select(func.count()).select_from(model)) or 0)
        return total


async def complete_csi_vk(bot: RunningBot, user_id: int, score: int, importance: int) -> None:
    """The whole CSI questionnaire by callback buttons, as a VK user from the wall link."""
    await bot.vk_say(user_id, ref="csi")
    for _ in range(CRITERIA):
        await bot.vk_press(user_id, str(score))
        await bot.vk_press(user_id, str(importance))
    await bot.vk_press(user_id, "Не пользуюсь")
    for _ in range(3):
        await bot.vk_press(user_id, texts.NOT_APPLICABLE)
    await bot.vk_press(user_id, texts.SKIP)
    assert bot.vk_server.last(user_id).text == texts.SURVEY_DONE


def assert_vk_limits(bot: RunningBot) -> None:
    """Inline keyboards of callback buttons, the role menu of text buttons, within VK's limits."""
    for call in bot.vk_server.sent():
        assert not re.search(r"</?[a-z]+>|&lt;|&amp;", call.text), call.text
        rows = call.buttons
        rows_limit, buttons_limit = (
            (MAX_ROWS, MAX_BUTTONS) if call.inline else (MENU_ROWS, MENU_BUTTONS)
        )
        assert len(rows) <= rows_limit and all(len(r) <= MAX_ROW for r in rows)
        assert sum(map(len, rows)) <= buttons_limit
        for row in rows:
            for button in row:
                assert button["action"]["type"] == ("callback" if call.inline else "text")
                assert len(button["action"]["payload"].encode()) <= 255
                assert len(button["action"]["label"]) <= 40


async def test_vk_user_completes_survey_with_callback_buttons(both: RunningBot) -> None:
    await open_csi(both)
    vk = both.vk_server
    await both.vk_say(VK_USER, "опрос")
    assert vk.last(VK_USER).labels[0] == texts.MENU_SURVEY
    await both.vk_press(VK_USER, texts.MENU_SURVEY)
    intro, first = vk.sent(VK_USER)[-2:]
    assert "анонимн" in intro.text and "Вопрос 1 из" in first.text
    assert "рассказали об услуге" in first.text and "<b>" not in first.text
    assert first.labels == [str(n) for n in range(1, 11)]
    assert [len(row) for row in first.buttons] == [5, 5]

    await both.vk_press(VK_USER, "8")
    importance, more = vk.sent(VK_USER)[-2:]
    assert "Вопрос 2 из" in importance.text and "важен" in importance.text
    assert importance.labels == [str(n) for n in range(1, 11)]
    assert more.text == vk_texts.MORE_BUTTONS and more.labels == [texts.BACK]
    await both.vk_press(VK_USER, texts.BACK)
    assert "Вопрос 1 из" in vk.last(VK_USER).text
    await both.vk_press(VK_USER, "8")
    await both.vk_press(VK_USER, "9")
    for _ in range(CRITERIA - 1):
        await both.vk_press(VK_USER, "8")
        await both.vk_press(VK_USER, "9")
    await both.vk_press(VK_USER, "Ежедневно")
    await both.vk_press(VK_USER, "7")
    for _ in range(3):
        await both.vk_press(VK_USER, texts.NOT_APPLICABLE)
    await both.vk_press(VK_USER, texts.SKIP)
    assert vk.last(VK_USER).text == texts.SURVEY_DONE
    assert await responses(both) == 1

    presses = vk.of("messages.sendMessageEventAnswer")
    assert len(presses) == 3 + 2 * CRITERIA + 2 + 3 + 1  # menu, 8, back; the rest
    assert all(p.params["user_id"] == str(VK_USER) for p in presses)
    assert_vk_limits(both)


async def test_vk_typed_numbers_after_ref_deep_link(both: RunningBot) -> None:
    await open_csi(both)
    vk = both.vk_server
    await both.vk_say(VK_USER, ref="csi")  # vk.me/<group>?ref=csi
    intro, first = vk.sent(VK_USER)
    assert "анонимн" in intro.text and "Вопрос 1 из" in first.text
    await both.vk_say(VK_USER, "восемь")
    hint, again = vk.sent(VK_USER)[-2:]
    assert hint.text == texts.HINT_RATING and "Вопрос 1 из" in again.text
    for _ in range(CRITERIA):
        await both.vk_say(VK_USER, "8")
        await both.vk_say(VK_USER, "10")
    await both.vk_say(VK_USER, "Не пользуюсь")
    for _ in range(3):
        await both.vk_say(VK_USER, texts.NOT_APPLICABLE)
    await both.vk_say(VK_USER, "Запись онлайн, пожалуйста")
    assert vk.last(VK_USER).text == texts.SURVEY_DONE
    assert await responses(both) == 1
    assert not vk.of("messages.sendMessageEventAnswer")  # nothing was pressed
    assert_vk_limits(both)


async def test_report_counts_vk_and_telegram_answers_together(both: RunningBot) -> None:
    await open_csi(both)
    for user_id in (601, 602, 603):
        await complete_csi(both, user_id, 8, 10)
    await both.say(ADMIN, "/report")
    assert "слишком мало" in both.fake.last(ADMIN).text  # 3 < MIN_GROUP_SIZE
    for user_id in (701, 702):
        await complete_csi_vk(both, user_id, 6, 10)
    await both.say(ADMIN, "/report")
    report = last_text(both.fake, ADMIN)
    # Every criterion: mean score (3*8 + 2*6)/5 = 7.2, importance 10 -> 10/10 * 7.2/10 * 100.
    assert "Респондентов: 5" in report
    assert "Общий индекс CSI: 72,0" in report


async def test_vk_id_equal_to_telegram_id_is_another_person(both: RunningBot) -> None:
    await open_csi(both)
    await complete_csi(both, VK_USER, 8, 8)  # Telegram user 500
    await both.vk_say(VK_USER, "/start csi")  # VK user 500
    assert "Вопрос 1 из" in both.vk_server.last(VK_USER).text
    await both.vk_say(VK_USER, "/cancel")
    await complete_csi_vk(both, VK_USER, 7, 7)
    assert await responses(both) == 2
    await both.vk_say(VK_USER, "начать csi")
    assert both.vk_server.last(VK_USER).text == texts.ALREADY_TOOK_PART
    await both.say(VK_USER, "/start csi")
    assert both.fake.last(VK_USER).text == texts.ALREADY_TOOK_PART


@pytest.mark.parametrize("word", ["Начать", "старт", "меню", "опрос"])
async def test_plain_words_open_the_menu(both: RunningBot, word: str) -> None:
    await open_csi(both)
    await both.vk_say(VK_USER, word)
    assert both.vk_server.last(VK_USER).labels == [texts.MENU_SURVEY, appeal_texts.MENU_APPEAL]


@pytest.mark.parametrize(
    ("word", "command"), [("обращение", "/start appeal"), ("статус", "/status")]
)
async def test_appeal_words_answer_like_telegram_commands(
    both: RunningBot, word: str, command: str
) -> None:
    """Whatever the command does in Telegram, the word does in VK: same texts, same buttons."""
    await open_csi(both)
    await both.say(VK_USER, command)
    await both.vk_say(VK_USER, word)
    telegram, vk = both.fake.last(VK_USER), both.vk_server.last(VK_USER)
    assert vk.text == plain_text(telegram.text) and vk.labels == telegram.labels


async def test_vk_start_button_and_no_open_survey(both: RunningBot) -> None:
    await both.vk_say(VK_USER, "Начать", payload='{"command":"start"}')
    assert both.vk_server.last(VK_USER).text == texts.welcome_nothing_open(UNNAMED_BODY)
    await both.vk_say(VK_USER, ref="csi")
    assert both.vk_server.last(VK_USER).text == texts.NO_OPEN_SURVEY


async def test_photo_and_stale_button_get_polite_answers(both: RunningBot) -> None:
    await open_csi(both)
    await both.vk_say(VK_USER, ref="csi")
    first_question = both.vk_server.last(VK_USER)
    await both.vk_say(VK_USER, "", attachments=[{"type": "photo", "photo": {"id": 1}}])
    hint, again = both.vk_server.sent(VK_USER)[-2:]
    assert hint.text == texts.HINT_NOT_TEXT and again.text == first_question.text
    await both.vk_press(VK_USER, "5")
    sent = len(both.vk_server.sent(VK_USER))
    await both.vk_press(VK_USER, "5", call=first_question)  # question 1 is already answered
    answer = both.vk_server.of("messages.sendMessageEventAnswer")[-1]
    snackbar = json.loads(answer.params["event_data"])
    assert snackbar == {"type": "show_snackbar", "text": texts.STALE_BUTTON}
    assert len(both.vk_server.sent(VK_USER)) == sent  # a toast only, no new message
    assert "Вопрос 2 из" in both.vk_server.sent(VK_USER)[-2].text


async def test_group_conversations_are_ignored(both: RunningBot) -> None:
    await both.vk_say(VK_USER, "начать", peer_id=2_000_000_001)
    assert both.vk_server.sent() == []


async def test_error_6_is_retried_and_message_arrives_once(both: RunningBot) -> None:
    vk = both.vk_server
    vk.errors["messages.send"] = [6, 6]
    await both.vk_say(VK_USER, "начать")  # the role menu's message, then the welcome
    assert [c.text for c in vk.sent(VK_USER)] == [
        MENU_NOTE,
        texts.welcome_nothing_open(UNNAMED_BODY),
    ]
    assert len(vk.of("messages.send:error6")) == 2


async def test_lost_answer_is_retried_without_a_duplicate(both: RunningBot) -> None:
    vk = both.vk_server
    vk.lost_answers["messages.send"] = 1  # VK sent it, but the bot never heard back
    await both.vk_say(VK_USER, "начать")  # the role menu's message, then the welcome
    assert [c.text for c in vk.sent(VK_USER)] == [
        MENU_NOTE,
        texts.welcome_nothing_open(UNNAMED_BODY),
    ]
    (repeat,) = vk.of("messages.send:duplicate")
    assert repeat.params["random_id"] == vk.sent(VK_USER)[0].params["random_id"]


@pytest.mark.parametrize("failed", [1, 2, 3])
async def test_long_poll_recovers_from_failed(both: RunningBot, failed: int) -> None:
    vk = both.vk_server
    servers_before = vk.longpoll_servers_given
    vk.longpoll_failures.append(failed)
    # 2 and 3 kill the key: without a new one from groups.getLongPollServer nothing arrives.
    renewed = servers_before + (failed != 1)
    await wait_until(lambda: not vk.longpoll_failures and vk.longpoll_servers_given == renewed)
    # (Events VK pushes while answering 1 or 3 are lost by VK's design, hence the wait.)
    await both.vk_say(VK_USER, "начать")
    assert vk.last(VK_USER).text == texts.welcome_nothing_open(UNNAMED_BODY)
    assert vk.longpoll_servers_given == renewed


async def test_messengers_reach_a_vk_user_in_plain_text(both: RunningBot) -> None:
    await both.services.messengers.send(
        Person("vk", 42), [Reply("<b>Ответ на обращение</b> &lt;№1&gt;")]
    )
    assert both.vk_server.last(42).text == "Ответ на обращение <№1>"


async def test_opening_a_survey_gives_admins_the_vk_invitation(both: RunningBot) -> None:
    await open_csi(both)
    note = both.fake.last(ADMIN).text
    assert VK_LINK in note and "опубликуйте" in note
    assert not both.vk_server.of("wall.post")


async def test_opening_a_survey_posts_on_the_vk_wall_with_a_user_token(
    settings: Settings, fake: FakeTelegram, fake_vk: FakeVk, clock: FakeClock
) -> None:
    with_wall = settings.model_copy(update={"vk_user_token": SecretStr(USER_TOKEN)})
    async with RunningBot(with_wall, fake, clock, vk=fake_vk) as bot:
        fake_vk.lost_answers["wall.post"] = 1  # retried with the same guid: one post
        await open_csi(bot)
        (post,) = fake_vk.of("wall.post")
        assert post.params["owner_id"] == str(-fake_vk.group_id)
        assert post.params["message"].endswith(VK_LINK) and "<" not in post.params["message"]
        assert "опубликовано" in fake.last(ADMIN).text

        await close_window(bot, ADMIN, 1)
        fake_vk.errors["wall.post"] = [15]  # 15: access denied (the token lost the right)
        await open_csi(bot)
        assert len(fake_vk.of("wall.post")) == 1
        note = fake.last(ADMIN).text
        assert "Не удалось опубликовать" in note and VK_LINK in note


async def test_slow_vk_does_not_stall_telegram(both: RunningBot) -> None:
    both.vk_server.holds.hold("messages.send")  # VK hangs until the test lets it go
    vk_user = asyncio.create_task(both.vk_say(VK_USER, "начать"))
    await wait_until(lambda: both.vk_server.holds.held("messages.send") > 0)
    await both.say(VK_USER, "/start")  # answered while the VK reply is stuck
    assert both.fake.last(VK_USER).text == texts.welcome_nothing_open(UNNAMED_BODY)
    assert not both.vk_server.sent(VK_USER)
    both.vk_server.holds.release("messages.send")
    await vk_user
    assert both.vk_server.last(VK_USER).text == texts.welcome_nothing_open(UNNAMED_BODY)


async def test_long_poll_survives_a_broken_server(
    both: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    vk = both.vk_server
    vk.broken_longpolls = 2  # HTTP 500 with no JSON, twice
    with caplog.at_level(logging.WARNING, logger="bot.vk"):
        await both.vk_say(VK_USER, "начать")
    assert vk.last(VK_USER).text == texts.welcome_nothing_open(UNNAMED_BODY)
    assert sum(r.msg == logs.VK_LONGPOLL_ERROR for r in caplog.records) == 2


async def test_run_serves_vk_alone_without_a_telegram_token(
    settings: Settings, fake_vk: FakeVk
) -> None:
    vk_only = settings.model_copy(
        update={
            "bot_token": None,
            "vk_group_token": SecretStr(GROUP_TOKEN),
            "vk_group_id": fake_vk.group_id,
            "vk_api_url": fake_vk.base_url,
        }
    )
    running = asyncio.create_task(run_polling(vk_only))
    try:
        await wait_until(lambda: fake_vk.longpoll_servers_given > 0)
        await fake_vk.push(fake_vk.message_new(VK_USER, "начать"))
        welcome = texts.welcome_nothing_open(UNNAMED_BODY)
        await wait_until(lambda: any(c.text == welcome for c in fake_vk.sent(VK_USER)))
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)


async def test_an_event_that_fails_does_not_stop_the_bot(
    both: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    both.vk_server.errors["messages.send"] = [6] * 5  # more than the retries allow
    with caplog.at_level(logging.ERROR, logger="bot.vk"):
        await both.vk_say(VK_USER, "начать")
    assert any(r.msg == logs.VK_CALL_GAVE_UP and r.args[1] == 5 for r in caplog.records)
    await both.vk_say(VK_USER, "начать")
    assert both.vk_server.last(VK_USER).text == texts.welcome_nothing_open(UNNAMED_BODY)


async def test_run_stops_with_one_line_when_vk_refuses_the_token(
    settings: Settings, fake_vk: FakeVk
) -> None:
    vk_only = settings.model_copy(
        update={
            "bot_token": None,
            "vk_group_token": SecretStr("wrong"),
            "vk_group_id": fake_vk.group_id,
            "vk_api_url": fake_vk.base_url,
        }
    )
    with pytest.raises(VkSetupError, match="VK_GROUP_TOKEN"):
        await asyncio.wait_for(run_polling(vk_only), CEILING)
    assert fake_vk.longpoll_servers_given == 0


async def test_vk_appeal_answered_from_telegram_staff(both: RunningBot) -> None:
    """A VK citizen files a complaint with a photo; staff answer from Telegram; the answer
    arrives in VK, and the metrics count the appeal under the VK channel."""
    vk = both.vk_server
    await both.vk_say(VK_USER, "обращение")
    await both.vk_press(VK_USER, "Жалоба")
    await both.vk_press(VK_USER, "Документы и справки")
    await both.vk_say(VK_USER, "Третий месяц не могу получить справку о составе семьи")
    await both.vk_press(VK_USER, appeal_texts.BUTTON_DONE)
    await both.vk_say(
        VK_USER, "", attachments=[{"type": "photo", "photo": {"id": 7, "owner_id": VK_USER}}]
    )
    await both.vk_press(VK_USER, appeal_texts.BUTTON_DONE)
    await both.vk_say(VK_USER, "Петров Пётр Петрович")
    await both.vk_press(VK_USER, appeal_texts.BUTTON_SKIP)
    await both.vk_press(VK_USER, appeal_texts.BUTTON_CONSENT)
    confirmation = vk.last(VK_USER).text
    assert "зарегистрирован" in confirmation
    number = int(confirmation.split("№")[1].split()[0].strip(".,"))

    await both.say(ADMIN, f"/answer {number} Справка готова, её можно забрать в кабинете 5")
    await confirm_answer(both, ADMIN)
    answers = [c.text for c in vk.sent(VK_USER) if "кабинете 5" in c.text]
    assert len(answers) == 1
    appeals = both.services.appeals
    view = await appeals.get(number)
    assert view is not None and view.channel == "vk" and len(view.attachments) == 1
    assert view.attachments[0].file_id == f"photo{VK_USER}_7"

    await both.say(ADMIN, "/report appeals")
    assert "ВКонтакте: 1 (100 %)" in last_text(both.fake, ADMIN)
    await both.vk_say(VK_USER, "статус")
    assert f"№{number}" in vk.last(VK_USER).text


async def test_a_scheduled_survey_opening_later_is_posted_on_the_vk_wall(
    settings: Settings, fake: FakeTelegram, fake_vk: FakeVk, clock: FakeClock
) -> None:
    with_wall = settings.model_copy(update={"vk_user_token": SecretStr(USER_TOKEN)})
    async with RunningBot(with_wall, fake, clock, vk=fake_vk) as bot:
        await bot.say(ADMIN, "/open_survey csi 28.12.2026")
        assert not fake_vk.of("wall.post")  # scheduled: nothing yet
        clock.set(datetime(2026, 12, 27, 21, 0, tzinfo=UTC))  # 28.12 00:00 in Moscow
        assert "1:invite" in await bot.services.jobs.run_due()
        (post,) = fake_vk.of("wall.post")
        assert post.params["message"].endswith(VK_LINK)
        assert any("опубликовано" in c.text and VK_LINK in c.text for c in fake.sent(ADMIN))
        await bot.services.jobs.run_due()
        assert len(fake_vk.of("wall.post")) == 1
