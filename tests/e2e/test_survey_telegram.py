"""The citizen's CSI survey end to end: real dispatcher, real SQLite, fake Bot API over HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.body import UNNAMED_BODY
from bot.db.models import SurveyAnswer, SurveyDraft, SurveyPendingResponse, SurveyResponse
from bot.devtools.harness import RunningBot
from bot.texts import appeals as appeal_texts
from bot.texts import survey as texts
from tests.support.csi_answers import close_window, complete_csi
from tests.support.database import ADMIN

CITIZEN = 500


async def open_csi(bot: RunningBot) -> None:
    await bot.say(ADMIN, "/open_survey csi")
    assert "Окно №" in bot.fake.last(ADMIN).text


async def count(bot: RunningBot, model) -> int:  # type: ignore[no-untyped-def]
    async with bot.services.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_citizen_completes_survey_with_buttons(running: RunningBot) -> None:
    await open_csi(running)
    await running.say(CITIZEN, "/start csi")
    intro, first = running.fake.sent(CITIZEN)
    assert "анонимн" in intro.text and "анализа качества" in intro.text
    assert "Вопрос 1 из" in first.text and "рассказали об услуге" in first.text
    assert first.labels[:10] == [str(n) for n in range(1, 11)]

    await running.press(CITIZEN, "8")
    importance = running.fake.last(CITIZEN)
    assert importance.method == "editMessageText" and "важен" in importance.text
    assert texts.BACK in importance.labels

    await running.fake.push(running.fake.callback_update(CITIZEN, "noise", importance.message_id))
    await running.press(CITIZEN, "9")
    for _ in range(9):
        await running.press(CITIZEN, "8")
        await running.press(CITIZEN, "9")
    await running.press(CITIZEN, "Ежедневно")
    assert "официальном сайте" in running.fake.last(CITIZEN).text  # shown: the site is used
    await running.press(CITIZEN, "7")
    for _ in range(3):
        await running.press(CITIZEN, "10")
    await running.say(CITIZEN, "  Больше записей онлайн  ")
    assert running.fake.last(CITIZEN).text == texts.SURVEY_DONE

    # Finished, but held back (encrypted) until MIN_GROUP_SIZE are finished or the window closes.
    assert await count(running, SurveyResponse) == 0
    assert await count(running, SurveyPendingResponse) == 1
    assert await count(running, SurveyDraft) == 0
    await close_window(running, ADMIN, 1)
    assert await count(running, SurveyResponse) == 1
    assert await count(running, SurveyPendingResponse) == 0
    async with running.services.sessionmaker() as session:
        suggestion = await session.scalar(
            select(SurveyAnswer.text).where(SurveyAnswer.question_id == "suggestions")
        )
    assert suggestion == "Больше записей онлайн"


async def test_condition_skips_website_question(running: RunningBot) -> None:
    await open_csi(running)
    await complete_csi(running, CITIZEN, 8, 9, website="Не пользуюсь")
    asked = [c.text for c in running.fake.sent(CITIZEN)]
    assert not any("на официальном сайте?" in t for t in asked)
    assert running.fake.last(CITIZEN).text == texts.SURVEY_DONE


@pytest.mark.parametrize(
    "bad",
    [
        {"text": "восемь"},
        {"text": "0"},
        {"text": "11"},
        {"text": "x" * 5000},
        {
            "sticker": {
                "file_id": "s",
                "file_unique_id": "s",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            }
        },
        {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]},
    ],
)
async def test_bad_input_gets_hint_and_same_question(running: RunningBot, bad: dict) -> None:
    await open_csi(running)
    await running.say(CITIZEN, "/start csi")
    await running.press(CITIZEN, "8")  # question 2: importance of criterion 1
    before = running.fake.last(CITIZEN).text
    text = bad.pop("text", None)
    await running.say(CITIZEN, text, **bad)
    hint, again = running.fake.sent(CITIZEN)[-2:]
    assert hint.text in {texts.HINT_RATING, texts.HINT_NOT_TEXT}
    assert again.text == before
    await running.say(CITIZEN, "7")  # typing the number works as well
    assert "Вопрос 3 из" in running.fake.last(CITIZEN).text
    assert await count(running, SurveyAnswer) == 0


async def test_long_suggestion_is_refused_and_question_kept(running: RunningBot) -> None:
    await open_csi(running)
    await running.say(CITIZEN, "/start csi")
    for _ in range(10):
        await running.press(CITIZEN, "8")
        await running.press(CITIZEN, "8")
    await running.press(CITIZEN, "Не пользуюсь")
    for _ in range(3):
        await running.press(CITIZEN, texts.NOT_APPLICABLE)
    await running.say(CITIZEN, "я" * 2001)
    hint = running.fake.sent(CITIZEN)[-2]
    assert "слишком длинный" in hint.text and "2000" in hint.text
    await running.say(CITIZEN, "я" * 2000)
    assert running.fake.last(CITIZEN).text == texts.SURVEY_DONE


async def test_back_changes_previous_answer(running: RunningBot) -> None:
    await open_csi(running)
    await running.say(CITIZEN, "/start csi")
    await running.press(CITIZEN, "3")
    await running.press(CITIZEN, texts.BACK)
    again = running.fake.last(CITIZEN)
    assert "Вопрос 1 из" in again.text and texts.BACK not in again.labels
    await running.press(CITIZEN, "9")
    assert "Вопрос 2 из" in running.fake.last(CITIZEN).text


async def test_second_attempt_refused_and_old_buttons_harmless(running: RunningBot) -> None:
    await open_csi(running)
    await complete_csi(running, CITIZEN, 8, 8)
    first_question = next(c for c in running.fake.sent(CITIZEN) if "Вопрос 1 из" in c.text)
    await running.press(CITIZEN, "5", call=first_question)
    toast = [c for c in running.fake.calls if c.method == "answerCallbackQuery"][-1]
    assert toast.params.get("text") == texts.STALE_BUTTON
    await running.say(CITIZEN, "/start csi")
    assert running.fake.last(CITIZEN).text == texts.ALREADY_TOOK_PART
    assert await count(running, SurveyPendingResponse) == 1


async def test_cancel_forgets_draft(running: RunningBot) -> None:
    await open_csi(running)
    await running.say(CITIZEN, "/start csi")
    await running.press(CITIZEN, "8")
    await running.say(CITIZEN, "/cancel")
    assert running.fake.last(CITIZEN).text == texts.SURVEY_CANCELLED
    assert await count(running, SurveyDraft) == 0
    await running.say(CITIZEN, "/start csi")
    assert "Вопрос 1 из" in running.fake.last(CITIZEN).text


async def test_no_open_window_refuses_politely(running: RunningBot) -> None:
    await running.say(CITIZEN, "/start csi")
    assert running.fake.last(CITIZEN).text == texts.NO_OPEN_SURVEY
    await running.say(CITIZEN, "/start")
    assert running.fake.last(CITIZEN).text == texts.welcome_nothing_open(UNNAMED_BODY)


async def test_menu_offers_open_survey(running: RunningBot) -> None:
    await open_csi(running)
    await running.say(CITIZEN, "/start")
    assert running.fake.last(CITIZEN).labels == [texts.MENU_SURVEY, appeal_texts.MENU_APPEAL]
    await running.press(CITIZEN, texts.MENU_SURVEY)
    assert "Вопрос 1 из" in running.fake.last(CITIZEN).text
