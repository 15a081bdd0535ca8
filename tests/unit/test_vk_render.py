"""VK adapter pieces without the network: keyboards within VK limits, text, backoff, settings."""

from __future__ import annotations

import json

import pytest

from bot.config import SettingsError, load_settings
from bot.core.ports import Button, Person, Reply
from bot.handlers.backoff import Backoff
from bot.handlers.vk.render import (
    action_of,
    keyboard_chunks,
    keyboard_json,
    payload,
    plain_text,
    split_text,
    vk_messages,
)
from bot.surveys.anonymity import Anonymizer, new_window_salt
from bot.texts import vk as texts


def row(prefix: str, n: int) -> list[Button]:
    return [Button(f"{prefix}{i}", f"{prefix}:{i}") for i in range(n)]


def shape(chunks: list[list[list[Button]]]) -> list[list[int]]:
    return [[len(r) for r in chunk] for chunk in chunks]


def test_scale_with_extra_rows_is_split_at_ten_buttons() -> None:
    scale = [row("a", 5), row("b", 5), row("na", 1), row("back", 1)]
    assert shape(keyboard_chunks(scale)) == [[5, 5], [1, 1]]


def test_long_rows_wrap_at_five_and_rows_stop_at_six() -> None:
    assert shape(keyboard_chunks([row("x", 12)])) == [[5, 5], [2]]
    assert shape(keyboard_chunks([row(str(i), 1) for i in range(8)])) == [[1] * 6, [1, 1]]
    assert keyboard_chunks([]) == []


def test_reply_becomes_question_plus_follow_up() -> None:
    reply = Reply("<b>Вопрос</b> &lt;1&gt;", [row("a", 5), row("b", 5), row("back", 1)])
    first, more = vk_messages(reply)
    assert first.text == "Вопрос <1>"
    assert more.text == texts.MORE_BUTTONS
    assert first.keyboard is not None and more.keyboard is not None
    keyboard = json.loads(first.keyboard)
    assert keyboard["inline"] is True
    button = keyboard["buttons"][0][0]
    assert button["action"] == {"type": "callback", "label": "a0", "payload": '{"a":"a:0"}'}
    assert action_of(button["action"]["payload"]) == "a:0"
    assert action_of({"a": "a:0"}) == "a:0"
    assert action_of({"command": "start"}) is None and action_of("not json") is None


def test_labels_are_cut_to_forty_characters_and_payload_limit_is_enforced() -> None:
    keyboard = json.loads(keyboard_json([[Button("д" * 50, "x")]]))
    label = keyboard["buttons"][0][0]["action"]["label"]
    assert len(label) == 40 and label.endswith("…")
    assert len(payload("ы" * 120).encode()) <= 255  # 240 bytes of action + wrapper
    with pytest.raises(ValueError):
        payload("ы" * 125)


def test_plain_text_and_long_text_split() -> None:
    assert plain_text("<b>Жирный</b><br/>&amp; <i>курсив</i>") == "Жирный\n& курсив"
    assert plain_text('<a href="https://x.ru/a?b=1&amp;c=2">сайт</a>') == (
        "сайт (https://x.ru/a?b=1&c=2)"
    )
    assert plain_text('<a href="https://x.ru">https://x.ru</a>') == "https://x.ru"
    text = "\n".join(["строка " * 10] * 200)  # about 14 000 characters
    pieces = split_text(text)
    assert all(len(p) <= 4096 for p in pieces) and len(pieces) == 4
    assert "\n".join(pieces) == text
    assert split_text("x" * 5000) == ["x" * 4096, "x" * 904]
    messages = vk_messages(Reply(text, [row("a", 2)]))
    assert [m.keyboard is not None for m in messages] == [False, False, False, True]


def test_backoff_doubles_up_to_its_cap() -> None:
    backoff = Backoff(first=0.5, cap=3.0)
    assert [backoff.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_vk_settings_come_in_pairs() -> None:
    with pytest.raises(SettingsError, match="VK_GROUP_ID"):
        load_settings(vk_group_token="token", _env_file=None)
    with pytest.raises(SettingsError, match="VK_GROUP_TOKEN"):
        load_settings(vk_group_id="5", _env_file=None)
    settings = load_settings(vk_group_token="token", vk_group_id="5", _env_file=None)
    assert settings.vk_enabled and settings.vk_api_url == "https://api.vk.ru"


def test_same_number_on_vk_and_telegram_gives_different_anonymity_keys() -> None:
    anonymizer = Anonymizer(b"s" * 32)
    vk, tg = Person("vk", 500), Person("tg", 500)
    salt = new_window_salt()
    assert anonymizer.participation_token(salt, vk) != anonymizer.participation_token(salt, tg)
    assert anonymizer.draft_key(vk) != anonymizer.draft_key(tg)
