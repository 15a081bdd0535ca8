"""Acting as a citizen filing an appeal, and as staff in the staff group."""

from __future__ import annotations

from typing import Any

from bot.devtools.fake_telegram import Call
from bot.devtools.harness import RunningBot
from bot.texts import appeals as texts

STAFF_CHAT = -1001234567890


def photo(file_id: str = "AgACphoto1", size: int = 50_000) -> dict[str, Any]:
    return {
        "photo": [
            {
                "file_id": file_id,
                "file_unique_id": file_id,
                "width": 800,
                "height": 600,
                "file_size": size,
            }
        ]
    }


async def file_appeal(
    bot: RunningBot,
    user_id: int,
    *,
    on: str = "tg",
    kind: str = "Обращение",
    topic: str = "Документы и справки",
    text: str = "Прошу разъяснить порядок получения справки",
    photos: tuple[str, ...] = (),
    name: str | None = "Иванов Иван Иванович",
    email: str | None = None,
) -> int:
    """File through the whole dialog in Telegram (`on="tg"`, the command) or VK (`on="vk"`,
    the word a VK user types); `name=None` accepts the remembered contact. The number."""
    if on == "tg":
        say, press, last, opening = bot.say, bot.press, bot.fake.last, "/appeal"
    else:
        say, press, last, opening = bot.vk_say, bot.vk_press, bot.vk_server.last, "обращение"
    await say(user_id, opening)
    await press(user_id, kind)
    await press(user_id, topic)
    await say(user_id, text)
    await press(user_id, texts.BUTTON_DONE)
    for file_id in photos:
        assert on == "tg", "photos are Telegram file ids"
        await say(user_id, **photo(file_id))
    await press(user_id, texts.BUTTON_DONE if photos else texts.BUTTON_NO_FILES)
    if name is None:
        await press(user_id, texts.BUTTON_USE_CONTACT)
    else:
        await say(user_id, name)
        if email is None:
            await press(user_id, texts.BUTTON_SKIP)
        else:
            await say(user_id, email)
    await press(user_id, texts.BUTTON_CONSENT)
    confirmation = last(user_id).text
    assert "зарегистрирован" in confirmation, confirmation
    return int(confirmation.split("№")[1].split()[0].strip(".,<b/>"))


def card(bot: RunningBot, number: int) -> Call:
    return next(
        c
        for c in bot.fake.sent(STAFF_CHAT)
        if c.method == "sendMessage"
        and c.text.startswith(texts.CARD_MARK)
        and f"№{number}<" in c.text
    )


async def confirm_answer(bot: RunningBot, user_id: int, chat_id: int | None = None) -> None:
    """Press «Отправить» under the newest answer preview in the chat (default: private)."""
    chat = chat_id if chat_id is not None else user_id
    preview = next(c for c in reversed(bot.fake.sent(chat)) if texts.BUTTON_SEND in c.labels)
    await bot.press(user_id, texts.BUTTON_SEND, preview)


async def reply_in_group(bot: RunningBot, user_id: int, to: Call, text: str) -> None:
    await bot.say(user_id, text, chat_id=STAFF_CHAT, reply_to_message=bot.fake.bot_message(to))
