"""The role menu on VK and MAX, end to end: the keyboard or buttons that come with /help and
/start, a press that runs the command as if typed, MAX's bot menu set at start, and Telegram's
menu for a staff member added while the bot runs."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.config import Settings
from bot.core.ports import Person
from bot.devtools.fake_max import FakeMax
from bot.devtools.fake_telegram import FakeTelegram
from bot.devtools.fake_vk import FakeVk
from bot.devtools.harness import RunningBot
from bot.texts import admin as admin_texts
from bot.texts import help as texts
from bot.texts import schedule as schedule_texts
from bot.texts import survey as survey_texts
from bot.texts.common import plain_text
from tests.support.clock import FakeClock
from tests.support.database import ADMIN

VK_ADMIN = 900
MAX_ADMIN = 901
CITIZEN = 500
CLERK = 700


def labels(role: str) -> list[str]:
    return [label for label, _ in texts.menu_for(role)]


@pytest.fixture
async def everywhere(
    settings: Settings, fake: FakeTelegram, fake_vk: FakeVk, fake_max: FakeMax, clock: FakeClock
) -> AsyncIterator[RunningBot]:
    """Telegram, VK and MAX in one process, with an admin on each."""
    admins = frozenset({Person("vk", VK_ADMIN), Person("max", MAX_ADMIN)})
    with_admins = settings.model_copy(update={"admins": admins})
    async with RunningBot(with_admins, fake, clock, vk=fake_vk, max_fake=fake_max) as bot:
        yield bot


def vk_menu(bot: RunningBot, user_id: int) -> dict[str, Any]:
    """The newest keyboard under the input field sent to the VK user."""
    call = [c for c in bot.vk_server.sent(user_id) if c.buttons and not c.inline][-1]
    return dict(json.loads(call.params["keyboard"]))


async def test_vk_admin_help_brings_the_admin_menu_and_a_press_runs_the_command(
    everywhere: RunningBot,
) -> None:
    vk = everywhere.vk_server
    await everywhere.vk_say(VK_ADMIN, "/open_survey csi")
    await everywhere.vk_say(VK_ADMIN, "/help")
    help_message = vk.last(VK_ADMIN)
    assert "/open_survey" in help_message.text and not help_message.inline
    keyboard = vk_menu(everywhere, VK_ADMIN)
    assert keyboard["one_time"] is False and keyboard["inline"] is False
    assert help_message.labels == labels("admin")

    await everywhere.vk_say(VK_ADMIN, "/report")
    typed = [c.text for c in vk.sent(VK_ADMIN)]
    await everywhere.vk_press_menu(VK_ADMIN, "Отчёт по опросу")
    pressed = [c.text for c in vk.sent(VK_ADMIN)][len(typed) :]
    assert "CSI" in pressed[0] and pressed == typed[-len(pressed) :]  # as if typed

    await everywhere.vk_press_menu(VK_ADMIN, "Окна опросов")
    assert vk.last(VK_ADMIN).text.startswith(plain_text(admin_texts.WINDOWS_HEADER))


async def test_vk_citizen_gets_the_citizens_menu_and_typed_labels_stay_text(
    everywhere: RunningBot,
) -> None:
    vk = everywhere.vk_server
    await everywhere.vk_say(CITIZEN, "начать")
    note, welcome = vk.sent(CITIZEN)
    assert note.text == texts.MENU_NOTE and note.labels == labels("citizen")
    assert welcome.inline  # the start menu keeps its own buttons under the welcome

    await everywhere.vk_press_menu(CITIZEN, "Помощь")
    assert vk.last(CITIZEN).text == plain_text(texts.help_text("citizen"))
    assert vk.last(CITIZEN).labels == labels("citizen")

    # The admins' label typed by a citizen is just text: no payload, no command, no report.
    await everywhere.vk_say(CITIZEN, "Отчёт по опросу")
    assert vk.last(CITIZEN).text == survey_texts.UNKNOWN_INPUT
    # A forged press of an admin's button is refused like the typed command.
    await everywhere.vk_say(CITIZEN, "Отчёт по опросу", payload='{"a":"cmd:report"}')
    assert vk.last(CITIZEN).text == admin_texts.NOT_ADMIN


async def test_max_bot_menu_is_set_at_start_with_the_citizens_commands(
    everywhere: RunningBot,
) -> None:
    commands = everywhere.max_server.commands
    assert commands is not None
    assert [c["name"] for c in commands] == [n for n, _ in texts.commands_for("citizen")]
    assert "answer" not in {c["name"] for c in commands}


async def test_max_admin_help_carries_the_menu_and_a_press_runs_the_command(
    everywhere: RunningBot,
) -> None:
    server = everywhere.max_server
    await everywhere.max_say(MAX_ADMIN, "/help")
    assert server.last(MAX_ADMIN).labels == labels("admin")
    await everywhere.max_press(MAX_ADMIN, "Окна опросов")
    assert server.last(MAX_ADMIN).text == admin_texts.NO_WINDOWS
    await everywhere.max_press(MAX_ADMIN, "План опросов")
    assert schedule_texts.plan_header(2026) in server.last(MAX_ADMIN).text

    await everywhere.max_say(CITIZEN, "/help")
    assert server.last(CITIZEN).labels == []  # MAX's bot menu has the citizen's commands
    await everywhere.max_say(CITIZEN, "/remind_me")  # one of them, so it works on MAX too
    assert server.last(CITIZEN).text == schedule_texts.SUBSCRIBED


async def test_telegram_menu_follows_a_staff_member_added_and_removed(
    everywhere: RunningBot,
) -> None:
    fake = everywhere.fake
    await everywhere.say(ADMIN, f"/staff add {CLERK} Иванова А.А., ведущий специалист")
    (menu,) = [c for c in fake.calls if c.method == "setMyCommands"]
    assert _parsed(menu.params["scope"]) == {"type": "chat", "chat_id": CLERK}
    assert "answer" in {c["command"] for c in _parsed(menu.params["commands"])}
    await everywhere.say(ADMIN, f"/staff remove {CLERK}")
    (removed,) = [c for c in fake.calls if c.method == "deleteMyCommands"]
    assert _parsed(removed.params["scope"]) == {"type": "chat", "chat_id": CLERK}


def _parsed(raw: object) -> Any:
    return json.loads(raw) if isinstance(raw, str) else raw
