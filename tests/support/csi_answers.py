"""Acting as a citizen who answers the shipped CSI questionnaire through Telegram."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import SurveyWindow
from bot.devtools.fake_telegram import FakeTelegram
from bot.devtools.harness import RunningBot
from bot.texts import admin as admin_texts
from bot.texts import survey as texts

CRITERIA = 10


async def complete_csi(
    bot: RunningBot,
    user_id: int,
    score: int,
    importance: int,
    *,
    website: str = "Не пользуюсь",
    suggestion: str | None = None,
) -> None:
    """Answer every criterion with the same score and importance, by pressing buttons."""
    await bot.say(user_id, "/start csi")
    for _ in range(CRITERIA):
        await bot.press(user_id, str(score))
        await bot.press(user_id, str(importance))
    await bot.press(user_id, website)
    if website != "Не пользуюсь":
        await bot.press(user_id, str(score))
    for _ in range(3):  # Telegram, VK, website rows of the resources question
        await bot.press(user_id, texts.NOT_APPLICABLE)
    if suggestion is None:
        await bot.press(user_id, texts.SKIP)
    else:
        await bot.say(user_id, suggestion)


def last_text(fake: FakeTelegram, chat_id: int) -> str:
    """The last text message to a chat; a report's chart album follows its text."""
    return next(c.text for c in reversed(fake.sent(chat_id)) if c.method == "sendMessage")


async def close_open_windows(bot: RunningBot) -> None:
    """Close every unclosed window, which also releases the finished surveys still held back
    (bot/surveys/release.py), so a test can read the stored answers."""
    async with bot.services.sessionmaker() as session:
        ids = list(
            await session.scalars(select(SurveyWindow.id).where(SurveyWindow.closed_at.is_(None)))
        )
    for window_id in ids:
        await bot.services.windows.close_window(window_id)


async def close_window(bot: RunningBot, admin: int, window_id: int) -> None:
    """`/close_survey N` and its confirmation, as an admin closes a window early."""
    await bot.say(admin, f"/close_survey {window_id}")
    await bot.press(admin, admin_texts.BUTTON_CONFIRM_CLOSE)
