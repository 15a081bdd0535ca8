"""A worksheet written as raw SpreadsheetML, for sheets too big for openpyxl's cell objects.

openpyxl spends about 10 µs on every cell even in write-only mode: 2.6 million cells of a
100,000-respondent window would take half a minute. Here a row becomes one string; openpyxl
still builds the workbook around it (styles, the other sheets), and `splice_sheet` puts the
big sheet in place of the placeholder openpyxl wrote.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import IO, Any
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

from bot.sanitize import clean_text

HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
)
TAIL = "</sheetData></worksheet>"


class SheetXmlWriter:
    """Rows of numbers and strings into a worksheet XML stream (strings inline, no styles)."""

    def __init__(self, out: IO[bytes], widths: Sequence[float]) -> None:
        self._out = out
        self._rows = 0
        self._letters: list[str] = []
        self._strings: dict[str, str] = {}
        cols = "".join(
            f'<col min="{n}" max="{n}" width="{w}" customWidth="1"/>'
            for n, w in enumerate(widths, start=1)
        )
        out.write((HEAD + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>").encode())

    def _letter(self, index: int) -> str:
        while len(self._letters) <= index:
            self._letters.append(get_column_letter(len(self._letters) + 1))
        return self._letters[index]

    def _string(self, value: str) -> str:
        cell = self._strings.get(value)
        if cell is None:
            cell = f'" t="inlineStr"><is><t>{escape(clean_text(value))}</t></is></c>'
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

    def close(self) -> None:
        self._out.write(TAIL.encode())


def splice_sheet(workbook: bytes, sheet_path: str, sheet_xml: IO[bytes]) -> bytes:
    """The workbook with the part at `sheet_path` replaced by the contents of `sheet_xml`."""
    out = BytesIO()
    sheet_path = sheet_path.lstrip("/")
    with (
        zipfile.ZipFile(BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for item in source.infolist():
            if item.filename == sheet_path:
                sheet_xml.seek(0)
                with target.open(sheet_path, "w") as part:
                    shutil.copyfileobj(sheet_xml, part, 1 << 20)
            else:
                target.writestr(item, source.read(item.filename))
    return out.getvalue()
