"""Nothing a person writes is thrown away: free text becomes an offered appeal (also from a
rating question, keeping the survey's place), «Назад» at every step of the appeal dialog, the
complaint's outcome told, and the reason behind a low rating kept and counted. Telegram and VK
end to end."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from bot.devtools.harness import RunningBot
from bot.texts import appeals as texts
from bot.texts import survey as survey_texts
from tests.support.appeals import confirm_answer, file_appeal
from tests.support.csi_answers import last_text
from tests.support.database import ADMIN

CITIZEN = 500
VK_USER = 600
QUESTION = "Добрый день! Когда будет готова справка о составе семьи?"


def number_in(text: str) -> int:
    return int(text.split("№")[1].split()[0].strip(".,<b/>"))


async def test_telegram_free_text_becomes_an_appeal(both: RunningBot) -> None:
    await both.say(CITIZEN, QUESTION)
    offer = both.fake.last(CITIZEN)
    assert texts.OFFER_APPEAL in offer.text and QUESTION in offer.text
    await both.press(CITIZEN, texts.BUTTON_OFFER_YES)
    await both.press(CITIZEN, "Обращение")
    await both.press(CITIZEN, "Документы и справки")
    carried = both.fake.last(CITIZEN)
    assert texts.BUTTON_DONE in carried.labels  # the text is already there
    await both.press(CITIZEN, texts.BUTTON_DONE)
    await both.press(CITIZEN, texts.BUTTON_NO_FILES)
    await both.say(CITIZEN, "Иванов Иван")
    await both.press(CITIZEN, texts.BUTTON_SKIP)
    await both.press(CITIZEN, texts.BUTTON_CONSENT)
    view = await both.services.appeals.get(number_in(both.fake.last(CITIZEN).text))
    assert view.text == QUESTION

    await both.say(CITIZEN, "Ещё один вопрос о справке для пособия")
    await both.press(CITIZEN, texts.BUTTON_OFFER_NO)
    assert both.fake.last(CITIZEN).text == texts.OFFER_DECLINED
    await both.say(CITIZEN, "8")  # short: no offer, the menu's hint
    assert texts.OFFER_APPEAL not in both.fake.last(CITIZEN).text


async def test_vk_free_text_becomes_an_appeal(both: RunningBot) -> None:
    vk = both.vk_server
    await both.vk_say(VK_USER, QUESTION)
    assert texts.OFFER_APPEAL in vk.last(VK_USER).text
    await both.vk_press(VK_USER, texts.BUTTON_OFFER_YES)
    await both.vk_press(VK_USER, "Обращение")
    await both.vk_press(VK_USER, "Документы и справки")
    await both.vk_press(VK_USER, texts.BUTTON_DONE)
    await both.vk_press(VK_USER, texts.BUTTON_NO_FILES)
    await both.vk_say(VK_USER, "Орлова Ольга")
    await both.vk_press(VK_USER, texts.BUTTON_SKIP)
    await both.vk_press(VK_USER, texts.BUTTON_CONSENT)
    view = await both.services.appeals.get(number_in(vk.last(VK_USER).text))
    assert view.text == QUESTION and view.channel == "vk"


async def test_long_text_in_a_rating_question_keeps_the_survey_place(both: RunningBot) -> None:
    await both.say(ADMIN, "/open_survey csi")
    await both.say(CITIZEN, "/start csi")
    await both.press(CITIZEN, "8")
    await both.say(CITIZEN, QUESTION)
    hint, again, offer = both.fake.sent(CITIZEN)[-3:]
    assert hint.text == survey_texts.HINT_RATING and "Вопрос 2 из" in again.text
    assert texts.OFFER_APPEAL in offer.text
    await both.press(CITIZEN, texts.BUTTON_OFFER_NO)
    await both.say(CITIZEN, "9")  # the survey goes on where it was
    assert "Вопрос 3 из" in both.fake.last(CITIZEN).text

    vk = both.vk_server
    await both.vk_say(VK_USER, ref="csi")
    await both.vk_say(VK_USER, QUESTION)
    assert texts.OFFER_APPEAL in vk.last(VK_USER).text
    await both.vk_press(VK_USER, texts.BUTTON_OFFER_YES)
    assert "Что Вы хотите направить?" in vk.last(VK_USER).text
    await both.vk_say(VK_USER, "отмена")
    await both.vk_say(VK_USER, "8")  # back in the survey, at question 1
    assert "Вопрос 2 из" in vk.sent(VK_USER)[-2].text


async def test_telegram_back_at_every_step(both: RunningBot) -> None:
    await both.say(CITIZEN, "/appeal")
    await both.press(CITIZEN, "Жалоба")
    await both.press(CITIZEN, texts.BUTTON_BACK)
    assert texts.ASK_KIND in both.fake.last(CITIZEN).text
    await both.press(CITIZEN, "Обращение")
    await both.press(CITIZEN, "Документы и справки")
    await both.say(CITIZEN, "Назад")  # typed: not taken as the text
    assert both.fake.last(CITIZEN).text == texts.ASK_TOPIC
    await both.press(CITIZEN, "Документы и справки")
    await both.say(CITIZEN, "Прошу выдать справку о стаже работы")
    await both.press(CITIZEN, texts.BUTTON_DONE)
    await both.press(CITIZEN, texts.BUTTON_BACK)  # files -> text, the text kept
    assert texts.BUTTON_DONE in both.fake.last(CITIZEN).labels
    await both.press(CITIZEN, texts.BUTTON_DONE)
    await both.press(CITIZEN, texts.BUTTON_NO_FILES)
    await both.say(CITIZEN, "Иванов Иван")
    await both.press(CITIZEN, texts.BUTTON_BACK)  # email -> name
    assert both.fake.last(CITIZEN).text == texts.ASK_NAME
    await both.say(CITIZEN, "Петров Пётр")
    await both.press(CITIZEN, texts.BUTTON_SKIP)
    await both.press(CITIZEN, texts.BUTTON_BACK)  # consent -> email
    assert both.fake.last(CITIZEN).text == texts.ASK_EMAIL
    await both.press(CITIZEN, texts.BUTTON_SKIP)
    await both.press(CITIZEN, texts.BUTTON_CONSENT)
    view = await both.services.appeals.get(number_in(both.fake.last(CITIZEN).text))
    assert view.text == "Прошу выдать справку о стаже работы" and view.name == "Петров Пётр"


async def test_vk_back_typed_and_pressed(both: RunningBot) -> None:
    vk = both.vk_server
    await both.vk_say(VK_USER, "обращение")
    await both.vk_press(VK_USER, "Обращение")
    await both.vk_press(VK_USER, "Документы и справки")
    await both.vk_say(VK_USER, "назад")
    assert texts.ASK_TOPIC in [c.text for c in vk.sent(VK_USER)[-3:]]  # topics fill two keyboards
    await both.vk_press(VK_USER, texts.BUTTON_BACK)
    assert "Что Вы хотите направить?" in vk.last(VK_USER).text


async def test_complaint_outcome_is_told_to_the_citizen(both: RunningBot) -> None:
    number = await file_appeal(both, CITIZEN, kind="Жалоба")
    await both.say(ADMIN, f"/answer {number} Справка выдана, приносим извинения за задержку")
    await confirm_answer(both, ADMIN)
    await both.press(ADMIN, texts.OUTCOME_NAMES["satisfied"])
    told = both.fake.last(CITIZEN).text
    assert f"№{number}" in told and "удовлетворена" in told
    assert "приносим извинения за задержку" in told

    vk = both.vk_server
    vk_number = await file_appeal(
        both,
        VK_USER,
        on="vk",
        name="Орлова Ольга",
        kind="Жалоба",
        text="Мне отказали в выдаче справки без причины",
    )
    await both.say(
        ADMIN, f"/answer {vk_number} Отказ законен: справка выдаётся по месту жительства"
    )
    await confirm_answer(both, ADMIN)
    await both.press(ADMIN, texts.OUTCOME_NAMES["refused"])
    told = vk.last(VK_USER).text
    assert "отказано" in told and "по месту жительства" in told


async def test_low_rating_asks_what_was_wrong_and_counts_it(both: RunningBot) -> None:
    number = await file_appeal(both, CITIZEN)
    await both.say(ADMIN, f"/answer {number} Обратитесь в МФЦ")
    await confirm_answer(both, ADMIN)
    await both.press(CITIZEN, "1")
    assert both.fake.last(CITIZEN).text == texts.ASK_RATING_REASON
    await both.say(CITIZEN, "Ответ не по существу вопроса")
    assert both.fake.last(CITIZEN).text == texts.RATING_REASON_THANKS
    view = await both.services.appeals.get(number)
    assert view.rating == 1 and view.rating_reason == "Ответ не по существу вопроса"

    good = await file_appeal(both, CITIZEN, name=None)
    await both.say(ADMIN, f"/answer {good} Готово")
    await confirm_answer(both, ADMIN)
    await both.press(CITIZEN, "5")
    assert both.fake.last(CITIZEN).text != texts.ASK_RATING_REASON

    vk = both.vk_server
    vk_number = await file_appeal(
        both, VK_USER, on="vk", name="Орлова Ольга", text="Прошу разъяснить порядок записи на приём"
    )
    await both.say(ADMIN, f"/answer {vk_number} Запись по телефону")
    await confirm_answer(both, ADMIN)
    await both.vk_press(VK_USER, "2")
    assert vk.last(VK_USER).text == texts.ASK_RATING_REASON
    await both.vk_press(VK_USER, texts.BUTTON_SKIP)  # optional
    assert (await both.services.appeals.get(vk_number)).rating_reason is None

    await both.say(ADMIN, "/report appeals")
    report = last_text(both.fake, ADMIN)
    assert "низкие (1–2): 2, с пояснением: 1" in report
    both.fake.clear()
    await both.say(ADMIN, "/export appeals 2026Q4")
    (document,) = [c for c in both.fake.sent(ADMIN) if c.method == "sendDocument"]
    book = load_workbook(BytesIO(document.attachment(document.params["document"])[1]))
    header, *rows = list(book["Реестр обращений"].iter_rows(values_only=True))
    reasons = {r[0]: dict(zip(header, r, strict=True))["Что не устроило в ответе"] for r in rows}
    assert reasons[number] == "Ответ не по существу вопроса" and reasons[vk_number] is None
