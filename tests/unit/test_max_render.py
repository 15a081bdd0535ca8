"""MAX adapter pieces without the network: messages within MAX's limits, links, pacing."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from bot.config import SettingsError, load_settings
from bot.core.ports import Button, Reply
from bot.handlers.max.client import Pacer, _query_value, _token_of
from bot.handlers.max.delivery import deep_link
from bot.handlers.max.render import MAX_TEXT, keyboard, max_messages
from tests.support.clock import FakeTime


def row(prefix: str, n: int) -> list[Button]:
    return [Button(f"{prefix}{i}", f"{prefix}:{i}") for i in range(n)]


def shape(markup: dict | None) -> list[int]:  # type: ignore[type-arg]
    assert markup is not None
    return [len(r) for r in markup["payload"]["buttons"]]


def test_rows_wrap_at_seven_callback_or_three_link_buttons() -> None:
    assert shape(keyboard([row("a", 10), row("b", 2)])) == [7, 3, 2]
    links = [Button(f"L{i}", url=f"https://x/{i}") for i in range(5)]
    assert shape(keyboard([links])) == [3, 2]
    assert keyboard([]) is None


def test_buttons_are_callbacks_with_the_action_or_links() -> None:
    markup = keyboard(
        [[Button("Да", "sv:1:yes"), Button("Опрос", url="https://max.ru/b?start=csi")]]
    )
    assert markup == {
        "type": "inline_keyboard",
        "payload": {
            "buttons": [
                [
                    {"type": "callback", "text": "Да", "payload": "sv:1:yes"},
                    {"type": "link", "text": "Опрос", "url": "https://max.ru/b?start=csi"},
                ]
            ]
        },
    }


def test_long_labels_are_cut_and_oversized_actions_refused() -> None:
    markup = keyboard([[Button("я" * 200, "x")]])
    assert markup is not None
    text = markup["payload"]["buttons"][0][0]["text"]
    assert len(text) == 128 and text.endswith("…")
    with pytest.raises(ValueError, match="too long"):
        keyboard([[Button("x", "a" * 1025)]])
    with pytest.raises(ValueError, match="30"):
        keyboard([[Button(str(i), str(i))] for i in range(31)])


def test_long_text_is_split_with_the_keyboard_under_the_last_piece() -> None:
    lines = [f"<b>{n}</b> " + "ж" * 90 for n in range(100)]
    messages = max_messages(Reply("\n".join(lines), [row("a", 2)]))
    assert len(messages) == 3
    assert all(len(m.text) <= MAX_TEXT for m in messages)
    assert "\n".join(m.text for m in messages) == "\n".join(lines)  # cut at line breaks only
    assert [bool(m.attachments) for m in messages] == [False, False, True]
    assert messages[0].body()["format"] == "html"


def test_deep_links_carry_at_most_128_characters() -> None:
    assert deep_link("id7700_bot", "csi") == "https://max.ru/id7700_bot?start=csi"
    deep_link("b", "e" * 128)
    with pytest.raises(ValueError):
        deep_link("b", "e" * 129)


def test_query_values_and_upload_tokens() -> None:
    assert _query_value(["message_created", "bot_started"]) == "message_created,bot_started"
    assert _query_value(True) == "true"
    assert _token_of({"photos": {"h1": {"token": "T1"}}}, {}) == "T1"
    assert _token_of({"token": "F1", "fileId": 3}, {}) == "F1"
    assert _token_of({}, {"url": "u", "token": "V1"}) == "V1"


async def test_pacer_spaces_calls_at_thirty_per_second() -> None:
    time = FakeTime()
    pacer = Pacer(30, monotonic=time.monotonic, sleep=time.sleep)
    starts = []
    for _ in range(61):
        await pacer.wait()
        starts.append(time.now)
    assert starts[0] == 0.0
    assert starts[30] == pytest.approx(1.0) and starts[60] == pytest.approx(2.0)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) == pytest.approx(1 / 30)


async def test_pacer_holds_concurrent_callers_in_line() -> None:
    time = FakeTime()
    pacer = Pacer(10, monotonic=time.monotonic, sleep=time.sleep)
    starts: list[float] = []

    async def call() -> None:
        await pacer.wait()
        starts.append(time.now)

    await asyncio.gather(*(call() for _ in range(5)))
    assert starts == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])


def test_max_settings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings(max_bot_token="abc", max_channel_id="-7002")
    assert settings.max_enabled and settings.max_api_url == "https://platform-api2.max.ru"
    assert settings.max_channel_id == -7002 and settings.max_ca_file is None
    assert not load_settings(max_bot_token="").max_enabled
    with pytest.raises(SettingsError, match="MAX_CA_FILE"):
        load_settings(max_bot_token="abc", max_ca_file=str(tmp_path / "missing.pem"))
    with pytest.raises(SettingsError, match="MAX_API_URL"):
        load_settings(max_api_url="platform-api2.max.ru")
