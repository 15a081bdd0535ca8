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
from bot.devtools.fake_max import FakeMax, MaxSent
from bot.devtools.fake_vk import FakeVk
from bot.devtools.harness import RunningBot
from bot.texts import appeals as appeal_texts
from bot.texts import survey as texts
from bot.texts.common import plain_text
from tests.support.appeals import file_appeal
from tests.support.clock import FakeClock
from tests.support.waits import wait_until

MAX_ADMIN = 902
MAX_STAFF = 903
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


def the_card(bot: RunningBot, number: int) -> MaxSent:
    """The appeal's card in the MAX staff chat; exactly one was posted."""
    cards = [m for m in bot.max_server.sent(chat_id=STAFF_CHAT) if f"№{number}" in m.text]
    assert len(cards) == 1, [m.text[:60] for m in cards]
    return cards[0]


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
    number = await file_appeal(bot, citizen, on="vk")
    assert "ВКонтакте" in the_card(bot, number).text

    # ...and is answered there: /answer, the preview, «Отправить»; the answer reaches VK once.
    await bot.max_say(MAX_ADMIN, f"/answer {number} Справка готова, кабинет 5", chat_id=STAFF_CHAT)
    await bot.max_press(MAX_ADMIN, appeal_texts.BUTTON_SEND, chat_id=STAFF_CHAT)
    answers = [c.text for c in bot.vk_server.sent(citizen) if "кабинет 5" in c.text]
    assert len(answers) == 1
    view = await bot.services.appeals.get(number)
    assert view is not None and view.state == "answered"


async def test_a_reply_to_the_card_in_the_max_staff_chat_answers_the_vk_citizen(
    no_telegram: RunningBot,
) -> None:
    """MAX ids its messages by strings: the card's `mid` is stored, and a staff member's reply
    to the card starts the answer preview; only «Отправить» sends it, once, signed."""
    bot = no_telegram
    server = bot.max_server
    await bot.max_say(MAX_ADMIN, f"/staff add max:{MAX_STAFF} Иванова А.А., специалист")
    citizen = 602
    number = await file_appeal(bot, citizen, on="vk")
    card = the_card(bot, number)

    answer = "Справку выдают в кабинете 5 по будням"
    await bot.max_say(MAX_STAFF, answer, chat_id=STAFF_CHAT, reply_to=card)
    preview = server.last(chat_id=STAFF_CHAT)
    assert f"№{number}" in preview.text and answer in preview.text
    assert "Иванова А.А., специалист" in preview.text
    assert appeal_texts.BUTTON_SEND in preview.labels
    assert not [m for m in bot.vk_server.sent(citizen) if answer in m.text]  # not yet

    await bot.max_press(MAX_STAFF, appeal_texts.BUTTON_SEND, preview, chat_id=STAFF_CHAT)
    answers = [m.text for m in bot.vk_server.sent(citizen) if answer in m.text]
    assert len(answers) == 1 and "Иванова А.А., специалист" in answers[0]
    view = await bot.services.appeals.get(number)
    assert view.state == "answered" and view.executor == "Иванова А.А., специалист"

    # A reply to a message that is not an appeal's post is the colleagues' own chat.
    chatter = server.last(chat_id=STAFF_CHAT)
    before = len(server.sent(chat_id=STAFF_CHAT))
    await bot.max_say(MAX_STAFF, "Спасибо, коллеги", chat_id=STAFF_CHAT, reply_to=chatter)
    assert len(server.sent(chat_id=STAFF_CHAT)) == before


async def test_report_appeals_in_the_max_staff_chat_text_then_charts(
    no_telegram: RunningBot,
) -> None:
    """The text reaches the chat the command came from before the chart workers draw."""
    bot = no_telegram
    server = bot.max_server
    today = bot.services.clock.now().date()
    for n in range(5):
        await bot.services.appeals.register("phone", "appeal", "other", f"Обращение {n}", today)
    renderer = bot.services.chart_renderer
    draw = renderer.render

    async def after_the_text(specs):  # type: ignore[no-untyped-def]
        await wait_until(lambda: any("Всего поступило: 5" in m.text for m in server.messages))
        return await draw(specs)

    renderer.render = after_the_text  # type: ignore[method-assign]
    before = len(server.sent(chat_id=STAFF_CHAT))
    await bot.max_say(MAX_ADMIN, "/report appeals", chat_id=STAFF_CHAT)
    new = server.sent(chat_id=STAFF_CHAT)[before:]
    assert "Всего поступило: 5" in new[0].text and not new[0].images
    assert [m for m in new[1:] if m.images], [m.text[:40] for m in new]
