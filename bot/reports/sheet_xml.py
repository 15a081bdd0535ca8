"""A worksheet written as raw SpreadsheetML, for sheets too big for openpyxl's cell objects.

openpyxl spends about 10 µs on every cell even in write-only mode: 2.6 million cells of a
100,000-respondent window would take half a minute. Here a row becomes one string; openpyxl
still builds the workbook around it (styles, the header, widths, print setup, the other
sheets), and `splice_rows` puts the big sheet's rows into the sheet openpyxl wrote.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import IO, Any
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

DIMENSION = re.compile(r'<dimension ref="[^"]*"/>')


class SheetXmlWriter:
    """Rows of numbers and strings as `<row>` elements (strings inline, no styles), to be put
    into the `<sheetData>` of a sheet openpyxl wrote with its header, widths and print setup."""

    def __init__(self, out: IO[bytes], first_row: int = 1) -> None:
        self._out = out
        self._rows = first_row - 1
        self._letters: list[str] = []
        self._strings: dict[str, str] = {}

    @property
    def last_row(self) -> int:
        return self._rows

    def _letter(self, index: int) -> str:
        while len(self._letters) <= index:
            self._letters.append(get_column_letter(len(self._letters) + 1))
        return self._letters[index]

    def _string(self, value: str) -> str:
        cell = self._strings.get(value)
        if cell is None:
            cell = f'" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
            if len(self._strings) < 10_000:
                self._strings[value] = cell
        return cell

    def append_rows(self, rows: Iterable[Sequence[Any]]) -> None:
        parts: list[str] = []
        letter = self._letter
        for row in rows:
            self._rows += 1
            n = self._rows
            parts.append(f'<row r="{n}">')
            for index, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, int | float):
                    parts.append(f'<c r="{letter(index)}{n}"><v>{value}</v></c>')
                else:
                    parts.append(f'<c r="{letter(index)}{n}{self._string(str(value))}')
            parts.append("</row>")
        self._out.write("".join(parts).encode())


def splice_rows(workbook: bytes, sheet_path: str, rows_xml: IO[bytes], last_cell: str) -> bytes:
    """The workbook with the rows of `rows_xml` added at the end of the sheet at `sheet_path`,
    whose dimension becomes A1:`last_cell`."""
    out = BytesIO()
    sheet_path = sheet_path.lstrip("/")
    with (
        zipfile.ZipFile(BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for item in source.infolist():
            if item.filename != sheet_path:
                target.writestr(item, source.read(item.filename))
                continue
            frame = source.read(item.filename).decode()
            head, tail = frame.split("</sheetData>", 1)
            head = DIMENSION.sub(f'<dimension ref="A1:{last_cell}"/>', head, count=1)
            rows_xml.seek(0)
            with target.open(sheet_path, "w") as part:
                part.write(head.encode())
                shutil.copyfileobj(rows_xml, part, 1 << 20)
                part.write(("</sheetData>" + tail).encode())
    return out.getvalue()
