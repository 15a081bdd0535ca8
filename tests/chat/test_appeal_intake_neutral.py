"""The appeal dialog without any messenger: what the VK adapter will drive, as a VK person."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import Services, build_services
from bot.appeals.model import Attachment
from bot.config import Settings
from bot.core.ports import Outcome, Person, Reply
from bot.db.models import Appeal
from bot.texts import appeals as texts
from tests.support.clock import FakeClock

VK_PERSON = Person("vk", 77)


class RecordingMessenger:
    platform = "vk"

    def __init__(self) -> None:
        self.sent: list[tuple[int, Reply]] = []

    async def send(self, user_id: int, replies: list[Reply]) -> None:
        self.sent += [(user_id, r) for r in replies]


@pytest.fixture
async def services(settings: Settings, clock: FakeClock) -> AsyncIterator[Services]:
    built = build_services(settings, clock)
    yield built
    await built.close()


def action_of(outcome: Outcome, label: str) -> str:
    for reply in outcome.replies:
        for row in reply.buttons:
            for button in row:
                if button.label == label:
                    return button.action
    raise LookupError(label)


async def test_vk_person_files_and_gets_answer_on_vk(services: Services) -> None:
    vk = RecordingMessenger()
    services.messengers.register(vk)
    chat = services.chat

    shown = await chat.start(VK_PERSON, "appeal")
    shown = await chat.action(VK_PERSON, action_of(shown, "Жалоба"))
    shown = await chat.action(VK_PERSON, action_of(shown, "Сайт и электронные сервисы"))
    shown = await chat.text(VK_PERSON, "Форма записи на сайте не работает")
    shown = await chat.action(VK_PERSON, action_of(shown, texts.BUTTON_DONE))
    shown = await chat.text(VK_PERSON, None, [Attachment("vk", "photo", "photo-1_456", 1000)])
    assert shown.replies[0].text == texts.file_received(1, 5)
    shown = await chat.action(VK_PERSON, action_of(shown, texts.BUTTON_DONE))
    shown = await chat.text(VK_PERSON, "Сидорова Анна")
    shown = await chat.action(VK_PERSON, action_of(shown, texts.BUTTON_SKIP))
    shown = await chat.action(VK_PERSON, action_of(shown, texts.BUTTON_CONSENT))
    assert "№1" in shown.replies[0].text

    view = await services.appeals.get(1)
    assert (view.channel, view.person, view.attachments) == (
        "vk",
        VK_PERSON,
        [Attachment("vk", "photo", "photo-1_456")],
    )
    await services.appeals.answer(1, staff_id=1, text="Форма исправлена.")
    user_id, answer = vk.sent[-1]
    assert user_id == 77 and "Форма исправлена" in answer.text
    rating = next(b.action for row in answer.buttons for b in row if b.label == "5")
    assert (await chat.action(VK_PERSON, rating)).toast == texts.RATED
    async with services.sessionmaker() as session:
        row = await session.get(Appeal, 1)
        assert row is not None and (row.rating, row.state) == (5, "closed")
    # A Telegram account with the same number is another person.
    assert (await chat.status(Person("tg", 77), None)).replies[0].text == texts.NO_APPEALS
