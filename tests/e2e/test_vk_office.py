"""A body without Telegram (BOT_TOKEN unset): admins and staff work on VK.

The real VK adapter against the fake VK API: an admin opens a survey and gets the report with
its charts uploaded as message photos and the export as a message document; a VK appeal is
answered in the VK staff conversation through the preview, and a colleague's chatter there
never reaches the citizen; the scheduler closes a window and reports once to the VK admin.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.config import Settings
from bot.core.ports import Person
from bot.devtools.fake_vk import FakeVk
from bot.devtools.harness import RunningBot
from bot.texts import admin as admin_texts
from bot.texts import appeals as appeal_texts
from bot.texts import employee as employee_texts
from bot.texts.common import plain_text
from tests.e2e.test_vk import complete_csi_vk
from tests.support.appeals import file_appeal
from tests.support.clock import FakeClock

VK_ADMIN = 900
COLLEAGUE = 901
CITIZENS = (501, 502, 503, 504, 505)
STAFF_PEER = 2_000_000_001


@pytest.fixture
def vk_only(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "bot_token": None,
            "admin_ids": frozenset(),
            "admins": frozenset(),
            "vk_staff_chat_id": STAFF_PEER,
        }
    )


@pytest.fixture
async def office(vk_only: Settings, fake_vk: FakeVk, clock: FakeClock) -> AsyncIterator[RunningBot]:
    with_admin = vk_only.model_copy(update={"admins": frozenset({Person("vk", VK_ADMIN)})})
    async with RunningBot(with_admin, None, clock, vk=fake_vk) as bot:
        yield bot


def texts_to(fake: FakeVk, peer: int) -> list[str]:
    return [c.text for c in fake.sent(peer)]


async def test_vk_admin_opens_reports_with_charts_and_exports(
    office: RunningBot, fake_vk: FakeVk
) -> None:
    assert office.bot is None  # no Telegram at all
    await office.vk_say(VK_ADMIN, "/open_survey CSI")  # names are case-insensitive
    opened = "\n".join(texts_to(fake_vk, VK_ADMIN))
    assert "Окно №1" in opened and "https://vk.me/feedback_test_community?ref=csi" in opened
    await office.vk_say(CITIZENS[0], "/open_survey csi")
    assert fake_vk.last(CITIZENS[0]).text == admin_texts.NOT_ADMIN
    for user in CITIZENS:
        await complete_csi_vk(office, user, 9, 8)

    fake_vk.uploads.clear()
    await office.vk_say(VK_ADMIN, "/report 1")
    assert any("CSI" in t for t in texts_to(fake_vk, VK_ADMIN))
    photos = [u for u in fake_vk.uploads if u[0] == "photo"]
    assert photos and all(
        name.endswith(".png") and data[:4] == b"\x89PNG" for _, name, data in photos
    )
    album = [c for c in fake_vk.sent(VK_ADMIN) if c.attachment.startswith("photo")]
    assert album and len(album[0].attachment.split(",")) == min(len(photos), 10)
    saved = fake_vk.of("photos.saveMessagesPhoto")
    assert len(saved) == len(photos) and {"server", "photo", "hash"} <= set(saved[0].params)

    await office.vk_say(VK_ADMIN, "/export 1")
    (doc_upload,) = [u for u in fake_vk.uploads if u[0] == "doc"]
    assert doc_upload[1].endswith(".xlsx") and doc_upload[2][:2] == b"PK"
    assert fake_vk.last(VK_ADMIN).attachment.startswith("doc")
    assert fake_vk.of("docs.getMessagesUploadServer")[0].params["type"] == "doc"

    await office.vk_say(VK_ADMIN, "/close_survey 1")
    assert admin_texts.BUTTON_CONFIRM_CLOSE in fake_vk.last(VK_ADMIN).labels
    await office.vk_press(VK_ADMIN, admin_texts.BUTTON_CONFIRM_CLOSE)
    said = texts_to(fake_vk, VK_ADMIN)
    closed = said.index(admin_texts.window_closed(1, len(CITIZENS)))
    assert any(t.startswith("Опрос завершён") for t in said[closed + 1 :]), said[closed:]


async def test_vk_appeal_answered_in_vk_staff_chat_after_preview(
    office: RunningBot, fake_vk: FakeVk
) -> None:
    await office.vk_say(VK_ADMIN, f"/staff add vk:{COLLEAGUE} Петров П.П., специалист")
    assert "Петров П.П., специалист" in fake_vk.last(VK_ADMIN).text
    citizen = CITIZENS[0]
    number = await file_appeal(office, citizen, on="vk", name="Сидорова Анна Петровна")
    (card,) = [c for c in fake_vk.sent(STAFF_PEER) if f"№{number}" in c.text]
    assert appeal_texts.BUTTON_ANSWER in card.labels and "peer_ids" in card.params
    before = len(fake_vk.sent(citizen))

    # Chatter in the staff conversation, with or without a reply to the card, is not sent.
    await office.vk_say(
        COLLEAGUE, "Коллеги, кто возьмёт? Я в отпуске до пятницы", peer_id=STAFF_PEER
    )
    await office.vk_say(COLLEAGUE, "Я в отпуске до пятницы", peer_id=STAFF_PEER, reply_to=card)
    preview = fake_vk.last(STAFF_PEER)
    assert "Проверьте ответ" in preview.text and appeal_texts.BUTTON_SEND in preview.labels
    await office.vk_press(COLLEAGUE, appeal_texts.BUTTON_ABORT, peer_id=STAFF_PEER)
    assert len(fake_vk.sent(citizen)) == before

    await office.vk_say(
        COLLEAGUE, "Справку выдают в кабинете 5.", peer_id=STAFF_PEER, reply_to=card
    )
    assert len(fake_vk.sent(citizen)) == before
    await office.vk_press(COLLEAGUE, appeal_texts.BUTTON_SEND, peer_id=STAFF_PEER)
    answer = fake_vk.last(citizen).text
    assert "кабинете 5" in answer and "Петров П.П., специалист" in answer
    assert len(fake_vk.sent(citizen)) == before + 1
    view = await office.services.appeals.get(number)
    assert view.state == "answered" and view.executor == "Петров П.П., специалист"


async def test_scheduler_closes_a_window_and_reports_once_to_the_vk_admin(
    office: RunningBot, fake_vk: FakeVk, clock: FakeClock
) -> None:
    await office.vk_say(VK_ADMIN, "/open_survey csi")
    for user in CITIZENS:
        await complete_csi_vk(office, user, 9, 8)
    fake_vk.calls.clear()
    clock.set(datetime(2027, 1, 20, 9, 0, tzinfo=UTC))  # long after the 10 working days
    jobs = office.services.jobs
    performed = await jobs.run_due()
    assert "1:report" in performed
    assert "1:report" not in await jobs.run_due()
    reports = [t for t in texts_to(fake_vk, VK_ADMIN) if "Опрос завершён" in t]
    assert len(reports) == 1
    assert [c for c in fake_vk.sent(VK_ADMIN) if c.attachment.startswith("photo")]
    window = await office.services.windows.get(1)
    assert window is not None and window.closed_at is not None


async def test_vk_employee_admitted_by_the_work_conversation(
    vk_only: Settings, fake_vk: FakeVk, clock: FakeClock
) -> None:
    work_peer, employee, stranger = 2_000_000_002, 610, 611
    settings = vk_only.model_copy(
        update={"admins": frozenset({Person("vk", VK_ADMIN)}), "vk_employee_chat_id": work_peer}
    )
    fake_vk.conversation_members[work_peer] = {employee}
    async with RunningBot(settings, None, clock, vk=fake_vk) as bot:
        await bot.vk_say(VK_ADMIN, "/open_survey employee")
        await bot.vk_say(stranger, ref="employee")
        assert fake_vk.last(stranger).text == plain_text(employee_texts.NOT_EMPLOYEE)
        await bot.vk_say(employee, ref="employee")
        assert any("Вопрос 1 из" in t for t in texts_to(fake_vk, employee))
        (check, *_) = fake_vk.of("messages.getConversationMembers")
        assert check.params["peer_id"] == str(work_peer)
