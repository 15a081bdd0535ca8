"""Reports as admins receive them: /report with an album, /export XLSX, /painmap, the accounting
form, and the CSV; nothing of it for anybody else."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from bot.db.models import SurveyResponse
from bot.devtools.harness import RunningBot
from bot.reports.charts import PNG_SIGNATURE
from bot.reports.window import csi_trend
from bot.texts import admin as admin_texts
from bot.texts import export as export_texts
from bot.texts import painmap as painmap_texts
from tests.support.database import ADMIN
from tests.support.report_data import add_responses, person
from tests.support.waits import wait_until

STRANGER = 777


async def open_window(bot: RunningBot) -> int:
    await bot.say(ADMIN, "/open_survey csi")
    match = re.search(r"Окно №(\d+)", bot.fake.last(ADMIN).text)
    assert match
    return int(match.group(1))


async def fill(bot: RunningBot, window_id: int) -> None:
    """Six people: three rate every criterion 9, three rate it 5, all find it important (9):
    mean score 7, CSI = 0.9 * 0.7 * 100 = 63 (averaged first, then multiplied)."""
    people = [
        person(9, 9, {"website_use": "daily", "suggestions": f"text:Предложение {n}"})
        for n in range(3)
    ] + [person(5, 9, {"website_use": "never", "resources_ease/vk/": 4}) for _ in range(3)]
    await add_responses(bot.services, window_id, people)


async def test_report_sends_text_and_an_album_to_admins_only(running: RunningBot) -> None:
    window_id = await open_window(running)
    await fill(running, window_id)
    running.fake.clear()

    await running.say(ADMIN, f"/report {window_id}")
    text, album = running.fake.sent(ADMIN)
    assert text.method == "sendMessage" and "<b>Общий индекс CSI: 63,0</b>" in text.text
    assert album.method == "sendMediaGroup"
    assert [m["type"] for m in album.params["media"]] == ["photo"] * 3
    for media in album.params["media"]:
        _, png = album.attachment(media["media"])
        assert png.startswith(PNG_SIGNATURE)

    await running.say(STRANGER, f"/report {window_id}")
    assert [c.method for c in running.fake.sent(STRANGER)] == ["sendMessage"]
    assert running.fake.last(STRANGER).text == admin_texts.NOT_ADMIN
    for command in (f"/export {window_id}", f"/painmap {window_id}", "/export accounting"):
        await running.say(STRANGER, command)
        assert running.fake.last(STRANGER).text == admin_texts.NOT_ADMIN
    assert {c.method for c in running.fake.sent(STRANGER)} == {"sendMessage"}


async def test_report_text_is_not_held_back_by_the_charts(running: RunningBot) -> None:
    """Drawing is held until the admin has the text: if the text waited for the charts, the
    report would never finish."""
    window_id = await open_window(running)
    await fill(running, window_id)
    running.fake.clear()
    renderer = running.services.chart_renderer
    draw = renderer.render

    async def after_the_text(specs):  # type: ignore[no-untyped-def]
        await wait_until(lambda: running.fake.sent(ADMIN))
        return await draw(specs)

    renderer.render = after_the_text  # type: ignore[method-assign]
    await running.say(ADMIN, f"/report {window_id}")
    assert [c.method for c in running.fake.sent(ADMIN)] == ["sendMessage", "sendMediaGroup"]


async def test_report_of_a_small_window_has_no_charts(running: RunningBot) -> None:
    window_id = await open_window(running)
    await add_responses(running.services, window_id, [person(9, 9)] * 2)
    running.fake.clear()
    await running.say(ADMIN, f"/report {window_id}")
    assert [c.method for c in running.fake.sent(ADMIN)] == ["sendMessage"]
    assert "слишком мало" in running.fake.last(ADMIN).text

    await running.say(ADMIN, f"/export {window_id}")
    assert "слишком мало" in running.fake.last(ADMIN).text


async def test_export_command_sends_a_workbook(running: RunningBot) -> None:
    window_id = await open_window(running)
    await fill(running, window_id)
    await running.say(ADMIN, f"/export {window_id}")
    sent = running.fake.last(ADMIN)
    assert sent.method == "sendDocument"
    filename, data = sent.attachment(sent.params["document"])
    assert filename == f"okno-{window_id}.xlsx"
    assert load_workbook(io.BytesIO(data)).sheetnames[0] == export_texts.SUMMARY_SHEET
    await running.say(ADMIN, "/export")
    assert running.fake.last(ADMIN).text == export_texts.EXPORT_USAGE


async def test_workbook_has_summary_anonymous_responses_and_open_answers(
    running: RunningBot,
) -> None:
    window_id = await open_window(running)
    await fill(running, window_id)
    file = await running.services.reports.export_window(window_id)
    assert not isinstance(file, str)
    book = load_workbook(io.BytesIO(file.data))
    assert book.sheetnames == [
        export_texts.SUMMARY_SHEET,
        export_texts.RESPONSES_SHEET,
        export_texts.OPEN_SHEET,
    ]
    summary = [row for row in book[export_texts.SUMMARY_SHEET].iter_rows(values_only=True)]
    assert [None, export_texts.OVERALL, 63.0] in [list(r[:3]) for r in summary]

    responses = list(book[export_texts.RESPONSES_SHEET].iter_rows(values_only=True))
    header, rows = responses[0], responses[1:]
    assert len(rows) == 6
    assert header[0] == "1. Достаточность информации о функции — оценка"
    assert header[1] == "1. Достаточность информации о функции — важность"
    vk = header.index(
        "13. Насколько было легко найти необходимую информацию на ресурсах органа — "
        "Страница во «ВКонтакте»"
    )
    assert sorted(row[vk] or 0 for row in rows) == [0, 0, 0, 4, 4, 4]
    assert not any("Ваши предложения" in str(h) for h in header)  # free text lives elsewhere
    assert sorted(row[0] for row in rows) == [5, 5, 5, 9, 9, 9]
    website = header.index("11. Как часто Вы пользуетесь официальным сайтом?")
    assert sorted(row[website] for row in rows) == ["Ежедневно"] * 3 + ["Не пользуюсь"] * 3
    cells = {str(c) for row in rows for c in row if c is not None}
    response_ids = await _response_ids(running)
    assert not cells & response_ids
    assert all(not re.fullmatch(r"[0-9a-f]{32}", c) for c in cells)

    open_rows = list(book[export_texts.OPEN_SHEET].iter_rows(values_only=True))[1:]
    assert [r[1] for r in open_rows] == [f"Предложение {n}" for n in range(3)]


async def _response_ids(bot: RunningBot) -> set[str]:
    async with bot.services.sessionmaker() as session:
        return set(await session.scalars(select(SurveyResponse.id)))


async def test_csv_has_the_responses_sheet(running: RunningBot) -> None:
    window_id = await open_window(running)
    await fill(running, window_id)
    out = io.StringIO()
    assert await running.services.reports.export_responses_csv(window_id, out) is None
    lines = out.getvalue().splitlines()
    assert len(lines) == 7 and lines[0].startswith(
        "1. Достаточность информации о функции — оценка;"
    )


async def test_painmap_lists_low_criteria(running: RunningBot) -> None:
    window_id = await open_window(running)
    await add_responses(
        running.services,
        window_id,
        [person(9, 9, {"speed//score": 3}) for _ in range(4)] + [person(9, 9)],
    )
    file = await running.services.reports.painmap(window_id)
    assert not isinstance(file, str)
    rows = list(load_workbook(io.BytesIO(file.data)).active.iter_rows(values_only=True))
    assert rows[2] == tuple(c.title for c in painmap_texts.COLUMNS)
    assert rows[3] == (1, 2, 3, 4, 5, 6, 7, 8)
    number, process, problem, prevalence, priority, *rest = rows[4]
    assert number == 1 and priority == 1 and process == "Предоставление функции (услуги)"
    assert problem.startswith("Скорость получения результата функции") and prevalence == 0.8
    assert "оценили на 1–7: 4 из 5" in problem
    assert rest == [None, None, None]
    assert rows[5] == (None,) * len(rows[5]) or rows[5][0] is None  # only one pain

    await running.say(ADMIN, f"/painmap {window_id}")
    assert running.fake.last(ADMIN).method == "sendDocument"


async def test_accounting_form_has_appendix_1_columns(running: RunningBot) -> None:
    await open_window(running)
    file = await running.services.reports.accounting_form(2026)
    rows = list(load_workbook(io.BytesIO(file.data)).active.iter_rows(values_only=True))
    assert rows[2] == tuple(c.title for c in export_texts.ACCOUNTING_COLUMNS)
    first = rows[4]
    assert first[0] == 1 and first[1] == export_texts.AUDIENCE_OBJECTS["external"]
    assert first[6].split("\n")[3] == "4) Скорость получения результата функции"
    assert len(first[6].split("\n")) == 10  # the ten CSI criteria, one a line
    assert "24.12.2026 – " in first[7]
    employee = rows[5]
    assert employee[1] == export_texts.AUDIENCE_OBJECTS["internal"]
    topics = employee[6].split("\n")
    assert "2) Взаимоотношения в коллективе" in topics and len(topics) < 10
    assert employee[6].endswith(export_texts.ENPS_CRITERION)
    assert employee[7] == "Не реже одного раза в год, по 5 рабочих дней"  # no window: no story
    await running.say(ADMIN, "/export accounting 2026")
    assert running.fake.last(ADMIN).method == "sendDocument"


async def test_trend_appears_with_the_second_external_window(running: RunningBot) -> None:
    first = await open_window(running)
    await add_responses(running.services, first, [person(6, 9)] * 5)
    await running.services.windows.close_window(first)
    second = await open_window(running)
    await add_responses(running.services, second, [person(9, 9)] * 5)

    report = await running.services.reports.window_report(second)
    assert [c.name for c in report.charts] == [
        "csi", "matrix", "distribution", "trend", "criteria_trend",
    ]  # fmt: skip
    async with running.services.sessionmaker() as session:
        window = await running.services.windows.get(second)
        assert window is not None
        points = await csi_trend(session, window, 5, running.services.windows.tz)
    assert [(p.label, round(p.value, 1)) for p in points] == [
        (f"№{first} 24.12.2026", 54.0),
        (f"№{second} 24.12.2026", 81.0),
    ]
    # the trend per criterion: every criterion was scored 6 (importance 9), then 9 (9)
    assert {round(v, 1) for v in points[0].criteria.values()} == {54.0}
    assert {round(v, 1) for v in points[1].criteria.values()} == {81.0}
    assert len(points[0].criteria) == 10
