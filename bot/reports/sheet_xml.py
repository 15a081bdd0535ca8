"""The responses sheet written as raw SpreadsheetML, for sheets too big for openpyxl's cells.

openpyxl spends about 10 µs on every cell even in write-only mode: 2.6 million cells of a
100,000-respondent window would take half a minute. Here the database hands over one response
as four strings (its question ids, row ids, scales and values, each list joined by `SEP`); the
first three give the response's *shape* (which columns it answered), and every shape is
compiled once into a row template, so a row costs one split and one `str.format`.
openpyxl still builds the workbook around it (styles, the header, widths, print setup, the
other sheets), and `StreamedSheet` streams the rows into the sheet openpyxl wrote, straight
into the compressed file.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import IO, Any
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

from bot.sanitize import clean_text

SEP = ";"
"""Question, row, scale and option ids are `[a-z0-9_]` (questionnaire.IDENT) and values are
integers or option ids, so the separator never occurs inside an item."""
MAX_SHAPES = 4096
"""Compiled shapes kept; a questionnaire with skips and conditions has a few dozen."""

Key = tuple[str, str, str]
Packed = tuple[str, str, str, str]
"""(question ids, row ids, scales, values) of one response, each joined by `SEP`."""


@dataclass(frozen=True)
class SheetColumn:
    key: Key
    options: Mapping[str, str] | None
    """Option id -> text for a choice column; None for a column of numbers."""


@dataclass(frozen=True)
class Shape:
    cells: list[tuple[int, list[int]]]
    """(column, positions of its values in the response's value list) in column order."""
    choices: list[tuple[int, int]]
    """(position, column) of every value that is an option id."""
    template: str
    """The row's XML with `{0}` for the row number and `{k+1}` for the k-th value."""


def cell_text(text: str) -> str:
    """A string as the XML of an inline string's text (control characters, which no XML may
    hold, dropped). Inline strings are text: a leading '=' is never a formula."""
    return escape(clean_text(text))


class PackedRows:
    """Turns packed responses into worksheet `<row>` XML or into lists of cells."""

    def __init__(self, columns: Sequence[SheetColumn]) -> None:
        self._columns = list(columns)
        self._index = {c.key: n for n, c in enumerate(columns)}
        self._letters = [get_column_letter(n + 1) for n in range(len(columns))]
        self._shapes: dict[tuple[str, str, str], Shape] = {}
        self._xml_texts = [
            {k: cell_text(v) for k, v in c.options.items()} if c.options is not None else None
            for c in columns
        ]

    def _shape(self, questions: str, rows: str, scales: str) -> Shape:
        shape = self._shapes.get((questions, rows, scales))
        if shape is None:
            shape = self._compile(questions, rows, scales)
            if len(self._shapes) < MAX_SHAPES:
                self._shapes[(questions, rows, scales)] = shape
        return shape

    def _compile(self, questions: str, rows: str, scales: str) -> Shape:
        positions: dict[int, list[int]] = {}
        keys = zip(questions.split(SEP), rows.split(SEP), scales.split(SEP), strict=True)
        for position, key in enumerate(keys):
            column = self._index.get(key)
            if column is not None:
                positions.setdefault(column, []).append(position)
        cells = sorted(positions.items())
        parts = ['<row r="{0}">']
        choices = []
        for column, at in cells:
            ref = f'<c r="{self._letters[column]}{{0}}"'
            if self._columns[column].options is None:
                parts.append(f"{ref}><v>{{{at[0] + 1}}}</v></c>")
            else:
                text = "; ".join(f"{{{p + 1}}}" for p in at)
                parts.append(f'{ref} t="inlineStr"><is><t>{text}</t></is></c>')
                choices += [(p, column) for p in at]
        parts.append("</row>")
        return Shape(cells, choices, "".join(parts))

    def xml(self, packed: Iterable[Packed], first_row: int) -> tuple[str, int]:
        """The `<row>` elements of `packed` numbered from `first_row`, and how many."""
        out = []
        texts = self._xml_texts
        n = first_row
        for questions, rows, scales, values in packed:
            shape = self._shape(questions, rows, scales)
            items = values.split(SEP)
            for position, column in shape.choices:
                raw = items[position]
                items[position] = texts[column].get(raw) or cell_text(raw)  # type: ignore[union-attr]
            out.append(shape.template.format(n, *items))
            n += 1
        return "".join(out), n - first_row

    def cells(self, packed: Iterable[Packed]) -> list[list[Any]]:
        """Rows of numbers and option texts, for the CSV."""
        width = len(self._columns)
        out = []
        for questions, rows, scales, values in packed:
            items = values.split(SEP)
            row: list[Any] = [None] * width
            for column, at in self._shape(questions, rows, scales).cells:
                options = self._columns[column].options
                if options is None:
                    row[column] = int(items[at[0]])
                else:
                    row[column] = "; ".join(options.get(items[p], items[p]) for p in at)
            out.append(row)
        return out


def text_rows_xml(rows: Sequence[Sequence[str]], first_row: int, style: int) -> str:
    """Rows of strings as `<row>` XML, every cell in the workbook's style number `style`."""
    out = []
    for n, row in enumerate(rows, start=first_row):
        cells = "".join(
            f'<c r="{get_column_letter(k)}{n}" s="{style}" t="inlineStr"><is><t>'
            f"{cell_text(value)}</t></is></c>"
            for k, value in enumerate(row, start=1)
        )
        out.append(f'<row r="{n}">{cells}</row>')
    return "".join(out)


AUTOFILTER = re.compile(r'(<autoFilter ref="A1:[A-Z]+)1"')
DIMENSION = re.compile(r'<dimension ref="[^"]*"/>')


def _parts(sheet: str) -> tuple[str, str]:
    """A sheet openpyxl wrote, cut where more rows go; the dimension (an optional hint,
    written before the rows are counted) dropped."""
    head, tail = sheet.split("</sheetData>", 1)
    return DIMENSION.sub("", head, count=1), "</sheetData>" + tail


def _stretch(tail: str, rows: int) -> str:
    """The autofilter over the header alone, stretched over `rows` rows."""
    return AUTOFILTER.sub(rf"\g<1>{rows}" + '"', tail, count=1)


class StreamedSheet:
    """The workbook openpyxl wrote, copied into `out` with rows streamed into one sheet and
    ready rows put into others (`filled`: path -> (rows XML, how many)).

    openpyxl wrote those sheets with their header row and an autofilter over the header
    alone; the rows go after the header and the autofilter is stretched over them.
    """

    def __init__(
        self,
        frame: bytes,
        sheet_path: str,
        out: IO[bytes],
        filled: Mapping[str, tuple[str, int]] | None = None,
    ) -> None:
        self._source = zipfile.ZipFile(BytesIO(frame))
        self._target = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self._path = sheet_path.lstrip("/")
        self._filled = {path.lstrip("/"): rows for path, rows in (filled or {}).items()}
        names = [i.filename for i in self._source.infolist()]
        at = names.index(self._path)
        self._after = self._source.infolist()[at + 1 :]
        for item in self._source.infolist()[:at]:
            self._copy(item)
        head, self._tail = _parts(self._source.read(self._path).decode())
        self._part = self._target.open(self._path, "w")
        self._part.write(head.encode())
        self.rows = 1

    def _copy(self, item: zipfile.ZipInfo) -> None:
        data = self._source.read(item.filename)
        if item.filename in self._filled:
            rows, count = self._filled[item.filename]
            head, tail = _parts(data.decode())
            data = (head + rows + _stretch(tail, 1 + count)).encode()
        self._target.writestr(item, data)

    def write(self, xml: str, rows: int) -> None:
        self._part.write(xml.encode())
        self.rows += rows

    def close(self) -> None:
        self._part.write(_stretch(self._tail, self.rows).encode())
        self._part.close()
        for item in self._after:
            self._copy(item)
        self._target.close()
        self._source.close()
