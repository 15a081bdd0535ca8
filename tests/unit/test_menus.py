"""The role menus of VK and MAX: which commands each role's buttons run, and how each messenger
draws them within its limits."""

from __future__ import annotations

import json

import pytest

from bot.chat.roles import menu
from bot.core.actions import Scope, parse
from bot.core.ports import Button, Reply
from bot.handlers.max.render import max_messages
from bot.handlers.vk.render import (
    MAX_LABEL,
    MAX_ROW,
    MENU_BUTTONS,
    MENU_ROWS,
    action_of,
    vk_messages,
)
from bot.texts import help as texts

ROLES = ("citizen", "staff", "admin")


@pytest.mark.parametrize("role", ROLES)
def test_every_button_runs_a_command_of_the_role(role: str) -> None:
    names = {name for name, _ in texts.commands_for(role)}
    for label, line in texts.menu_for(role):
        assert line.split()[0] in names, (role, line)
        assert 1 <= len(label) <= MAX_LABEL


def test_a_citizen_gets_no_staff_or_admin_buttons() -> None:
    citizen = {line for _, line in texts.menu_for("citizen")}
    staff = {line for _, line in texts.menu_for("staff")}
    admin = {line for _, line in texts.menu_for("admin")}
    assert citizen < staff < admin
    assert not citizen & {"appeals", "register", "report appeals", "surveys", "report", "staff"}
    assert "report" not in staff  # the admins' survey report: staff get the appeals' one


@pytest.mark.parametrize("role", ROLES)
def test_vk_menu_is_a_standing_keyboard_of_text_buttons(role: str) -> None:
    (message,) = vk_messages(Reply(texts.help_text(role), menu=menu(role)))
    assert message.keyboard is not None
    keyboard = json.loads(message.keyboard)
    assert keyboard["one_time"] is False and keyboard["inline"] is False
    rows = keyboard["buttons"]
    assert len(rows) <= MENU_ROWS and all(len(row) <= MAX_ROW for row in rows)
    assert sum(map(len, rows)) <= MENU_BUTTONS
    lines = []
    for row in rows:
        for button in row:
            assert button["action"]["type"] == "text"
            pressed = parse(action_of(button["action"]["payload"]))
            assert pressed is not None and pressed.scope is Scope.COMMAND
            lines.append(" ".join((pressed.verb, *pressed.args)))
    assert lines == [line for _, line in texts.menu_for(role)]


def test_vk_menu_goes_before_a_message_with_an_inline_keyboard() -> None:
    reply = Reply(
        "Здравствуйте!", [[Button("Пройти опрос", "menu:survey:csi")]], menu=menu("citizen")
    )
    note, welcome = vk_messages(reply)
    assert note.text == texts.MENU_NOTE and json.loads(note.keyboard or "{}")["inline"] is False
    assert welcome.keyboard is not None and json.loads(welcome.keyboard)["inline"] is True


def test_max_shows_the_menu_of_staff_and_admins_not_the_citizens() -> None:
    (citizen,) = max_messages(Reply(texts.help_text("citizen"), menu=menu("citizen")))
    assert citizen.attachments == []  # MAX's own bot menu lists the citizen's commands
    (admin,) = max_messages(Reply(texts.help_text("admin"), menu=menu("admin")))
    (keyboard,) = admin.attachments
    buttons = [b for row in keyboard["payload"]["buttons"] for b in row]
    assert [b["text"] for b in buttons] == [label for label, _ in texts.menu_for("admin")]
    assert all(b["type"] == "callback" and b["payload"].startswith("cmd:") for b in buttons)


def test_max_menu_follows_a_reply_with_buttons_of_its_own() -> None:
    reply = Reply(
        "Здравствуйте!", [[Button("Пройти опрос", "menu:survey:csi")]], menu=menu("staff")
    )
    welcome, note = max_messages(reply)
    assert welcome.attachments[0]["payload"]["buttons"][0][0]["text"] == "Пройти опрос"
    assert note.text == texts.MENU_NOTE
    assert "Обращения в работе" in [
        b["text"] for row in note.attachments[0]["payload"]["buttons"] for b in row
    ]
