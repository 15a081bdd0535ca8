"""The responses sheet's rows from packed responses: every value lands in its own column,
whatever the response skipped, and the streamed sheet reads back as a workbook."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest
from openpyxl import Workbook, load_workbook

from bot.reports.export import prefetched
from bot.reports.sheet_xml import PackedRows, SheetColumn, StreamedSheet

COLUMNS = [
    SheetColumn(("info", "", "importance"), None),
    SheetColumn(("info", "", "score"), None),
    SheetColumn(("use", "", ""), {"daily": "Ежедневно", "never": "Не <пользуюсь>"}),
    SheetColumn(("res", "tg", ""), None),
    SheetColumn(("res", "vk", ""), None),
    SheetColumn(("tools", "", ""), {"a": "Почта", "b": "Чат"}),
]
FULL = (
    "info;info;res;res;tools;tools;use",
    ";;tg;vk;;;",
    "importance;score;;;;;",
    "9;7;4;5;a;b;daily",
)
SKIPPED = ("info;info;res;use", ";;vk;", "importance;score;;", "8;6;3;never")
UNKNOWN = ("ghost;info;use", ";;", ";score;", "1;10;later")


def test_values_go_to_their_columns_whatever_was_skipped() -> None:
    packer = PackedRows(COLUMNS)
    assert packer.cells([FULL, SKIPPED, UNKNOWN, FULL]) == [
        [9, 7, "Ежедневно", 4, 5, "Почта; Чат"],
        [8, 6, "Не <пользуюсь>", None, 3, None],
        [None, 10, "later", None, None, None],  # unknown question dropped, unknown option kept
        [9, 7, "Ежедневно", 4, 5, "Почта; Чат"],
    ]


def test_streamed_rows_read_back_with_the_header_and_autofilter() -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Ответы")
    sheet.auto_filter.ref = "A1:F1"
    sheet.append([f"колонка {n}" for n in range(1, 7)])
    book.create_sheet("После")
    frame = io.BytesIO()
    book.save(frame)

    packer = PackedRows(COLUMNS)
    out = io.BytesIO()
    streamed = StreamedSheet(frame.getvalue(), sheet.path, out)
    streamed.write(*packer.xml([FULL, SKIPPED], streamed.rows + 1))
    streamed.write(*packer.xml([UNKNOWN], streamed.rows + 1))
    streamed.close()

    back = load_workbook(io.BytesIO(out.getvalue()))
    assert back.sheetnames == ["Ответы", "После"]
    rows = list(back["Ответы"].iter_rows(values_only=True))
    assert rows == [
        tuple(f"колонка {n}" for n in range(1, 7)),
        (9, 7, "Ежедневно", 4, 5, "Почта; Чат"),
        (8, 6, "Не <пользуюсь>", None, 3, None),
        (None, 10, "later", None, None, None),
    ]
    assert back["Ответы"].auto_filter.ref == "A1:F4"


async def test_prefetched_keeps_order_and_passes_errors_on() -> None:
    async def numbers(fail: bool) -> AsyncIterator[int]:
        for n in range(5):
            yield n
        if fail:
            raise ValueError("broken")

    assert [n async for n in prefetched(numbers(False))] == [0, 1, 2, 3, 4]
    seen = []
    with pytest.raises(ValueError, match="broken"):
        async for n in prefetched(numbers(True)):
            seen.append(n)
    assert seen == [0, 1, 2, 3, 4]
