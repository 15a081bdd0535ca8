"""Workbooks a ministry can print: typed columns, bold frozen headers, widths that fit the
contents, wrapped long texts, autofilters, landscape pages fitted to the width.

Every sheet the bot produces is built from `Col` descriptions, so a percentage is always a
number with a % format (Excel can sum and sort it), a date is a date, and the look of every
table is decided here once.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from bot.sanitize import clean_text

Kind = Literal["text", "long", "int", "num", "num2", "percent", "date", "datetime"]

NUMBER_FORMATS: dict[str, str] = {
    "int": "0",
    "num": "0.0",
    "num2": "0.00",
    "percent": "0%",
    "date": "DD.MM.YYYY",
    "datetime": "DD.MM.YYYY HH:MM",
}
SHOWN_WIDTH: dict[str, int] = {"int": 7, "num": 6, "num2": 6, "percent": 5, "date": 11}
"""Characters a number of the kind takes on screen; "datetime" adds the time."""
TEXT_MAX, LONG_MAX, HEADER_LINE = 40, 70, 18
"""Widths in characters: a short text column stops growing at TEXT_MAX and wraps, a long one at
LONG_MAX; a header wraps into lines of about HEADER_LINE characters."""


@dataclass(frozen=True)
class Col:
    """A column: its header and what its cells hold."""

    title: str
    kind: Kind = "text"
    width: float | None = None
    """Fixed width in characters; None fits the contents."""


@dataclass(frozen=True)
class Value:
    """A cell whose kind differs from its column's (a key figure in a list of mixed ones)."""

    value: Any
    kind: Kind


@dataclass(frozen=True)
class Section:
    """One table of a summary sheet: a bold title, a bold header, rows."""

    title: str
    columns: Sequence[Col]
    rows: Sequence[Sequence[Any]]


def _shown_length(value: Any, kind: Kind) -> int:
    if isinstance(value, Value):
        value, kind = value.value, value.kind
    if value is None or value == "":
        return 0
    if kind == "datetime":
        return 16
    if kind in SHOWN_WIDTH and isinstance(value, int | float | date):
        return max(SHOWN_WIDTH[kind], len(str(value)) if kind == "int" else 0)
    return max(len(line) for line in str(value).split("\n"))


def header_width(title: str) -> int:
    """Enough for the longest word of a header wrapped into short lines."""
    longest = max((len(word) for word in title.split()), default=0)
    return max(longest, min(len(title), HEADER_LINE))


def fit_width(column: Col, values: Iterable[Any]) -> float:
    if column.width is not None:
        return column.width
    need = max([header_width(column.title), *(_shown_length(v, column.kind) for v in values)])
    cap = LONG_MAX if column.kind == "long" else TEXT_MAX
    return min(cap, need) + 2


def printable(sheet: Any, title_row: int | None = None) -> None:
    """A4 landscape, every column on the page's width, the header repeated on each page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if title_row is not None:
        sheet.print_title_rows = f"{title_row}:{title_row}"


class PrintableWorkbook:
    """A write-only openpyxl workbook whose sheets are typed tables."""

    def __init__(self) -> None:
        self.book = Workbook(write_only=True)
        self._bold = Font(bold=True)
        self._header_alignment = Alignment(wrap_text=True, vertical="top")
        self._wrap = Alignment(wrap_text=True, vertical="top")
        self._top = Alignment(vertical="top")
        self._styles: dict[tuple[str | None, bool], StyleArray] = {}

    def _cell(self, sheet: Any, value: Any, column: Col, width: float) -> Any:
        kind = column.kind
        if isinstance(value, Value):
            value, kind = value.value, value.kind
        if value is None or value == "":
            return None
        if isinstance(value, str):
            value = clean_text(value)
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # typed text, never a live formula
        if kind in NUMBER_FORMATS and isinstance(value, int | float | date | datetime):
            cell._style = copy(self._style(sheet, NUMBER_FORMATS[kind], wrap=False))
        elif isinstance(value, str):
            long = kind == "long" or len(value) + 2 > width or "\n" in value
            cell._style = copy(self._style(sheet, None, wrap=long))
        return cell

    def _style(self, sheet: Any, number_format: str | None, *, wrap: bool) -> StyleArray:
        """A data cell's style, made once: openpyxl's style setters cost more than the rest
        of writing a cell (10,000 open answers took a second)."""
        key = (number_format, wrap)
        style = self._styles.get(key)
        if style is None:
            proto = WriteOnlyCell(sheet)
            proto.alignment = self._wrap if wrap else self._top
            if number_format is not None:
                proto.number_format = number_format
            style = self._styles[key] = proto._style
        return style

    def _bold_cell(self, sheet: Any, value: Any, *, wrap: bool = True) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = self._bold
        if wrap:
            cell.alignment = self._header_alignment
        return cell

    def style_id(self, sheet: Any, *, wrap: bool) -> int:
        """The index of a text cell's style in the workbook, for rows written as raw XML."""
        return int(self.book._cell_styles.add(self._style(sheet, None, wrap=wrap)))

    def header_only(self, title: str, columns: Sequence[Col]) -> Any:
        """A sheet with its fixed widths, bold frozen header, print setup and an autofilter
        over the header, whose rows are written as raw XML later (`sheet_xml`)."""
        sheet = self.book.create_sheet(title)
        for n, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(n)].width = column.width
        sheet.freeze_panes = "A2"
        printable(sheet, 1)
        sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(columns), 1))}1"
        sheet.append(self.header_row(sheet, columns))
        return sheet

    def header_row(self, sheet: Any, columns: Sequence[Col]) -> list[WriteOnlyCell]:
        return [self._bold_cell(sheet, c.title) for c in columns]

    def table(
        self,
        title: str,
        columns: Sequence[Col],
        rows: Sequence[Sequence[Any]],
        *,
        heading: Sequence[str] = (),
        numbered: bool = False,
        note: str = "",
        autofilter: bool = True,
    ) -> Any:
        """One table on its own sheet: optional heading lines, a bold header frozen with
        everything above it, optionally a row of column numbers (the forms of the Order number
        their columns), the rows, an autofilter over them, and a note under the table."""
        sheet = self.book.create_sheet(title)
        widths = [
            fit_width(c, (r[n] if n < len(r) else None for r in rows))
            for n, c in enumerate(columns)
        ]
        for n, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(n)].width = width
        header = len(heading) + (1 if heading else 0) + 1
        body = header + (1 if numbered else 0) + 1
        sheet.freeze_panes = f"A{body}"
        printable(sheet, header)
        last = get_column_letter(len(columns))
        if autofilter:
            sheet.auto_filter.ref = f"A{header}:{last}{max(body - 1 + len(rows), header)}"
        for line in heading:
            sheet.append([self._bold_cell(sheet, line, wrap=False)])
        if heading:
            sheet.append([])
        sheet.append(self.header_row(sheet, columns))
        if numbered:
            sheet.append([self._bold_cell(sheet, n) for n in range(1, len(columns) + 1)])
        for row in rows:
            sheet.append(
                [self._cell(sheet, v, c, w) for v, c, w in zip(row, columns, widths, strict=False)]
            )
        if note:
            sheet.append([])
            sheet.append([note])
        return sheet

    def sections(self, title: str, heading: str, sections: Sequence[Section]) -> Any:
        """Several small tables one under another (a summary): the heading is frozen at the
        top; the n-th column of every section shares one width."""
        sheet = self.book.create_sheet(title)
        count = max((len(s.columns) for s in sections), default=1)
        widths = []
        for n in range(count):
            fitted = [
                fit_width(s.columns[n], (r[n] if n < len(r) else None for r in s.rows))
                for s in sections
                if n < len(s.columns)
            ]
            widths.append(max(fitted))
        for n, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(n)].width = width
        sheet.freeze_panes = "A2"
        printable(sheet, 1)
        sheet.append([self._bold_cell(sheet, heading, wrap=False)])
        for section in sections:
            sheet.append([])
            sheet.append([self._bold_cell(sheet, section.title, wrap=False)])
            sheet.append(self.header_row(sheet, section.columns))
            for row in section.rows:
                sheet.append(
                    [
                        self._cell(sheet, v, c, w)
                        for v, c, w in zip(row, section.columns, widths, strict=False)
                    ]
                )
        return sheet

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()
