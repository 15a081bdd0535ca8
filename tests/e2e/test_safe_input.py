"""Free text cannot become a live formula or break a file, and invisible text is refused."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from bot.appeals.metrics import parse_period
from bot.devtools.harness import RunningBot
from bot.reports.appeal_export import appeals_workbook
from bot.sanitize import clean_text, csv_cell, is_invisible
from bot.texts import appeals as appeal_texts
from tests.support.appeals import file_appeal
from tests.support.csi_answers import complete_csi
from tests.support.database import ADMIN

FORMULA = '=HYPERLINK("http://example.invalid","Нажмите")'
PASTED = "Текст из Word\x0bс вертикальной табуляцией\x07 и \x00 нулём"


def test_clean_text_keeps_lines_and_drops_controls() -> None:
    assert clean_text("a\x0bb\x07c\x00d\r\ne\tf") == "abcd\ne\tf"
    assert clean_text("Обычный текст") == "Обычный текст"


def test_invisible_text() -> None:
    assert is_invisible("\u200b\u200b \u2060\ufeff\u3164")
    assert not is_invisible("\u200bа")


def test_csv_cell_keeps_formulas_as_text() -> None:
    for start in "=+-@":
        assert csv_cell(f"{start}1+1") == f"'{start}1+1"
    assert csv_cell("12") == "12" and csv_cell(7) == 7


def texts_of(book: bytes) -> list[tuple[str, object, str]]:
    """(sheet, value, openpyxl data type) of every non-empty cell, read back from the file."""
    workbook = load_workbook(io.BytesIO(book))
    return [
        (sheet.title, cell.value, cell.data_type)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


async def test_formula_and_control_characters_in_survey_export(running: RunningBot) -> None:
    await running.say(ADMIN, "/open_survey csi")
    for n in range(5):
        await complete_csi(running, 300 + n, 8, 9, suggestion=f"{FORMULA} {PASTED} {n}")
    await running.services.windows.close_window(1)
    exported = await running.services.reports.export_window(1)
    assert not isinstance(exported, str), exported
    cells = [c for c in texts_of(exported.data) if isinstance(c[1], str) and "HYPERLINK" in c[1]]
    assert len(cells) == 5
    for _sheet, value, data_type in cells:
        assert data_type == "s" and value.startswith("=HYPERLINK")
        assert not any(ch in value for ch in "\x0b\x07\x00")
    out = io.StringIO()
    await running.services.reports.export_responses_csv(1, out)
    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert not any(cell.startswith("=") for row in rows for cell in row)


async def test_formula_and_control_characters_in_appeals_register(running: RunningBot) -> None:
    appeals = running.services.appeals
    await appeals.register("post", "appeal", "other", f"{FORMULA} {PASTED}", date(2026, 12, 23))
    await file_appeal(running, 400, text=f"+{FORMULA[1:]} жалоба\x0b по делу")
    book = await appeals_workbook(appeals, parse_period("2026", date(2026, 12, 24)))
    cells = [c for c in texts_of(book.data) if isinstance(c[1], str) and "HYPERLINK" in c[1]]
    assert len(cells) == 2
    for _sheet, value, data_type in cells:
        assert data_type == "s"
        assert not any(ch in value for ch in "\x0b\x07\x00")


async def test_invisible_appeal_text_and_name_refused(running: RunningBot) -> None:
    citizen = 410
    await running.say(citizen, "/appeal")
    await running.press(citizen, "Обращение")
    await running.press(citizen, "Документы и справки")
    await running.say(citizen, "\u200b\u200b\u2060\u3164")
    assert appeal_texts.TEXT_INVISIBLE in [c.text for c in running.fake.sent(citizen)]
    await running.say(citizen, "Прошу разъяснить порядок получения справки")
    await running.press(citizen, appeal_texts.BUTTON_DONE)
    await running.press(citizen, appeal_texts.BUTTON_NO_FILES)
    running.fake.clear()
    await running.say(citizen, "\u200b\ufeff\u200b")
    assert running.fake.sent(citizen)[0].text == appeal_texts.TEXT_INVISIBLE
