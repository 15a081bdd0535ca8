"""The same conversations on Telegram, VK and MAX: one suite, parametrised over the fakes.

Each messenger is driven through a small driver (start with a deep-link payload, type, press a
button, send a photo, read what came back), so a test reads the same for every messenger and
a behaviour that differs between them shows up as a failure of one parameter. Admins are named
per messenger (`ADMINS=tg:..,vk:..,max:..`). Staff answer appeals from the Telegram staff
chat here; a deployment without Telegram is in test_without_telegram.py.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator
from io import BytesIO
from typing import Protocol

import pytest
from openpyxl import load_workbook

from bot.config import Settings
from bot.core.ports import Person
from bot.devtools.fake_max import FakeMax
from bot.devtools.fake_telegram import FakeTelegram
from bot.devtools.fake_vk import FakeVk
from bot.devtools.harness import RunningBot
from bot.texts import appeals as appeal_texts
from bot.texts import survey as texts
from bot.texts.common import plain_text
from tests.support.appeals import confirm_answer, photo
from tests.support.clock import FakeClock
from tests.support.database import ADMIN

CRITERIA = 10
ADMINS = {"tg": ADMIN, "vk": 901, "max": 902}
TG_WORK_CHAT, MAX_WORK_CHAT, VK_WORK_PEER = -100777, -7777, 2_000_000_077
_photo_ids = itertools.count(1)


class Driver(Protocol):
    platform: str
    admin: int

    async def start(self, user: int, payload: str | None = None) -> None: ...
    async def say(self, user: int, text: str) -> None: ...
    async def press(self, user: int, label: str) -> None: ...
    async def photo(self, user: int) -> str:
        """Send a photo; returns the id the bot should store for it."""
        ...

    def texts(self, user: int) -> list[str]:
        """Plain texts of every message to the user, oldest first."""
        ...

    def pictures(self, user: int) -> list[bytes]: ...
    def documents(self, user: int) -> list[tuple[str, bytes]]: ...
    def join_work_chat(self, user: int) -> None:
        """Make the user a member of the employees' work chat on this messenger."""
        ...


class TelegramDriver:
    platform = "tg"
    admin = ADMINS["tg"]

    def __init__(self, bot: RunningBot) -> None:
        self.bot = bot

    async def start(self, user: int, payload: str | None = None) -> None:
        await self.bot.say(user, f"/start {payload}" if payload else "/start")

    async def say(self, user: int, text: str) -> None:
        await self.bot.say(user, text)

    async def press(self, user: int, label: str) -> None:
        await self.bot.press(user, label)

    async def photo(self, user: int) -> str:
        file_id = f"AgACphoto{next(_photo_ids)}"
        await self.bot.say(user, **photo(file_id))
        return file_id

    def texts(self, user: int) -> list[str]:
        return [
            plain_text(c.text) for c in self.bot.fake.sent(user) if c.method != "sendMediaGroup"
        ]

    def pictures(self, user: int) -> list[bytes]:
        return [
            c.attachment(m["media"])[1]
            for c in self.bot.fake.sent(user)
            if c.method == "sendMediaGroup"
            for m in c.params["media"]
        ]

    def documents(self, user: int) -> list[tuple[str, bytes]]:
        return [
            c.attachment(c.params["document"])
            for c in self.bot.fake.sent(user)
            if c.method == "sendDocument"
        ]

    def join_work_chat(self, user: int) -> None:
        self.bot.fake.chat_members[(TG_WORK_CHAT, user)] = "member"


class VkDriver:
    platform = "vk"
    admin = ADMINS["vk"]

    def __init__(self, bot: RunningBot) -> None:
        self.bot = bot

    async def start(self, user: int, payload: str | None = None) -> None:
        await self.bot.vk_say(user, ref=payload) if payload else await self.bot.vk_say(
            user, "начать"
        )

    async def say(self, user: int, text: str) -> None:
        await self.bot.vk_say(user, text)

    async def press(self, user: int, label: str) -> None:
        await self.bot.vk_press(user, label)

    async def photo(self, user: int) -> str:
        photo_id = next(_photo_ids)
        await self.bot.vk_say(
            user, "", attachments=[{"type": "photo", "photo": {"id": photo_id, "owner_id": user}}]
        )
        return f"photo{user}_{photo_id}"

    def texts(self, user: int) -> list[str]:
        return [c.text for c in self.bot.vk_server.sent(user)]

    def pictures(self, user: int) -> list[bytes]:
        """Message photos the bot uploaded (only the admin gets pictures in these tests)."""
        return [data for kind, _, data in self.bot.vk_server.uploads if kind == "photo"]

    def documents(self, user: int) -> list[tuple[str, bytes]]:
        return [(name, data) for kind, name, data in self.bot.vk_server.uploads if kind == "doc"]

    def join_work_chat(self, user: int) -> None:
        self.bot.vk_server.conversation_members.setdefault(VK_WORK_PEER, set()).add(user)


class MaxDriver:
    platform = "max"
    admin = ADMINS["max"]

    def __init__(self, bot: RunningBot) -> None:
        self.bot = bot

    async def start(self, user: int, payload: str | None = None) -> None:
        await self.bot.max_start(user, payload)

    async def say(self, user: int, text: str) -> None:
        await self.bot.max_say(user, text)

    async def press(self, user: int, label: str) -> None:
        await self.bot.max_press(user, label)

    async def photo(self, user: int) -> str:
        image = self.bot.max_server.image()
        await self.bot.max_say(user, None, attachments=[image])
        return str(image["payload"]["token"])

    def texts(self, user: int) -> list[str]:
        sent = sorted(self.bot.max_server.sent(user), key=lambda m: m.order)
        return [plain_text(m.text) for m in sent if m.text]

    def pictures(self, user: int) -> list[bytes]:
        server = self.bot.max_server
        return [server.uploads[t][2] for m in server.sent(user) for t in m.images]

    def documents(self, user: int) -> list[tuple[str, bytes]]:
        server = self.bot.max_server
        return [server.uploads[t][1:] for m in server.sent(user) for t in m.files]

    def join_work_chat(self, user: int) -> None:
        self.bot.max_server.members.setdefault(MAX_WORK_CHAT, set()).add(user)


DRIVERS = {"tg": TelegramDriver, "vk": VkDriver, "max": MaxDriver}


@pytest.fixture(params=["tg", "vk", "max"])
async def messenger(
    request: pytest.FixtureRequest, settings: Settings, fake: FakeTelegram, clock: FakeClock
) -> AsyncIterator[Driver]:
    """The bot with Telegram, VK and MAX at once; the driver of the messenger under test."""
    vk, max_fake = FakeVk(), FakeMax()
    await vk.start()
    await max_fake.start()
    # As ADMINS=tg:1,vk:901,max:902 in .env.
    configured = settings.model_copy(
        update={
            "admins": frozenset(Person(p, u) for p, u in ADMINS.items()),
            "tg_employee_chat_id": str(TG_WORK_CHAT),
            "max_employee_chat_id": MAX_WORK_CHAT,
            "vk_employee_chat_id": VK_WORK_PEER,
        }
    )
    try:
        async with RunningBot(configured, fake, clock, vk=vk, max_fake=max_fake) as bot:
            yield DRIVERS[request.param](bot)
    finally:
        await vk.stop()
        await max_fake.stop()


def last(driver: Driver, user: int) -> str:
    texts_sent = driver.texts(user)
    assert texts_sent, f"nothing was sent to {driver.platform} user {user}"
    return texts_sent[-1]


async def complete_csi(driver: Driver, user: int, score: int = 8) -> None:
    await driver.start(user, "csi")
    for _ in range(CRITERIA):
        await driver.press(user, str(score))
        await driver.press(user, str(score + 1))
    await driver.press(user, "Не пользуюсь")
    for _ in range(3):
        await driver.press(user, texts.NOT_APPLICABLE)
    await driver.press(user, texts.SKIP)
    assert last(driver, user) == plain_text(texts.SURVEY_DONE)


async def test_admin_opens_citizens_answer_admin_reads_report_and_export(
    messenger: Driver,
) -> None:
    admin = messenger.admin
    await messenger.say(admin, "/open_survey csi")
    assert any("Окно №1" in t for t in messenger.texts(admin))
    for n in range(5):
        await complete_csi(messenger, 1000 + n)

    await messenger.say(admin, "/report 1")
    report = "\n".join(messenger.texts(admin))
    assert "Респондентов: 5" in report or "5 респондент" in report, report[-600:]
    pictures = messenger.pictures(admin)
    assert pictures and all(p.startswith(b"\x89PNG") for p in pictures)

    await messenger.say(admin, "/export 1")
    ((name, data),) = messenger.documents(admin)
    assert name.endswith(".xlsx")
    assert load_workbook(BytesIO(data)).sheetnames


async def test_citizen_appeal_with_a_photo_is_answered_by_staff(messenger: Driver) -> None:
    citizen = 2000
    await messenger.say(citizen, "/appeal")
    await messenger.press(citizen, "Жалоба")
    await messenger.press(citizen, "Документы и справки")
    await messenger.say(citizen, "Третий месяц не могу получить справку о составе семьи")
    await messenger.press(citizen, appeal_texts.BUTTON_DONE)
    file_id = await messenger.photo(citizen)
    await messenger.press(citizen, appeal_texts.BUTTON_DONE)
    await messenger.say(citizen, "Петров Пётр Петрович")
    await messenger.press(citizen, appeal_texts.BUTTON_SKIP)
    await messenger.press(citizen, appeal_texts.BUTTON_CONSENT)
    confirmation = last(messenger, citizen)
    assert "зарегистрирован" in confirmation
    number = int(confirmation.split("№")[1].split()[0].strip(".,"))

    bot: RunningBot = messenger.bot  # type: ignore[attr-defined]
    await bot.say(ADMIN, f"/answer {number} Справка готова, её можно забрать в кабинете 5")
    assert not any("кабинете 5" in t for t in messenger.texts(citizen))  # a preview first
    await confirm_answer(bot, ADMIN)
    assert sum("кабинете 5" in t for t in messenger.texts(citizen)) == 1
    view = await bot.services.appeals.get(number)
    assert view is not None and [a.file_id for a in view.attachments] == [file_id]
    await messenger.say(citizen, "/status")
    assert f"№{number}" in last(messenger, citizen)


async def test_employee_survey_admits_by_invitation_only(messenger: Driver) -> None:
    """An invitation code (a link that opens the bot on the admin's messenger) admits the
    person; a stranger without one is refused. Work-chat membership: test_max.py, test_vk.py."""
    admin = messenger.admin
    await messenger.say(admin, "/open_survey employee")
    await messenger.say(admin, "/invite_codes 1")
    codes = [t for t in messenger.texts(admin) if "emp_" in t]
    assert codes, messenger.texts(admin)[-2:]
    code = re.findall(r"emp_([A-Za-z0-9_-]+)", codes[-1])[0]
    stranger, employee = 3000, 3001
    await messenger.start(stranger, "employee")
    assert not any("Вопрос 1 из" in t for t in messenger.texts(stranger))
    await messenger.start(employee, f"emp_{code}")
    assert any("Вопрос 1 из" in t for t in messenger.texts(employee))


async def test_employee_survey_admits_members_of_the_work_chat(messenger: Driver) -> None:
    """The work chat on the person's own messenger decides: a member is admitted without a
    code, someone outside it is refused."""
    member, outsider = 3100, 3101
    messenger.join_work_chat(member)
    await messenger.say(messenger.admin, "/open_survey employee")
    await messenger.start(outsider, "employee")
    assert not any("Вопрос 1 из" in t for t in messenger.texts(outsider))
    await messenger.start(member, "employee")
    assert any("Вопрос 1 из" in t for t in messenger.texts(member))
