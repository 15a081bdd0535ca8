"""A body that may not use Telegram: BOT_TOKEN unset, VK and MAX configured, the whole cycle.

The MAX admin opens a window, citizens answer on VK and on MAX, the window closes on schedule
(FakeClock), the MAX admin gets the report with its charts exactly once, and a VK citizen's
appeal is answered in the MAX staff chat.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from bot.core.ports import Person
from bot.devtools.fake_max import FakeMax
from bot.devtools.fake_vk import FakeVk
from bot.devtools.harness import RunningBot
from bot.texts import appeals as appeal_texts
from bot.texts import survey as texts
from bot.texts.common import plain_text
from tests.support.clock import FakeClock

MAX_ADMIN = 902
STAFF_CHAT = -8001
CRITERIA = 10


@pytest.fixture
async def no_telegram(settings: Settings, clock: FakeClock) -> AsyncIterator[RunningBot]:
    vk, max_fake = FakeVk(), FakeMax()
    await vk.start()
    await max_fake.start()
    configured = settings.model_copy(
        update={
            "admins": frozenset({Person("max", MAX_ADMIN)}),
            "admin_ids": frozenset(),
            "max_staff_chat_id": STAFF_CHAT,
        }
    )
    try:
        async with RunningBot(configured, None, clock, vk=vk, max_fake=max_fake) as bot:
            yield bot
    finally:
        await vk.stop()
        await max_fake.stop()


async def csi_on_vk(bot: RunningBot, user: int) -> None:
    await bot.vk_say(user, ref="csi")
    for _ in range(CRITERIA):
        await bot.vk_press(user, "8")
        await bot.vk_press(user, "9")
    await bot.vk_press(user, "Не пользуюсь")
    for _ in range(3):
        await bot.vk_press(user, texts.NOT_APPLICABLE)
    await bot.vk_press(user, texts.SKIP)
    assert bot.vk_server.last(user).text == plain_text(texts.SURVEY_DONE)


async def csi_on_max(bot: RunningBot, user: int) -> None:
    await bot.max_start(user, "csi")
    for _ in range(CRITERIA):
        await bot.max_press(user, "7")
        await bot.max_press(user, "10")
    await bot.max_press(user, "Не пользуюсь")
    for _ in range(3):
        await bot.max_press(user, texts.NOT_APPLICABLE)
    await bot.max_press(user, texts.SKIP)
    assert bot.max_server.last(user).text == texts.SURVEY_DONE


async def test_vk_and_max_run_the_whole_cycle(no_telegram: RunningBot, clock: FakeClock) -> None:
    bot = no_telegram
    server = bot.max_server
    assert not bot.settings.telegram_enabled

    await bot.max_say(MAX_ADMIN, "/open_survey csi")
    assert any("Окно №1" in m.text for m in server.sent(MAX_ADMIN))
    for user in (501, 502, 503):
        await csi_on_vk(bot, user)
    for user in (701, 702):
        await csi_on_max(bot, user)

    sent_before = len(server.sent(MAX_ADMIN))
    clock.advance(days=60)  # far past the window's last working day
    performed = await bot.services.jobs.run_due()
    assert "1:report" in performed
    again = await bot.services.jobs.run_due()  # a second tick, as after a restart
    assert "1:report" not in again
    new = server.sent(MAX_ADMIN)[sent_before:]
    reports = [m for m in new if m.text.startswith("Опрос завершён")]
    assert len(reports) == 1, [m.text[:80] for m in new]
    assert "Не пользуюсь: 5 (100 %)" in reports[0].text  # VK and MAX answers, one report
    charts = [token for m in new for token in m.images]
    assert charts and all(server.uploads[t][2].startswith(b"\x89PNG") for t in charts)

    # A VK citizen's appeal: the card goes to the MAX staff chat.
    citizen = 601
    await bot.vk_say(citizen, "обращение")
    await bot.vk_press(citizen, "Обращение")
    await bot.vk_press(citizen, "Документы и справки")
    await bot.vk_say(citizen, "Прошу разъяснить порядок получения справки о составе семьи")
    await bot.vk_press(citizen, appeal_texts.BUTTON_DONE)
    await bot.vk_press(citizen, appeal_texts.BUTTON_NO_FILES)
    await bot.vk_say(citizen, "Петров Пётр Петрович")
    await bot.vk_press(citizen, appeal_texts.BUTTON_SKIP)
    await bot.vk_press(citizen, appeal_texts.BUTTON_CONSENT)
    confirmation = bot.vk_server.last(citizen).text
    number = int(confirmation.split("№")[1].split()[0].strip(".,"))
    cards = [m for m in server.sent(chat_id=STAFF_CHAT) if f"№{number}" in m.text]
    assert len(cards) == 1 and "ВКонтакте" in cards[0].text

    # ...and is answered there: /answer, the preview, «Отправить»; the answer reaches VK once.
    await bot.max_say(MAX_ADMIN, f"/answer {number} Справка готова, кабинет 5", chat_id=STAFF_CHAT)
    await bot.max_press(MAX_ADMIN, appeal_texts.BUTTON_SEND, chat_id=STAFF_CHAT)
    answers = [c.text for c in bot.vk_server.sent(citizen) if "кабинет 5" in c.text]
    assert len(answers) == 1
    view = await bot.services.appeals.get(number)
    assert view is not None and view.state == "answered"
