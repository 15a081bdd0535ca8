"""Files a ministry can print, read back with openpyxl: percentages are numbers with a % format,
headers are bold and frozen, widths fit, long texts wrap, responses have an autofilter, pages
are landscape and fitted to the width, summaries are tables of numbers, "№" not "N"."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.devtools.harness import RunningBot
from bot.reports.workbook import LONG_MAX, TEXT_MAX, Col, fit_width
from bot.texts import export as export_texts
from tests.e2e.test_report_files import open_window
from tests.support.appeals import file_appeal
from tests.support.database import ADMIN
from tests.support.report_data import add_responses, person


def assert_printable(sheet: Worksheet, header_row: int) -> None:
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == f"${header_row}:${header_row}"


def assert_header(sheet: Worksheet, row: int) -> None:
    """Bold, wrapped header; everything above the first data row frozen."""
    cells = [c for c in sheet[row] if c.value is not None]
    assert cells and all(c.font.b for c in cells)
    assert all(c.alignment.wrap_text for c in cells)
    assert "N" not in [c.value for c in cells]


def find(sheet: Worksheet, label: str) -> tuple[Any, ...]:
    """The cells of the first row whose column B is `label`."""
    for row in sheet.iter_rows():
        if len(row) > 1 and row[1].value == label:
            return row
    raise AssertionError(f"no row {label!r}")


async def test_window_workbook_prints_and_keeps_numbers(running: RunningBot) -> None:
    window_id = await open_window(running)
    people = [person(9, 9, {"suggestions": "text:" + "Очень длинное предложение " * 8})] * 3
    await add_responses(running.services, window_id, people + [person(5, 9)] * 3)
    file = await running.services.reports.export_window(window_id)
    assert not isinstance(file, str)
    book = load_workbook(io.BytesIO(file.data))

    summary = book[export_texts.SUMMARY_SHEET]
    assert summary.freeze_panes == "A2"
    assert_printable(summary, 1)
    overall = find(summary, export_texts.OVERALL)[2]
    assert overall.value == 63.0 and overall.number_format == "0.0"
    respondents = find(summary, export_texts.RESPONDENTS)[2]
    assert respondents.value == 6 and respondents.data_type == "n"
    criterion = find(summary, "Достаточность информации о функции")
    number, _, answers, score, importance, csi, share, _level = (c.value for c in criterion[:8])
    assert (number, answers, score, importance, csi) == (1, 6, 7.0, 9.0, 63.0)
    assert share == 0.5 and criterion[6].number_format == "0%"  # 3 of 6 gave 8-10
    header = next(r for r in summary.iter_rows() if r[0].value == "№")
    assert_header(summary, header[0].row)
    width_b = summary.column_dimensions["B"].width
    assert width_b >= len("Достаточность информации о функции")

    responses = book[export_texts.RESPONSES_SHEET]
    assert responses.freeze_panes == "A2"
    assert_header(responses, 1)
    assert_printable(responses, 1)
    last_column = responses.max_column
    assert responses.auto_filter.ref == f"A1:{responses.cell(1, last_column).column_letter}7"
    assert responses.max_row == 7
    website = next(c.column_letter for c in responses[1] if str(c.value).startswith("11."))
    assert responses.column_dimensions[website].width >= len("Несколько раз в неделю") + 2
    assert all(responses.column_dimensions[c.column_letter].width >= 10 for c in responses[1])

    opened = book[export_texts.OPEN_SHEET]
    assert opened.freeze_panes == "A2" and opened.auto_filter.ref == "A1:B4"
    assert_header(opened, 1)
    assert opened["B2"].alignment.wrap_text


async def test_appeals_register_has_dates_answers_and_a_table_summary(
    running: RunningBot,
) -> None:
    number = await file_appeal(running, 500, kind="Жалоба")
    await running.say(ADMIN, f"/answer {number} Ответ по существу")
    preview = running.fake.last(ADMIN)
    if "Отправить" in preview.labels:  # the answer is previewed before it goes out
        await running.press(ADMIN, "Отправить", preview)
    await running.say(ADMIN, f"/formal {number} 01-12/345 23.12.2026")
    running.fake.clear()
    await running.say(ADMIN, "/export appeals 2026Q4")
    (document,) = [c for c in running.fake.sent(ADMIN) if c.method == "sendDocument"]
    book = load_workbook(io.BytesIO(document.attachment(document.params["document"])[1]))
    register = book[export_texts.APPEALS_REGISTER_SHEET]
    titles = [c.value for c in register[1]]
    assert titles[0] == "№" and "Текст ответа" in titles and "Срок ответа" in titles
    assert "Исполнитель" in titles
    assert_header(register, 1)
    assert register.freeze_panes == "A2" and register.auto_filter.ref.startswith("A1:")
    assert_printable(register, 1)
    row = {t: c for t, c in zip(titles, register[2], strict=True)}
    assert row["Текст ответа"].value == "Ответ по существу"
    assert isinstance(row["Срок ответа"].value, datetime)
    assert row["Срок ответа"].number_format == "DD.MM.YYYY"
    assert row["Срок ответа"].value.date() == date(2027, 1, 23)
    assert row["Поступило"].number_format == "DD.MM.YYYY HH:MM"
    assert row["Текст обращения"].alignment.wrap_text
    assert row["Рег. номер (59-ФЗ)"].value == "01-12/345"
    assert row["Дата регистрации (59-ФЗ)"].value == datetime(2026, 12, 23)
    assert row["Дата регистрации (59-ФЗ)"].number_format == "DD.MM.YYYY"

    summary = book[export_texts.APPEALS_SUMMARY_SHEET]
    total = find(summary, export_texts.APPEALS_TOTAL)[2]
    assert total.value == 1 and total.data_type == "n"
    share = find(summary, "Жалоба")[3]
    assert share.value == 1 and share.number_format == "0%"


async def test_forms_have_numbered_bold_frozen_headers(running: RunningBot) -> None:
    await open_window(running)
    file = await running.services.reports.accounting_form(2026)
    sheet = load_workbook(io.BytesIO(file.data)).active
    assert sheet["A3"].value == "№" and sheet["A1"].font.b
    assert_header(sheet, 3)
    assert sheet.freeze_panes == "A5"  # heading, blank, header, column numbers
    assert_printable(sheet, 3)
    assert sheet["G5"].alignment.wrap_text


def test_widths_fit_the_contents_within_limits() -> None:
    assert fit_width(Col("№", "int"), [1, 12]) == 7 + 2
    assert fit_width(Col("Тема"), ["Документы и справки"]) == len("Документы и справки") + 2
    assert fit_width(Col("Тема"), ["я" * 100]) == TEXT_MAX + 2
    assert fit_width(Col("Текст", "long"), ["я" * 100]) == LONG_MAX + 2
    # A header wraps: its longest word, or HEADER_LINE characters, sets the least width.
    assert fit_width(Col("Доля оценок 8–10", "percent"), [0.5]) == len("Доля оценок 8–10") + 2
    assert fit_width(Col("Ответственный за сбор и анализ обратной связи"), []) == 18 + 2
