"""The MAX adapter end to end: the real bot with the fake Bot API and the fake MAX API over HTTP.

MAX users take the same CSI survey and file the same appeals as Telegram and VK users through
the same `CitizenChat`; these tests drive it with callback buttons, typed text, deep links
(`bot_started` payloads) and photos, break the MAX API on purpose (429, 503, attachment not
ready, lost answers, broken long polls) and check what reached the person, and how often.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.__main__ import run_polling
from bot.body import UNNAMED_BODY
from bot.config import Settings
from bot.core.ports import Button, Delivery, Person, Reply
from bot.db.models import SurveyPendingResponse, SurveyResponse
from bot.devtools.fake_max import BOT_USERNAME, TEXT_LIMIT, FakeMax
from bot.devtools.fake_telegram import FakeTelegram
from bot.devtools.harness import RunningBot
from bot.handlers.max import MaxSetupError
from bot.texts import appeals as appeal_texts
from bot.texts import logs
from bot.texts import schedule as survey_texts
from bot.texts import survey as texts
from tests.support.appeals import confirm_answer
from tests.support.clock import FakeClock
from tests.support.csi_answers import last_text
from tests.support.database import ADMIN
from tests.support.waits import CEILING, STARTUP_CEILING, wait_until

MAX_USER = 700
CRITERIA = 10
MAX_LINK = f"https://max.ru/{BOT_USERNAME}?start=csi"


@pytest.fixture
async def both(
    settings: Settings, fake: FakeTelegram, fake_max: FakeMax, clock: FakeClock
) -> AsyncIterator[RunningBot]:
    """Telegram and MAX served by one process, as `python -m bot run` with both tokens."""
    async with RunningBot(settings, fake, clock, max_fake=fake_max) as bot:
        yield bot


async def open_csi(bot: RunningBot) -> None:
    await bot.say(ADMIN, "/open_survey csi")
    assert any("Окно №" in c.text for c in bot.fake.sent(ADMIN))


async def responses(bot: RunningBot) -> int:
    async with bot.services.sessionmaker() as session:
        total = 0
        for model in (SurveyResponse, SurveyPendingResponse):  # released or held back
            total += int(await session.scalar(select(func.count()).select_from(model)) or 0)
        return total


async def test_max_user_completes_survey_from_a_deep_link(both: RunningBot) -> None:
    await open_csi(both)
    server = both.max_server
    await both.max_start(MAX_USER, "csi")
    intro, first = server.sent(MAX_USER)[-2:]
    assert "анонимн" in intro.text and "Вопрос 1 из" in first.text
    assert first.body["format"] == "html" and "<b>" in first.text  # MAX renders HTML
    assert first.labels[:10] == [str(n) for n in range(1, 11)]
    assert all(len(row) <= 7 for row in first.buttons)

    await both.max_press(MAX_USER, "8")
    assert "Вопрос 2 из" in server.last(MAX_USER).text
    await both.max_press(MAX_USER, texts.BACK)
    assert "Вопрос 1 из" in server.last(MAX_USER).text
    for _ in range(CRITERIA):
        await both.max_press(MAX_USER, "8")
        await both.max_press(MAX_USER, "9")
    await both.max_press(MAX_USER, "Не пользуюсь")
    for _ in range(3):
        await both.max_press(MAX_USER, texts.NOT_APPLICABLE)
    await both.max_say(MAX_USER, "Больше парковочных мест")
    assert server.last(MAX_USER).text == texts.SURVEY_DONE
    assert await responses(both) == 1


async def test_typed_words_and_commands_mean_the_same_as_on_vk(both: RunningBot) -> None:
    server = both.max_server
    await both.max_start(MAX_USER)
    assert server.last(MAX_USER).text == texts.welcome_nothing_open(UNNAMED_BODY)
    await both.max_say(MAX_USER, "обращение")
    assert "Жалоба" in server.last(MAX_USER).labels
    await both.max_say(MAX_USER, "отмена")
    assert server.last(MAX_USER).text == appeal_texts.INTAKE_CANCELLED
    await both.max_say(MAX_USER, None, attachments=[{"type": "sticker", "payload": {}}])
    assert server.last(MAX_USER).text == texts.UNKNOWN_INPUT


async def test_group_chats_and_bots_are_ignored(both: RunningBot) -> None:
    await both.max_say(MAX_USER, "начать", chat_id=-70801090403050)
    assert not both.max_server.messages


async def test_max_id_equal_to_telegram_id_is_another_person(both: RunningBot) -> None:
    await open_csi(both)
    await both.max_start(ADMIN, "csi")
    await both.max_press(ADMIN, "8")
    await both.say(ADMIN, "/start csi")  # Telegram ADMIN starts afresh, MAX ADMIN is untouched
    await both.max_press(ADMIN, "9")
    assert "Вопрос 3 из" in both.max_server.last(ADMIN).text


async def test_appeal_with_a_photo_answered_by_telegram_staff(both: RunningBot) -> None:
    """A MAX citizen files a complaint with a photo; the answer from staff arrives in MAX;
    the appeal counts under the MAX channel and keeps the photo's MAX token."""
    server = both.max_server
    await both.max_say(MAX_USER, "обращение")
    await both.max_press(MAX_USER, "Жалоба")
    await both.max_press(MAX_USER, "Документы и справки")
    await both.max_say(MAX_USER, "Третий месяц не могу получить справку о составе семьи")
    await both.max_press(MAX_USER, appeal_texts.BUTTON_DONE)
    photo = server.image()
    await both.max_say(MAX_USER, None, attachments=[photo])
    await both.max_press(MAX_USER, appeal_texts.BUTTON_DONE)
    await both.max_say(MAX_USER, "Петров Пётр Петрович")
    await both.max_press(MAX_USER, appeal_texts.BUTTON_SKIP)
    await both.max_press(MAX_USER, appeal_texts.BUTTON_CONSENT)
    confirmation = server.last(MAX_USER)
    assert "зарегистрирован" in confirmation.text and confirmation.edits == 1  # edited in place
    number = int(confirmation.text.split("№")[1].split()[0].strip(".,<>/b"))

    await both.say(ADMIN, f"/answer {number} Справка готова, её можно забрать в кабинете 5")
    await confirm_answer(both, ADMIN)  # the answer goes out from its preview
    assert len([m for m in server.sent(MAX_USER) if "кабинете 5" in m.text]) == 1
    view = await both.services.appeals.get(number)
    assert view is not None and view.channel == "max"
    assert [a.file_id for a in view.attachments] == [photo["payload"]["token"]]
    await both.say(ADMIN, "/report appeals")
    assert "MAX: 1 (100 %)" in last_text(both.fake, ADMIN)
    await both.max_say(MAX_USER, "статус")
    assert f"№{number}" in server.last(MAX_USER).text


async def test_a_toast_is_a_notification_of_the_press(both: RunningBot) -> None:
    server = both.max_server
    await both.max_start(MAX_USER)
    await both.max_say(MAX_USER, "обращение")
    stale = server.last(MAX_USER)
    await both.max_say(MAX_USER, "отмена")
    await both.max_press(MAX_USER, "Жалоба", stale)
    assert server.answers[-1]["notification"]


async def test_429_and_503_are_retried_and_the_message_arrives_once(both: RunningBot) -> None:
    server = both.max_server
    server.errors["POST /messages"] = [429, 429]
    await both.max_start(MAX_USER)
    assert [m.text for m in server.sent(MAX_USER)] == [texts.welcome_nothing_open(UNNAMED_BODY)]
    server.errors["POST /messages"] = [503]  # may have been sent: not resent
    await both.max_start(MAX_USER)
    assert len(server.sent(MAX_USER)) == 1


async def test_a_lost_answer_never_sends_the_message_twice(
    both: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    server = both.max_server
    server.lost_answers["POST /messages"] = 1
    with caplog.at_level(logging.ERROR, logger="bot.max"):
        await both.max_start(MAX_USER)
    assert len(server.sent(MAX_USER)) == 1
    assert any(r.msg == logs.MAX_CALL_GAVE_UP and r.args[2] == 1 for r in caplog.records)
    await both.max_start(MAX_USER)  # the bot goes on
    assert len(server.sent(MAX_USER)) == 2


async def test_long_poll_survives_a_broken_server(
    both: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    both.max_server.broken_polls = 2
    with caplog.at_level(logging.WARNING, logger="bot.max"):
        await both.max_start(MAX_USER)
    assert both.max_server.last(MAX_USER).text == texts.welcome_nothing_open(UNNAMED_BODY)


async def test_messenger_sends_long_text_split_and_pictures_by_upload(both: RunningBot) -> None:
    assert both.max is not None
    messenger = both.max.messenger
    long = "\n".join(f"Строка {n} " + "х" * 50 for n in range(150))
    await both.services.messengers.send(
        Person("max", MAX_USER), [Reply(long, [[Button("Да", "x:yes")]])]
    )
    pieces = both.max_server.sent(MAX_USER)
    assert len(pieces) == 3 and all(len(p.text) <= TEXT_LIMIT for p in pieces)
    assert "\n".join(p.text for p in pieces) == long
    assert [p.labels for p in pieces] == [[], [], ["Да"]]

    both.max_server.errors["POST /messages"] = ["attachment.not.ready", "attachment.not.ready"]
    await messenger.send_files(
        {"user_id": MAX_USER}, [("a.png", b"png-a"), ("b.png", b"png-b")], "Графики"
    )
    album = both.max_server.last(MAX_USER)
    assert album.text == "Графики" and len(album.images) == 2
    assert sorted(both.max_server.uploads[t][2] for t in album.images) == [b"png-a", b"png-b"]


async def test_employee_check_by_max_work_chat_membership(
    settings: Settings, fake: FakeTelegram, fake_max: FakeMax, clock: FakeClock
) -> None:
    work_chat = -5001
    fake_max.members[work_chat] = {MAX_USER}
    with_chat = settings.model_copy(update={"max_employee_chat_id": work_chat})
    async with RunningBot(with_chat, fake, clock, max_fake=fake_max) as bot:
        await bot.say(ADMIN, "/open_survey employee")
        await bot.max_start(MAX_USER + 1, "employee")
        refused = fake_max.last(MAX_USER + 1).text
        await bot.max_start(MAX_USER, "employee")
        admitted = fake_max.sent(MAX_USER)
    assert "Вопрос 1 из" not in refused
    assert any("Вопрос 1 из" in m.text for m in admitted)
    assert "GET /chats/members" in fake_max.calls


async def test_opening_a_survey_on_schedule_posts_in_the_max_channel(
    settings: Settings, fake: FakeTelegram, fake_max: FakeMax, clock: FakeClock
) -> None:
    channel = -7002
    with_channel = settings.model_copy(update={"max_channel_id": channel})
    async with RunningBot(with_channel, fake, clock, max_fake=fake_max) as bot:
        await bot.say(ADMIN, "/open_survey csi 28.12.2026")
        assert not fake_max.sent(chat_id=channel)  # scheduled: nothing yet
        clock.set(datetime(2026, 12, 27, 21, 0, tzinfo=UTC))  # 28.12 00:00 in Moscow
        assert "1:invite" in await bot.services.jobs.run_due()
    (post,) = fake_max.sent(chat_id=channel)
    assert "Опрос анонимный" in post.text
    assert post.buttons == [[{"type": "link", "text": survey_texts.START_BUTTON, "url": MAX_LINK}]]


async def test_run_serves_max_alone(settings: Settings, fake_max: FakeMax) -> None:
    max_only = settings.model_copy(
        update={
            "bot_token": None,
            "max_bot_token": SecretStr(fake_max.token),
            "max_api_url": fake_max.base_url,
        }
    )
    running = asyncio.create_task(run_polling(max_only))
    try:
        await wait_until(lambda: fake_max.polls > 0)
        assert fake_max.commands is not None  # the bot menu, set before polling
        await fake_max.push(fake_max.bot_started(MAX_USER))
        await wait_until(lambda: bool(fake_max.sent(MAX_USER)))
        assert fake_max.last(MAX_USER).text == texts.welcome_nothing_open(UNNAMED_BODY)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)


async def test_a_refused_token_stops_the_run(settings: Settings, fake_max: FakeMax) -> None:
    wrong = settings.model_copy(
        update={
            "bot_token": None,
            "max_bot_token": SecretStr("wrong"),
            "max_api_url": fake_max.base_url,
        }
    )
    with pytest.raises(MaxSetupError, match="MAX_BOT_TOKEN"):
        await asyncio.wait_for(run_polling(wrong), CEILING)
    assert fake_max.polls == 0


async def test_a_refused_token_is_one_line_and_exit_2(tmp_path: Path, fake_max: FakeMax) -> None:
    env = {
        **os.environ,
        "MAX_BOT_TOKEN": "wrong",
        "MAX_API_URL": fake_max.base_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "ANON_SECRET": "test-secret-test-secret",
    }
    env.pop("BOT_TOKEN", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), STARTUP_CEILING)
    assert process.returncode == 2
    assert err.decode().strip().startswith("MAX не принял токен")
    assert "\n" not in err.decode().strip()


async def file_max_appeal(bot: RunningBot, user: int, photo: dict | None = None) -> int:  # type: ignore[type-arg]
    await bot.max_say(user, "обращение")
    await bot.max_press(user, "Жалоба")
    await bot.max_press(user, "Документы и справки")
    await bot.max_say(user, "Третий месяц не могу получить справку о составе семьи")
    await bot.max_press(user, appeal_texts.BUTTON_DONE)
    if photo is not None:
        await bot.max_say(user, None, attachments=[photo])
        await bot.max_press(user, appeal_texts.BUTTON_DONE)
    else:
        await bot.max_press(user, appeal_texts.BUTTON_NO_FILES)
    await bot.max_say(user, "Петров Пётр Петрович")
    await bot.max_press(user, appeal_texts.BUTTON_SKIP)
    await bot.max_press(user, appeal_texts.BUTTON_CONSENT)
    text = bot.max_server.last(user).text
    assert "зарегистрирован" in text, text
    return int(text.split("№")[1].split()[0].strip(".,<>/b"))


async def test_a_card_with_the_photo_reaches_the_max_staff_chat(
    settings: Settings, fake: FakeTelegram, fake_max: FakeMax, clock: FakeClock
) -> None:
    staff_chat = -8001
    with_staff = settings.model_copy(update={"max_staff_chat_id": staff_chat})
    async with RunningBot(with_staff, fake, clock, max_fake=fake_max) as bot:
        photo = fake_max.image()
        fake_max.uploads[photo["payload"]["token"]] = ("image", "p.jpg", b"jpg")  # MAX knows it
        number = await file_max_appeal(bot, MAX_USER, photo)
    card, picture = fake_max.sent(chat_id=staff_chat)
    assert f"№{number}" in card.text and "MAX" in card.text and card.labels
    assert picture.images == [photo["payload"]["token"]] and f"№{number}" in picture.text


async def test_an_expired_press_still_gets_its_reply(both: RunningBot) -> None:
    """POST /answers refused (the press is too old): the edit arrives as a new message."""
    server = both.max_server
    await both.max_say(MAX_USER, "обращение")
    server.errors["POST /answers"] = [400]
    await both.max_press(MAX_USER, appeal_texts.BUTTON_CANCEL)
    assert server.last(MAX_USER).text == appeal_texts.INTAKE_CANCELLED
    assert server.last(MAX_USER).edits == 0


async def test_a_person_who_stopped_the_bot_counts_as_blocked(both: RunningBot) -> None:
    assert both.max is not None
    both.max_server.errors["POST /messages"] = [403]
    delivery = await both.max.messenger.deliver(MAX_USER, [Reply("Напоминание")])
    assert delivery is Delivery.BLOCKED
    assert await both.max.messenger.deliver(MAX_USER, [Reply("Напоминание")]) is Delivery.SENT
