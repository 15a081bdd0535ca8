"""Admins and staff are accounts on one messenger each: `ADMINS=tg:1,vk:2,max:3`, with the older
`ADMIN_IDS` read as Telegram ids, and `/staff add vk:456` naming a staff member."""

from __future__ import annotations

import pytest

from bot.chat.staff import parse_person
from bot.config import SettingsError, load_settings
from bot.core.ports import Person


def test_admins_per_messenger_and_admin_ids_as_telegram() -> None:
    settings = load_settings(_env_file=None, admins="tg:1, vk:2,max:3", admin_ids="5")
    assert settings.all_admins == {
        Person("tg", 1),
        Person("vk", 2),
        Person("max", 3),
        Person("tg", 5),
    }


@pytest.mark.parametrize("bad", ["vk:abc", "icq:5", "123"])
def test_a_malformed_admin_is_one_line_naming_the_setting(bad: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(_env_file=None, admins=bad)
    message = str(caught.value)
    assert "ADMINS" in message and "\n" not in message


def test_staff_ids_name_the_messenger_or_default_to_telegram() -> None:
    assert parse_person("123") == Person("tg", 123)
    assert parse_person("vk:456") == Person("vk", 456)
    assert parse_person("max:789") == Person("max", 789)
    assert parse_person("ok:1") is None and parse_person("vk:") is None
