"""Appeals end to end: a citizen on Telegram, staff in the staff group and in private chats."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select

from bot.appeals.jobs import daily_digest, previous_quarter, quarterly_analysis
from bot.db.models import Appeal, AppealAttachment
from bot.devtools.harness import RunningBot
from bot.texts import admin as admin_texts
from bot.texts import appeals as texts
from tests.support.appeals import (
    STAFF_CHAT,
    card,
    confirm_answer,
    file_appeal,
    photo,
    reply_in_group,
)
from tests.support.clock import FakeClock
from tests.support.database import ADMIN
from tests.support.waits import wait_until

CITIZEN = 500
OTHER = 501
CLERK = 700


async def appeal_row(bot: RunningBot, number: int) -> Appeal:
    async with bot.services.sessionmaker() as session:
        appeal = await session.get(Appeal, number)
        assert appeal is not None
        return appeal


async def test_complaint_with_photo_answered_in_staff_chat_and_rated(staffed: RunningBot) -> None:
    number = await file_appeal(
        staffed,
        CITIZEN,
        kind="Жалоба",
        topic="Работа сотрудников",
        text="Сотрудник на приёме отказался принять документы",
        photos=("AgACphoto1",),
        email="ivanov@mail.ru",
    )
    assert number == 1
    confirmation = staffed.fake.last(CITIZEN).text
    # Registered 24.12.2026 12:00 Moscow; 30 calendar days later.
    assert "Жалоба зарегистрирована под <b>№1</b>" in confirmation
    assert "23.01.2027" in confirmation

    posted = card(staffed, 1)
    assert "Иванов Иван Иванович, ivanov@mail.ru" in posted.text
    assert "отказался принять документы" in posted.text and "Работа сотрудников" in posted.text
    assert posted.labels == [
        texts.BUTTON_TAKE,
        texts.BUTTON_ANSWER,
        texts.BUTTON_REDIRECT,
        texts.BUTTON_CLOSE,
    ]
    sent_photo = next(c for c in staffed.fake.sent(STAFF_CHAT) if c.method == "sendPhoto")
    assert sent_photo.params["photo"] == "AgACphoto1" and "№1" in sent_photo.text

    await staffed.press(ADMIN, texts.BUTTON_TAKE, posted)
    assert staffed.fake.last(CITIZEN).text == texts.citizen_taken(1)

    before = len(staffed.fake.sent(CITIZEN))
    await reply_in_group(staffed, ADMIN, posted, "Документы приняты, сотруднику сделано замечание.")
    assert "Проверьте ответ на №1" in staffed.fake.last(STAFF_CHAT).text
    assert len(staffed.fake.sent(CITIZEN)) == before  # nothing goes out before «Отправить»
    await confirm_answer(staffed, ADMIN, STAFF_CHAT)
    answer = staffed.fake.last(CITIZEN)
    assert "Ответ на обращение №1" in answer.text and "сделано замечание" in answer.text
    assert answer.labels[:5] == ["1", "2", "3", "4", "5"]
    prompt = staffed.fake.last(STAFF_CHAT)
    assert prompt.text == texts.outcome_prompt(1)
    await staffed.press(ADMIN, texts.OUTCOME_NAMES["satisfied"], prompt)

    await staffed.press(CITIZEN, "4", answer)
    appeal = await appeal_row(staffed, 1)
    assert (appeal.state, appeal.outcome, appeal.rating) == ("closed", "satisfied", 4)
    assert appeal.channel == "telegram" and appeal.answer_seconds == 0
    async with staffed.services.sessionmaker() as session:
        files = (await session.scalars(select(AppealAttachment))).all()
    assert [(f.platform, f.kind, f.file_id) for f in files] == [("tg", "photo", "AgACphoto1")]
    assert "4 из 5" in staffed.fake.last(STAFF_CHAT).text


async def test_outsiders_cannot_answer_or_see_appeals(staffed: RunningBot) -> None:
    await file_appeal(staffed, CITIZEN, text="Мой личный вопрос о пенсии и справках")
    await staffed.say(OTHER, "/status 1")
    assert staffed.fake.last(OTHER).text == texts.not_found(1)
    await staffed.say(OTHER, "/status")
    assert staffed.fake.last(OTHER).text == texts.NO_APPEALS
    for command in ("/answer 1 Ответ", "/appeals all", "/redirect 1 Орган"):
        await staffed.say(OTHER, command)
        assert staffed.fake.last(OTHER).text == texts.NOT_STAFF
    await staffed.say(OTHER, "/staff add 501")
    assert staffed.fake.last(OTHER).text == texts.NOT_ADMIN

    posted = card(staffed, 1)
    await staffed.press(OTHER, texts.BUTTON_TAKE, posted)
    alert = [c for c in staffed.fake.calls if c.method == "answerCallbackQuery"][-1]
    assert alert.params["text"] == texts.NOT_STAFF
    await reply_in_group(staffed, OTHER, posted, "Я не сотрудник, но отвечу")
    assert staffed.fake.last(STAFF_CHAT).text == texts.NOT_STAFF
    assert (await appeal_row(staffed, 1)).state == "registered"
    assert all("Ответ на обращение" not in c.text for c in staffed.fake.sent(CITIZEN))

    await staffed.say(CITIZEN, "/status")
    assert "№1 от 24.12.2026 — обращение, зарегистрировано" in staffed.fake.last(CITIZEN).text

    await staffed.say(ADMIN, f"/staff add {CLERK}")
    await staffed.say(CLERK, "/answer 1 Справку выдают в окне 3.")
    await confirm_answer(staffed, CLERK)
    assert staffed.fake.last(CLERK).text == texts.answered(1)
    assert "окне 3" in staffed.fake.last(CITIZEN).text
    await staffed.say(CLERK, "/open_survey csi")  # staff handle appeals, not surveys
    assert staffed.fake.last(CLERK).text == admin_texts.NOT_ADMIN
    await staffed.say(ADMIN, f"/staff remove {CLERK}")
    await staffed.say(CLERK, "/appeals")
    assert staffed.fake.last(CLERK).text == texts.NOT_STAFF


async def test_staff_registers_phone_appeal(staffed: RunningBot) -> None:
    await staffed.say(ADMIN, "/register")
    await staffed.press(ADMIN, "Телефон")
    await staffed.press(ADMIN, "Обращение")
    await staffed.press(ADMIN, "Нарушение сроков")
    await staffed.say(ADMIN, "Звонила заявительница: справка не готова вторую неделю")
    await staffed.say(ADMIN, "вчера вечером")
    assert staffed.fake.last(ADMIN).text == texts.REGISTER_BAD_DATE  # the dialog keeps its place
    await staffed.say(ADMIN, "31.12.2026")
    assert staffed.fake.last(ADMIN).text == texts.REGISTER_FUTURE_DATE
    await staffed.say(ADMIN, "22.12.2026")
    assert staffed.fake.last(ADMIN).text == texts.registered(1, datetime(2027, 1, 23).date())
    appeal = await appeal_row(staffed, 1)
    assert (appeal.channel, appeal.kind, appeal.topic) == ("phone", "appeal", "deadlines")
    assert appeal.received_at == datetime(2026, 12, 22, 9, 0, tzinfo=UTC)
    assert appeal.platform is None and appeal.user_id is None
    assert "(Телефон)" in card(staffed, 1).text


async def test_redirect_by_button_and_by_command(staffed: RunningBot, clock: FakeClock) -> None:
    await file_appeal(staffed, CITIZEN, text="Вопрос о ремонте дороги во дворе дома")
    await file_appeal(staffed, CITIZEN, name=None, text="Вопрос о вывозе мусора во дворе")
    clock.advance(days=2)
    await staffed.press(ADMIN, texts.BUTTON_REDIRECT, card(staffed, 1))
    prompt = staffed.fake.last(STAFF_CHAT)
    assert prompt.text == texts.REDIRECT_PROMPT.format(number=1)
    await reply_in_group(staffed, ADMIN, prompt, "Администрация города")
    assert staffed.fake.last(CITIZEN).text == texts.citizen_redirected(1, "Администрация города")
    await staffed.say(ADMIN, "/redirect 2 Региональный оператор ТКО")
    assert "Региональный оператор ТКО" in staffed.fake.last(CITIZEN).text
    first, second = await appeal_row(staffed, 1), await appeal_row(staffed, 2)
    assert (first.state, first.redirected_to, first.redirect_seconds) == (
        "redirected",
        "Администрация города",
        2 * 86400,
    )
    assert second.redirected_to == "Региональный оператор ТКО"
    await staffed.say(ADMIN, "/answer 1 Поздно")
    assert "уже не в работе" in staffed.fake.last(ADMIN).text


async def test_overdue_detection_digest_and_extension(
    staffed: RunningBot, clock: FakeClock
) -> None:
    await file_appeal(staffed, CITIZEN, text="Прошу проверить начисление платы")
    clock.advance(days=28)
    await file_appeal(staffed, CITIZEN, name=None, text="Второй вопрос о начислениях")
    assert await daily_digest(staffed.services.appeals)
    digest = staffed.fake.last(STAFF_CHAT).text
    assert "Срок в ближайшие дни: 1" in digest and "Просрочено" not in digest

    clock.advance(days=2, seconds=1)  # 30 days and a second after the first registration
    await staffed.say(ADMIN, "/appeals overdue")
    listed = staffed.fake.last(ADMIN).text
    assert listed.startswith("🔴 №1") and "№2" not in listed
    assert await daily_digest(staffed.services.appeals)
    digest_call = staffed.fake.last(STAFF_CHAT)
    assert "Просрочено: 1" in digest_call.text
    await reply_in_group(staffed, ADMIN, digest_call, "Займусь")  # chat, not an answer
    assert (await appeal_row(staffed, 1)).state == "registered"

    await staffed.say(ADMIN, "/extend 2 Нужен запрос в другой орган")
    assert "продлён до 22.03.2027" in staffed.fake.last(CITIZEN).text
    await staffed.say(ADMIN, "/extend 2 Ещё раз")
    assert staffed.fake.last(ADMIN).text == texts.already_extended(2)


async def test_followup_reopens_once(staffed: RunningBot) -> None:
    await file_appeal(staffed, CITIZEN)
    await reply_in_group(staffed, ADMIN, card(staffed, 1), "Справку выдают по вторникам.")
    await confirm_answer(staffed, ADMIN, STAFF_CHAT)
    answer = staffed.fake.last(CITIZEN)
    await staffed.say(CITIZEN, "/appeal")  # a new draft is not lost to the follow-up button
    await staffed.press(CITIZEN, texts.BUTTON_FOLLOWUP, answer)
    toast = [c for c in staffed.fake.calls if c.method == "answerCallbackQuery"][-1]
    assert toast.params["text"] == texts.FINISH_DRAFT_FIRST
    await staffed.say(CITIZEN, "/cancel")
    await staffed.press(CITIZEN, texts.BUTTON_FOLLOWUP, answer)
    await staffed.say(CITIZEN, "А в какое время?")
    assert staffed.fake.last(CITIZEN).text == texts.FOLLOWUP_SENT.format(number=1)
    followup = staffed.fake.last(STAFF_CHAT)
    assert "Уточняющий вопрос по №1" in followup.text and "в какое время" in followup.text
    assert (await appeal_row(staffed, 1)).state == "in_work"
    await reply_in_group(staffed, ADMIN, followup, "С 9 до 18.")
    await confirm_answer(staffed, ADMIN, STAFF_CHAT)
    again = staffed.fake.last(CITIZEN)
    assert "С 9 до 18" in again.text and texts.BUTTON_FOLLOWUP not in again.labels
    appeal = await appeal_row(staffed, 1)
    assert appeal.state == "answered" and appeal.answer_text == "С 9 до 18."


async def test_intake_limits_and_survey_text_not_captured(staffed: RunningBot) -> None:
    await staffed.say(CITIZEN, "/start appeal")
    assert staffed.fake.last(CITIZEN).text.endswith(texts.ASK_KIND)
    await staffed.press(CITIZEN, "Обращение")
    await staffed.press(CITIZEN, "Другое")
    await staffed.say(CITIZEN, **photo())
    assert staffed.fake.last(CITIZEN).text == texts.FILE_WRONG_STEP
    await staffed.say(CITIZEN, "Коротко")
    await staffed.press(CITIZEN, texts.BUTTON_DONE)
    assert staffed.fake.last(CITIZEN).text == texts.TEXT_TOO_SHORT.format(min=10)
    await staffed.say(CITIZEN, "я" * 3000)
    assert "3009" in staffed.fake.last(CITIZEN).text
    await staffed.say(CITIZEN, "и ещё подробности")
    await staffed.press(CITIZEN, texts.BUTTON_DONE)
    await staffed.say(CITIZEN, **photo("big", size=30 * 1024 * 1024))
    assert staffed.fake.last(CITIZEN).text == texts.FILE_TOO_BIG.format(mb=20)

    await staffed.say(ADMIN, "/open_survey csi")
    await staffed.say(CITIZEN, "/start csi")
    assert texts.APPEAL_PAUSED in [c.text for c in staffed.fake.sent(CITIZEN)]
    await staffed.press(CITIZEN, "8")
    await staffed.say(CITIZEN, "9")  # typed answer goes to the survey, not to the appeal
    assert "Вопрос 3 из" in staffed.fake.last(CITIZEN).text

    await staffed.say(CITIZEN, "/appeal")
    assert "фотографии или документы" in staffed.fake.last(CITIZEN).text
    await staffed.say(CITIZEN, "/cancel")
    assert staffed.fake.last(CITIZEN).text == texts.INTAKE_CANCELLED


async def test_private_answer_records_complaint_outcome_and_close_is_told(
    staffed: RunningBot,
) -> None:
    await file_appeal(staffed, CITIZEN, kind="Жалоба", text="Не выдали справку в срок")
    await staffed.say(ADMIN, "/answer 1 " + "ж" * 3501)
    assert staffed.fake.last(ADMIN).text == texts.answer_too_long(3501, 3500)
    await staffed.say(ADMIN, "/answer 1 В выдаче отказано: не представлен паспорт.")
    await confirm_answer(staffed, ADMIN)
    prompt = staffed.fake.last(ADMIN)
    assert prompt.text == texts.outcome_prompt(1)
    await staffed.press(ADMIN, texts.OUTCOME_NAMES["refused"], prompt)
    assert staffed.fake.last(ADMIN).text == texts.outcome_recorded(1, "refused")
    assert (await appeal_row(staffed, 1)).outcome == "refused"

    await file_appeal(staffed, CITIZEN, name=None, text="Спам спам спам спам спам")
    await staffed.press(ADMIN, texts.BUTTON_CLOSE, card(staffed, 2))
    assert staffed.fake.last(CITIZEN).text == texts.citizen_closed(2)
    await staffed.say(ADMIN, "/answer 2 Уже закрыто")
    assert "уже не в работе" in staffed.fake.last(ADMIN).text


async def test_contact_is_remembered_and_can_be_changed(staffed: RunningBot) -> None:
    await file_appeal(staffed, CITIZEN, email="old@mail.ru")
    await staffed.say(CITIZEN, "/appeal")
    await staffed.press(CITIZEN, "Обращение")
    await staffed.press(CITIZEN, "Другое")
    await staffed.say(CITIZEN, "Второе обращение, подробный текст")
    await staffed.press(CITIZEN, texts.BUTTON_DONE)
    await staffed.press(CITIZEN, texts.BUTTON_NO_FILES)
    remembered = staffed.fake.last(CITIZEN)
    assert remembered.text == texts.confirm_contact("Иванов Иван Иванович", "old@mail.ru")
    await staffed.press(CITIZEN, texts.BUTTON_CHANGE_CONTACT, remembered)
    await staffed.say(CITIZEN, "Иванова Мария")
    await staffed.say(CITIZEN, "не почта")
    assert staffed.fake.last(CITIZEN).text == texts.EMAIL_BAD
    await staffed.press(CITIZEN, texts.BUTTON_SKIP)
    await staffed.press(CITIZEN, texts.BUTTON_CONSENT)
    second = await appeal_row(staffed, 2)
    assert (second.name, second.email) == ("Иванова Мария", None)
    assert "Иванова Мария" in card(staffed, 2).text


async def test_report_appeals_command(staffed: RunningBot) -> None:
    await file_appeal(staffed, CITIZEN, kind="Жалоба")
    await staffed.say(ADMIN, "/report appeals")  # 24.12.2026: the current quarter is 2026Q4
    report = staffed.fake.last(ADMIN).text
    assert "Обращения и жалобы за 2026Q4" in report and "Всего поступило: 1" in report
    assert "Telegram: 1 (100 %)" in report and "Жалоба: 1 (100 %)" in report
    await staffed.say(ADMIN, "/report appeals 2026Q3")
    assert "Всего поступило: 0" in staffed.fake.last(ADMIN).text
    await staffed.say(ADMIN, "/report appeals вчера")
    assert staffed.fake.last(ADMIN).text == texts.REPORT_USAGE
    await staffed.say(ADMIN, "/report")  # the survey report is still the admin's
    assert "Окон опросов пока нет" in staffed.fake.last(ADMIN).text
    await staffed.say(OTHER, "/report appeals")  # a staff command: refused as such
    assert staffed.fake.last(OTHER).text == texts.NOT_STAFF


async def test_report_appeals_sends_charts_from_five_appeals(
    staffed: RunningBot, clock: FakeClock
) -> None:
    await file_appeal(staffed, CITIZEN)
    staffed.fake.clear()
    await staffed.say(ADMIN, "/report appeals")
    assert not [c for c in staffed.fake.sent(ADMIN) if c.method == "sendMediaGroup"]

    for n in range(1, 5):
        await file_appeal(staffed, CITIZEN + 10 + n, kind="Жалоба" if n % 2 else "Обращение")
    clock.advance(days=3)
    await staffed.say(ADMIN, "/answer 1 Справку можно получить в кабинете 5")
    await confirm_answer(staffed, ADMIN)
    staffed.fake.clear()
    await staffed.say(ADMIN, "/report appeals")
    (album,) = [c for c in staffed.fake.sent(ADMIN) if c.method == "sendMediaGroup"]
    names = [album.attachment(m["media"])[0] for m in album.params["media"]]
    # Channels, topics, answer time, complaints (none decided yet: shown as such, not left
    # out), and the months of 2026Q4.
    assert names == [
        "appeals_channels.png",
        "appeals_topics.png",
        "appeals_answer_time.png",
        "complaints_outcomes.png",
        "appeals_by_month.png",
    ]
    assert all(
        album.attachment(m["media"])[1].startswith(b"\x89PNG") for m in album.params["media"]
    )


def charts_after_the_text(staffed: RunningBot, heading: str) -> list[str]:
    """Hold the bot's chart workers until `heading` has reached the admin: if the text waited
    for the charts, the report would never finish. Returns the names of the charts drawn."""
    renderer = staffed.services.chart_renderer
    draw = renderer.render
    drawn: list[str] = []

    async def after_the_text(specs):  # type: ignore[no-untyped-def]
        await wait_until(lambda: any(heading in c.text for c in staffed.fake.sent(ADMIN)))
        drawn.extend(s.name for s in specs)
        return await draw(specs)

    renderer.render = after_the_text  # type: ignore[method-assign]
    return drawn


async def test_appeals_charts_come_from_the_chart_workers_after_the_text(
    staffed: RunningBot, clock: FakeClock
) -> None:
    """`/report appeals` and the quarterly analysis: the text first, then the charts drawn by
    the bot's chart worker pool (not in the bot's own process)."""
    for n in range(5):
        await file_appeal(staffed, CITIZEN + n, kind="Жалоба" if n % 2 else "Обращение")
    services = staffed.services
    drawn = charts_after_the_text(staffed, "Обращения и жалобы за 2026Q4")
    staffed.fake.clear()
    await staffed.say(ADMIN, "/report appeals")
    assert [c.method for c in staffed.fake.sent(ADMIN)] == ["sendMessage", "sendMediaGroup"]
    assert "appeals_channels" in drawn

    drawn.clear()
    staffed.fake.clear()
    clock.set(datetime(2027, 1, 11, 6, tzinfo=UTC))  # the first working day of 2027Q1
    assert await quarterly_analysis(
        services.appeals,
        services.sessionmaker,
        services.windows.calendar,
        services.jobs.notifier,
        services.settings.min_group_size,
        services.chart_renderer,
    )
    assert [c.method for c in staffed.fake.sent(ADMIN)] == ["sendMessage", "sendMediaGroup"]
    assert "appeals_channels" in drawn


async def test_quarterly_analysis_goes_to_admins_once_on_first_working_day(
    staffed: RunningBot, clock: FakeClock
) -> None:
    await file_appeal(staffed, CITIZEN)
    services = staffed.services

    async def run() -> bool:
        return await quarterly_analysis(
            services.appeals,
            services.sessionmaker,
            services.windows.calendar,
            services.jobs.notifier,
            services.settings.min_group_size,
            services.chart_renderer,
        )

    assert previous_quarter(date(2027, 1, 11)).label == "2026Q4"
    clock.set(datetime(2027, 1, 8, 6, tzinfo=UTC))  # a holiday: not the first working day
    assert not await run()
    staffed.fake.clear()
    clock.set(datetime(2027, 1, 11, 6, tzinfo=UTC))  # Monday 11.01.2027, 09:00 in Moscow
    assert await run()
    assert not await run()  # a second run the same day (a restart) sends nothing
    texts_sent = [c.text for c in staffed.fake.sent(ADMIN) if c.method == "sendMessage"]
    assert len(texts_sent) == 1 and "Обращения и жалобы за 2026Q4" in texts_sent[0]
    assert "Всего поступило: 1" in texts_sent[0]
    clock.set(datetime(2027, 1, 12, 6, tzinfo=UTC))
    assert not await run()


async def test_export_appeals_register_for_staff_only(staffed: RunningBot) -> None:
    number = await file_appeal(staffed, CITIZEN, kind="Жалоба")
    await staffed.say(ADMIN, f"/answer {number} Ответ по существу")
    staffed.fake.clear()
    await staffed.say(ADMIN, "/export appeals 2026Q4")
    (document,) = [c for c in staffed.fake.sent(ADMIN) if c.method == "sendDocument"]
    name, data = document.attachment(document.params["document"])
    assert name == "appeals_2026Q4.xlsx"
    book = load_workbook(BytesIO(data))
    assert book.sheetnames == ["Сводка", "Реестр обращений"]
    header, first = list(book["Реестр обращений"].iter_rows(values_only=True))[:2]
    row = dict(zip(header, first, strict=True))
    assert header[0] == "№" and first[0] == number
    assert row["Вид"] == "Жалоба" and row["Заявитель"] == "Иванов Иван Иванович"
    summary = [r[1:3] for r in book["Сводка"].iter_rows(values_only=True) if len(r) > 2]
    assert ("Всего поступило", 1) in summary
    await staffed.say(OTHER, "/export appeals")
    assert not [c for c in staffed.fake.sent(OTHER) if c.method == "sendDocument"]
    assert staffed.fake.last(OTHER).text == texts.NOT_STAFF


async def test_refused_survey_start_leaves_the_appeal_in_progress(staffed: RunningBot) -> None:
    await staffed.say(CITIZEN, "/start appeal")
    await staffed.press(CITIZEN, "Обращение")
    await staffed.press(CITIZEN, "Другое")
    await staffed.say(CITIZEN, "/start csi")  # no survey is open
    sent = [c.text for c in staffed.fake.sent(CITIZEN)]
    assert texts.APPEAL_PAUSED not in sent
    await staffed.say(CITIZEN, "Прошу отремонтировать крыльцо у здания на Лесной улице")
    await staffed.press(CITIZEN, texts.BUTTON_DONE)
    assert "фотографии или документы" in staffed.fake.last(CITIZEN).text


async def test_a_card_the_staff_chat_missed_is_posted_later_by_the_outbox(
    staffed: RunningBot, clock: FakeClock
) -> None:
    staffed.fake.blocked.add(STAFF_CHAT)  # the staff chat is unreachable when the appeal comes
    number = await file_appeal(staffed, CITIZEN)
    assert (await appeal_row(staffed, number)).staff_message_id is None
    staffed.fake.blocked.clear()
    outbox = staffed.services.outbox
    assert await outbox.deliver_due() == 0, "the retry waits its pause"
    clock.advance(seconds=31)
    assert await outbox.deliver_due() == 1
    posted = card(staffed, number)
    assert (await appeal_row(staffed, number)).staff_message_id == str(posted.message_id)
    assert await outbox.deliver_due() == 0, "posted once"
    # The card's stored id routes a reply in the staff chat to the appeal.
    await reply_in_group(staffed, ADMIN, posted, "Ответ по существу")
    assert f"Проверьте ответ на №{number}" in staffed.fake.last(STAFF_CHAT).text
