"""The body speaks in its own name, lawfully: greeting, consent (152-FZ art. 9), /privacy,
/forget, the formal appeal route (547-FZ) and /formal, on Telegram and VK end to end."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.config import Settings
from bot.core.ports import Person
from bot.db.models import Appeal, AppealContact
from bot.devtools.fake_telegram import FakeTelegram
from bot.devtools.fake_vk import FakeVk
from bot.devtools.harness import RunningBot
from bot.texts import appeals as texts
from bot.texts import schedule as schedule_texts
from tests.support.appeals import confirm_answer, file_appeal
from tests.support.clock import FakeClock
from tests.support.database import ADMIN

CITIZEN = 500
VK_USER = 600
NAME = "Управление по делам архивов Энской области"
SHORT = "Энскархив"
ADDRESS = "163000, г. Энск, ул. Ленина, д. 1"
FORMAL_URL = "https://pos.gosuslugi.ru/form/?opaId=12345"


@pytest.fixture
def body_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "body_name": NAME,
            "body_short_name": SHORT,
            "body_address": ADDRESS,
            "body_site": "https://archive.example.ru",
            "formal_appeal_url": FORMAL_URL,
            "appeal_retention_years": 3,
        }
    )


@pytest.fixture
async def both(
    body_settings: Settings, fake: FakeTelegram, fake_vk: FakeVk, clock: FakeClock
) -> AsyncIterator[RunningBot]:
    async with RunningBot(body_settings, fake, clock, vk=fake_vk) as bot:
        yield bot


def assert_consent(text: str) -> None:
    for part in (NAME, ADDRESS, "3 года", "/forget", "Цель", "Данные"):
        assert part in text, (part, text)


async def test_telegram_greeting_intake_and_consent_name_the_body(both: RunningBot) -> None:
    await both.say(CITIZEN, "/start")
    assert SHORT in both.fake.last(CITIZEN).text
    await both.say(CITIZEN, "/appeal")
    first = both.fake.last(CITIZEN)
    assert NAME in first.text and "30 дней" in first.text
    assert first.button("Подать официальное обращение")["url"] == FORMAL_URL
    await both.press(CITIZEN, "Обращение")
    await both.press(CITIZEN, "Документы и справки")
    await both.say(CITIZEN, "Когда будет готова справка о стаже?")
    await both.press(CITIZEN, texts.BUTTON_DONE)
    await both.press(CITIZEN, texts.BUTTON_NO_FILES)
    ask_name = both.fake.last(CITIZEN).text
    assert "59-ФЗ" not in ask_name and "не рассматривается" not in ask_name
    await both.say(CITIZEN, "Иванова Мария")
    await both.press(CITIZEN, texts.BUTTON_SKIP)
    assert_consent(both.fake.last(CITIZEN).text)
    await both.say(CITIZEN, "/privacy")
    assert_consent(both.fake.last(CITIZEN).text)


async def test_vk_intake_offers_formal_route_and_privacy(both: RunningBot) -> None:
    vk = both.vk_server
    await both.vk_say(VK_USER, "начать")
    assert SHORT in vk.last(VK_USER).text
    await both.vk_say(VK_USER, "обращение")
    first = vk.last(VK_USER)
    assert NAME in first.text
    links = [b["action"] for row in first.buttons for b in row if b["action"]["type"] != "callback"]
    assert links == [
        {"type": "open_link", "link": FORMAL_URL, "label": "Подать официальное обращение"}
    ]
    await both.vk_say(VK_USER, "отмена")
    await both.vk_say(VK_USER, "/privacy")
    assert_consent(vk.last(VK_USER).text)


async def test_forget_anonymises_finished_appeals_like_the_purge(both: RunningBot) -> None:
    closed = await file_appeal(both, CITIZEN, name="Петров Пётр", email="petrov@mail.ru")
    still_open = await file_appeal(both, CITIZEN, name=None)
    await both.say(ADMIN, f"/answer {closed} Справка готова")
    await confirm_answer(both, ADMIN)
    await both.press(CITIZEN, "5")  # the rating closes it
    other = await file_appeal(both, CITIZEN + 1, name="Сидоров Сидор")
    await both.say(ADMIN, f"/answer {other} Готово")
    await confirm_answer(both, ADMIN)
    await both.press(CITIZEN + 1, "4")

    await both.say(CITIZEN, "/forget")
    reply = both.fake.last(CITIZEN).text
    assert "обезличены: 1" in reply and "на рассмотрении: 1" in reply
    async with both.services.sessionmaker() as session:
        rows = {a.number: a for a in await session.scalars(select(Appeal))}
        contacts = {c.person_key for c in await session.scalars(select(AppealContact))}
    assert rows[closed].name is None and rows[closed].email is None
    assert rows[closed].text == texts.PURGED and rows[closed].user_id is None
    assert rows[closed].purged_at is not None and rows[closed].rating == 5
    assert rows[still_open].name == "Петров Пётр"  # still being considered
    assert rows[other].name == "Сидоров Сидор"  # somebody else's
    assert contacts == {Person("tg", CITIZEN + 1).key}


async def test_vk_forget(both: RunningBot) -> None:
    await file_appeal(
        both, VK_USER, on="vk", name="Орлова Ольга", text="Прошу выдать архивную справку о стаже"
    )
    await both.vk_say(VK_USER, "/forget")
    assert "Согласие отозвано" in both.vk_server.last(VK_USER).text
    assert await both.services.appeals.contact(Person("vk", VK_USER)) is None


async def test_staff_record_formal_registration(both: RunningBot) -> None:
    number = await file_appeal(both, CITIZEN)
    await both.say(ADMIN, f"/formal {number} 01-12/345")
    assert both.fake.last(ADMIN).text == texts.FORMAL_USAGE
    await both.say(ADMIN, f"/formal {number} 01-12/345 31.12.2026")
    assert both.fake.last(ADMIN).text == texts.REGISTER_FUTURE_DATE
    await both.say(ADMIN, f"/formal {number} 01-12/345 23.12.2026")
    assert "№ 01-12/345 от 23.12.2026" in both.fake.last(ADMIN).text
    view = await both.services.appeals.get(number)
    card = texts.staff_card(view, "Документы", both.services.settings.tz)
    assert "Зарегистрировано официально: № 01-12/345 от 23.12.2026" in card
    await both.say(CITIZEN, f"/formal {number} 1 23.12.2026")
    assert both.fake.last(CITIZEN).text == texts.NOT_STAFF

    both.fake.clear()
    await both.say(ADMIN, "/export appeals 2026Q4")
    (document,) = [c for c in both.fake.sent(ADMIN) if c.method == "sendDocument"]
    book = load_workbook(BytesIO(document.attachment(document.params["document"])[1]))
    header, first = list(book["Реестр обращений"].iter_rows(values_only=True))[:2]
    row = dict(zip(header, first, strict=True))
    assert row["Рег. № по 59-ФЗ"] == "01-12/345"
    assert row["Дата регистрации по 59-ФЗ"].date() == date(2026, 12, 23)


def test_mass_posts_name_the_body_in_lowercase_you() -> None:
    post = schedule_texts.invitation("Оценка качества", "external", date(2026, 12, 31), SHORT)
    assert SHORT in post and "вас" in post and "Вас" not in post
