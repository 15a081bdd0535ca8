"""The employee survey end to end: membership check, invitations, every question kind, report."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.db.models import EmployeeInvite, SurveyAnswer, SurveyDraft
from bot.devtools.harness import RunningBot
from bot.texts import employee as employee_texts
from bot.texts import survey as texts
from tests.support.csi_answers import close_open_windows, close_window
from tests.support.database import ADMIN, WORK_CHAT
from tests.support.employees import (
    NOT_SATISFIED,
    SATISFIED,
    Answers,
    complete_employee,
    number_of,
    press_option,
)

EMPLOYEE = 700


def join(bot: RunningBot, *user_ids: int) -> None:
    for user_id in user_ids:
        bot.fake.chat_members[(WORK_CHAT, user_id)] = "member"


async def answers_of(
    bot: RunningBot, question_id: str
) -> list[tuple[str, str, int | None, str | None]]:
    async with bot.services.sessionmaker() as session:
        rows = await session.execute(
            select(SurveyAnswer.row_id, SurveyAnswer.choice, SurveyAnswer.num, SurveyAnswer.text)
            .where(SurveyAnswer.question_id == question_id)
            .order_by(SurveyAnswer.row_id, SurveyAnswer.choice)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


async def count(bot: RunningBot, model) -> int:  # type: ignore[no-untyped-def]
    async with bot.services.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_member_completes_survey_with_skip_and_condition(office: RunningBot) -> None:
    join(office, EMPLOYEE)
    await office.say(EMPLOYEE, "/start employee")
    checks = [c for c in office.fake.calls if c.method == "getChatMember"]
    assert [(int(c.params["chat_id"]), int(c.params["user_id"])) for c in checks] == [
        (WORK_CHAT, EMPLOYEE)
    ]
    assert "Вопрос 1 из" in office.fake.last(EMPLOYEE).text
    answers = Answers(
        agencies=[NOT_SATISFIED, SATISFIED, NOT_SATISFIED, SATISFIED, SATISFIED],
        agency_problems=["  Присылают неполные данные  ", "Нет общей системы"],
    )
    await complete_employee(office, EMPLOYEE, answers)
    assert office.fake.last(EMPLOYEE).text == texts.SURVEY_DONE

    asked = [c.text for c in office.fake.sent(EMPLOYEE)]
    conditional = [t for t in asked if "Что Вас не устраивает" in t]
    assert len(conditional) == 2 and "строка 1 из 2" in conditional[0]
    assert "Качество представляемой информации" in conditional[0]
    assert "Уровень автоматизации" in conditional[1]
    assert not any("меры по адаптации" in t for t in asked)  # skipped by "no adaptation system"
    matrix_row = next(t for t in asked if "взаимодействием с другими" in t)
    assert "строка 1 из 5" in matrix_row

    await close_open_windows(office)

    assert await answers_of(office, "agency_problems") == [
        ("automation", "", None, "Нет общей системы"),
        ("quality", "", None, "Присылают неполные данные"),
    ]
    assert await answers_of(office, "adaptation_measures") == []
    assert await answers_of(office, "recommend") == [("", "", 8, None)]
    assert ("appeals", "", None, "Много однотипных запросов") in await answers_of(
        office, "work_problems"
    )
    assert len(await answers_of(office, "agencies")) == 5
    assert await count(office, SurveyDraft) == 0


async def test_multiple_choice_with_other_and_exclusive(office: RunningBot) -> None:
    join(office, EMPLOYEE)
    await office.say(EMPLOYEE, "/start employee")
    await complete_employee_until_measures(office)
    await press_option(office, EMPLOYEE, "Затрудняюсь ответить")
    await press_option(office, EMPLOYEE, "Организация наставничества")  # clears the exclusive one
    shown = office.fake.last(EMPLOYEE)
    assert shown.method == "editMessageText"
    assert texts.TICK + number_of(shown, "Организация наставничества") in shown.labels
    assert number_of(shown, "Затрудняюсь ответить") in shown.labels  # unticked
    await press_option(office, EMPLOYEE, "Другое (укажите)")
    await office.press(EMPLOYEE, texts.DONE)
    assert "Уточните" in office.fake.last(EMPLOYEE).text
    await office.press(EMPLOYEE, texts.BACK)  # back to the ticks, still ticked
    shown = office.fake.last(EMPLOYEE)
    assert texts.TICK + number_of(shown, "Другое (укажите)") in shown.labels
    await office.press(EMPLOYEE, texts.DONE)
    await office.say(EMPLOYEE, "Экскурсия по зданию")
    assert "нормотворчеству" in office.fake.last(EMPLOYEE).text
    assert await office_draft_exists(office)
    assert await answers_of(office, "adaptation_measures") == []  # nothing stored before the end


async def complete_employee_until_measures(bot: RunningBot) -> None:
    await press_option(bot, EMPLOYEE, SATISFIED)
    for _ in range(3):
        await press_option(bot, EMPLOYEE, "Не занимаюсь этим")
    for _ in range(3):
        await press_option(bot, EMPLOYEE, "Не занимаюсь этим")
    for _ in range(5):
        await press_option(bot, EMPLOYEE, SATISFIED)
    for _ in range(2):
        await press_option(bot, EMPLOYEE, SATISFIED)
    for _ in range(2):
        await press_option(bot, EMPLOYEE, SATISFIED)
    await press_option(bot, EMPLOYEE, SATISFIED)  # 9: there is an adaptation system
    assert "меры по адаптации" in bot.fake.last(EMPLOYEE).text


async def office_draft_exists(bot: RunningBot) -> bool:
    return await count(bot, SurveyDraft) == 1


async def test_back_across_condition_drops_orphaned_answers(office: RunningBot) -> None:
    join(office, EMPLOYEE)
    await office.say(EMPLOYEE, "/start employee")
    await press_option(office, EMPLOYEE, SATISFIED)
    for _ in range(6):
        await press_option(office, EMPLOYEE, "Не занимаюсь этим")
    await press_option(office, EMPLOYEE, NOT_SATISFIED)  # 4.1 -> question 5 gets row 5.1
    for _ in range(4):
        await press_option(office, EMPLOYEE, SATISFIED)
    await office.say(EMPLOYEE, "Данные приходят с опозданием")  # 5.1
    assert "коллегами" in office.fake.last(EMPLOYEE).text  # question 6
    for _ in range(6):  # undo 5.1 and 4.5 ... 4.1
        await office.press(EMPLOYEE, texts.BACK)
    assert "строка 1 из 5" in office.fake.last(EMPLOYEE).text
    await press_option(office, EMPLOYEE, SATISFIED)  # 4.1 changed: question 5 no longer applies
    for _ in range(4):
        await press_option(office, EMPLOYEE, SATISFIED)
    assert "коллегами" in office.fake.last(EMPLOYEE).text
    for _ in range(2):
        await press_option(office, EMPLOYEE, SATISFIED)
    await press_option(office, EMPLOYEE, NOT_SATISFIED)
    await press_option(office, EMPLOYEE, SATISFIED)
    await press_option(office, EMPLOYEE, "Система адаптации отсутствует")
    await office.press(EMPLOYEE, texts.BACK)  # back across the skip: question 9 again
    await press_option(office, EMPLOYEE, NOT_SATISFIED)
    assert "меры по адаптации" in office.fake.last(EMPLOYEE).text  # no longer skipped
    await office.say(EMPLOYEE, "11")  # typed number: "hard to say"
    for label, times in [
        ("Полностью удовлетворён(а)", 4),
        ("Проблем не было", 4),
        ("Затрудняюсь ответить", 2),
        (SATISFIED, 13),
        ("Мнение коллег", 1),
        ("10", 1),
    ]:
        for _ in range(times):
            await press_option(office, EMPLOYEE, label)
    assert office.fake.last(EMPLOYEE).text == texts.SURVEY_DONE
    await close_open_windows(office)
    assert await answers_of(office, "agency_problems") == []
    assert await answers_of(office, "adaptation") == [("", "rather_no", None, None)]
    assert await answers_of(office, "adaptation_measures") == [("", "hard", None, None)]


@pytest.mark.parametrize("status", [None, "left", "kicked"])
async def test_non_member_is_refused(office: RunningBot, status: str | None) -> None:
    if status is not None:
        office.fake.chat_members[(WORK_CHAT, EMPLOYEE)] = status
    await office.say(EMPLOYEE, "/start employee")
    assert [c.text for c in office.fake.sent(EMPLOYEE)] == [employee_texts.NOT_EMPLOYEE]
    assert await count(office, SurveyDraft) == 0


async def test_muted_member_is_still_an_employee(office: RunningBot) -> None:
    office.fake.chat_members[(WORK_CHAT, EMPLOYEE)] = "restricted"  # muted, still in the chat
    await office.say(EMPLOYEE, "/start employee")
    assert "Вопрос 1 из" in office.fake.last(EMPLOYEE).text


async def test_invitation_code_works_once(office: RunningBot) -> None:
    await office.say(EMPLOYEE, "/invite_codes 2")
    assert office.fake.last(EMPLOYEE).text.startswith("Эта команда")  # admins only
    await office.say(ADMIN, "/invite_codes 2")
    links = [w for w in office.fake.last(ADMIN).text.split() if "start=emp_" in w]
    assert len(links) == 2 and await count(office, EmployeeInvite) == 2
    first, second = (link.split("start=")[1] for link in links)

    await office.say(EMPLOYEE, f"/start {first}")  # not in the work chat, but invited
    assert "Вопрос 1 из" in office.fake.last(EMPLOYEE).text
    assert await count(office, EmployeeInvite) == 1
    office.fake.clear()
    await office.say(EMPLOYEE, "/start employee")  # resuming needs no second check
    assert "Вопрос 1 из" in office.fake.last(EMPLOYEE).text

    stranger = EMPLOYEE + 1
    for payload in (first, "emp_notarealcode", "emp_"):
        office.fake.clear()
        await office.say(stranger, f"/start {payload}")
        assert [c.text for c in office.fake.sent(stranger)] == [employee_texts.INVITE_INVALID]
    await office.say(stranger, f"/start {second}")
    assert "Вопрос 1 из" in office.fake.last(stranger).text
    assert await count(office, EmployeeInvite) == 0


@pytest.mark.parametrize("respondents", [4, 5])
async def test_report_hides_small_groups(office: RunningBot, respondents: int) -> None:
    scores = [10, 9, 9, 7, 2][:respondents]
    join(office, *range(EMPLOYEE, EMPLOYEE + respondents))
    for n, score in enumerate(scores):
        user_id = EMPLOYEE + n
        await office.say(user_id, "/start employee")
        unhappy = n < 2  # two people dissatisfied with 4.1: too few for question 5's row
        await complete_employee(
            office,
            user_id,
            Answers(
                agencies=[NOT_SATISFIED if unhappy else SATISFIED] + [SATISFIED] * 4,
                agency_problems=["Неполные данные"] if unhappy else [],
                recommend=score,
            ),
        )
        assert office.fake.last(user_id).text == texts.SURVEY_DONE

    await office.say(ADMIN, "/report")
    interim = office.fake.last(ADMIN).text
    assert f"Ответили: {respondents}" in interim and "eNPS" not in interim
    await close_window(office, ADMIN, 1)
    office.fake.clear()
    await office.say(ADMIN, "/report 1")
    report = "\n".join(c.text for c in office.fake.sent(ADMIN))
    albums = [c for c in office.fake.sent(ADMIN) if c.method == "sendMediaGroup"]
    if respondents == 4:
        assert "слишком мало" in report
        assert "eNPS" not in report and "%" not in report
        assert albums == []
        return
    # Charts: one per matrix question with a row of 5+ answers, and the eNPS distribution.
    pngs = [album.attachment(m["media"])[1] for album in albums for m in album.params["media"]]
    assert len(pngs) >= 2 and all(png.startswith(b"\x89PNG") for png in pngs)
    # 3 of 5 gave 9-10, 1 gave 1-6: eNPS = 60 % - 20 % = +40; mean 37 / 5 = 7,4.
    assert "eNPS: <b>+40</b>" in report and "<b>7,4</b>" in report
    assert "Скорее удовлетворён(а): 5 (100 %)" in report  # question 1
    assert "удовлетворены: <b>60 %</b>" in report  # row 4.1: 3 of 5
    assert "удовлетворены: <b>0 %</b>" in report  # question 14: everybody "rather not"
    assert "ответов меньше 5, не показываем" in report  # row 5.1: two answers
    assert "Неполные данные" not in report  # open texts never go to the chat
    assert "ответов текстом: 5" in report  # question 3, first row
    assert max(len(c.text) for c in office.fake.sent(ADMIN)) <= 4096
    office.fake.clear()
    await office.say(ADMIN, "/painmap 1")  # question 14's rows: everybody "rather not"
    (document,) = [c for c in office.fake.sent(ADMIN) if c.method == "sendDocument"]
    name, data = document.attachment(document.params["document"])
    cells = [
        str(v)
        for row in load_workbook(BytesIO(data)).active.iter_rows(values_only=True)
        for v in row
        if v
    ]
    assert name.endswith(".xlsx") and any("— неудовлетворённость" in c for c in cells)
    office.fake.clear()
    await office.say(ADMIN, "/export 1")
    (document,) = [c for c in office.fake.sent(ADMIN) if c.method == "sendDocument"]
    book = load_workbook(BytesIO(document.attachment(document.params["document"])[1]))
    responses = list(book["Ответы"].iter_rows(values_only=True))
    assert len(responses) == 1 + respondents
    flat = " ".join(str(v) for row in responses for v in row if v is not None)
    assert all(str(EMPLOYEE + n) not in flat for n in range(respondents))
    assert any("eNPS" in str(r[0]) for r in book["Сводка"].iter_rows(values_only=True))
