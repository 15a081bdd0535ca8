"""Workbooks and CSV for admins: the window export, the pain map, the accounting form.

The responses sheet is streamed straight from an SQL query, one chunk at a time, as raw
worksheet XML (`sheet_xml`), so a window of 100,000 respondents never sits in memory as objects;
openpyxl (write-only) builds the rest of the workbook.
Rows come ordered by the random response id, which shuffles them; there are no dates to
coarsen, because responses carry no time at all (README, "Anonymity"). Open answers go to a
sheet of their own, sorted by text, so their order cannot be matched with the responses sheet.
"""

from __future__ import annotations

import asyncio
import csv
import io
import tempfile
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy import String, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import SurveyAnswer, SurveyResponse
from bot.reports.csi import CsiReport, csi_level
from bot.reports.sheet_xml import SheetXmlWriter, splice_sheet
from bot.sanitize import clean_text, csv_cell
from bot.surveys.questionnaire import Questionnaire, Step, TextQuestion
from bot.surveys.windows import WindowView
from bot.texts import export as texts
from bot.texts.reports import LEVEL_NAMES

CHUNK = 5_000
"""Responses fetched and written per step; bounds memory whatever the window size."""

Key = tuple[str, str, str]


@dataclass(frozen=True)
class ReportFile:
    filename: str
    data: bytes
    caption: str = ""


@dataclass(frozen=True)
class Column:
    key: Key
    title: str


def response_columns(questionnaire: Questionnaire) -> list[Column]:
    """One column per question, matrix row and criterion scale; free text is not among them."""
    columns: list[Column] = []
    numbers = {q.id: n for n, q in enumerate(questionnaire.questions, start=1)}
    for step in questionnaire.steps():
        if isinstance(step.question, TextQuestion):
            continue
        columns.append(Column(_step_key(step), texts.column_title(numbers[step.question.id], step)))
    return columns


def _step_key(step: Step) -> Key:
    return (step.question.id, step.row.id if step.row else "", step.scale)


ITEM_SEP, VALUE_SEP = ";", "="
"""Question, row, scale and option ids are `[a-z0-9_]` (questionnaire.IDENT), so neither
separator can occur inside them."""


def _cell_parsers(questionnaire: Questionnaire) -> dict[str, tuple[int, dict[str, str] | None]]:
    """ "question/row/scale" -> (column, option texts for a choice question or None for a
    number)."""
    parsers: dict[str, tuple[int, dict[str, str] | None]] = {}
    for position, column in enumerate(response_columns(questionnaire)):
        question = next(q for q in questionnaire.questions if q.id == column.key[0])
        options = getattr(question, "options", None)
        parsers["/".join(column.key)] = (
            position,
            {o.id: o.text for o in options} if options else None,
        )
    return parsers


async def response_rows(
    session: AsyncSession, window_id: int, questionnaire: Questionnaire
) -> AsyncIterator[list[list[Any]]]:
    """Chunks of rows, one row per response, cells in `response_columns` order.

    The database walks the responses of the window by their (random) id through the index on
    `window_id`, picks each one's answers by primary key and glues them into one string per
    response, so Python receives 100,000 rows rather than millions (the per-row cost of the
    driver dominates otherwise). The Core connection is used: ORM result processing would cost
    more than the query.
    """
    width = len(response_columns(questionnaire))
    parsers = _cell_parsers(questionnaire)
    a, r = SurveyAnswer, SurveyResponse
    item = (
        a.question_id
        + "/"
        + a.row_id
        + "/"
        + a.scale
        + VALUE_SEP
        + func.coalesce(cast(a.num, String), a.choice)
    )
    query = (
        select(func.aggregate_strings(item, ITEM_SEP))
        .select_from(r)
        .join(a, a.response_id == r.id)
        .where(r.window_id == window_id, a.text.is_(None))
        .group_by(r.id)
        .order_by(r.id)
    )
    connection = await session.connection()
    result = await connection.stream(query.execution_options(yield_per=CHUNK))
    async for partition in result.partitions(CHUNK):
        rows = []
        for (packed,) in partition:
            row: list[Any] = [None] * width
            for answer in packed.split(ITEM_SEP):
                key, _, raw = answer.partition(VALUE_SEP)
                parser = parsers.get(key)
                if parser is None:
                    continue
                position, options = parser
                value: Any = int(raw) if options is None else options.get(raw, raw)
                previous = row[position]
                row[position] = value if previous is None else f"{previous}; {value}"
            rows.append(row)
        yield rows


async def open_answers(
    session: AsyncSession, window_id: int, questionnaire: Questionnaire
) -> list[tuple[str, str]]:
    """(question, answer) sorted by question and text, never by response."""
    titles = {q.id: q.text for q in questionnaire.questions}
    rows = await session.execute(
        select(SurveyAnswer.question_id, SurveyAnswer.text)
        .where(SurveyAnswer.window_id == window_id, SurveyAnswer.text.is_not(None))
        .order_by(SurveyAnswer.question_id, SurveyAnswer.text)
    )
    return [(titles.get(q, q), t) for q, t in rows]


def summary_rows(view: WindowView, report: CsiReport) -> list[list[Any]]:
    """The report's numbers, as the text report gives them, in table form."""
    out: list[list[Any]] = [
        [texts.WINDOW, f"№{view.id} «{view.title}»"],
        [texts.PERIOD, f"{view.opens_on:%d.%m.%Y} – {view.closes_on:%d.%m.%Y}"],
        [texts.RESPONDENTS, view.respondents],
    ]
    if report.overall is not None:
        out += [
            [texts.OVERALL, round(report.overall, 1)],
            [texts.LEVEL, LEVEL_NAMES[csi_level(report.overall)]],
        ]
    if report.criteria:
        out += [[], list(texts.CRITERIA_COLUMNS)]
        out += [
            [
                c.number,
                c.text,
                c.answers,
                round(c.mean_score, 2),
                round(c.mean_importance, 2),
                round(c.csi, 1),
                round(c.satisfied_share, 3),
                LEVEL_NAMES[csi_level(c.csi)],
            ]
            for c in report.criteria
        ]
    if report.ratings:
        out += [[], list(texts.RATING_COLUMNS)]
        out += [
            [r.number, r.text, r.answers, round(r.mean, 2), round(r.high_share, 3)]
            for r in report.ratings
        ]
    for choice in report.choices:
        out += [[], [choice.number, choice.text, texts.COUNT, texts.SHARE]]
        out += [
            ["", option, n, round(n / choice.total, 3) if choice.total else None]
            for option, n in choice.counts
        ]
    return out


class StreamingWorkbook:
    """A write-only workbook whose sheets are filled by appending rows in bulk."""

    def __init__(self) -> None:
        self.book = Workbook(write_only=True)
        self._bold = Font(bold=True)
        self._wrap = Alignment(wrap_text=True, vertical="top")

    def sheet(self, title: str, header: Sequence[str], widths: Sequence[float] = ()) -> Any:
        sheet = self.book.create_sheet(title)
        for n, width in enumerate(widths):
            sheet.column_dimensions[get_column_letter(n + 1)].width = width
        sheet.freeze_panes = "A2"
        sheet.append([self._header_cell(sheet, h) for h in header])
        return sheet

    def _header_cell(self, sheet: Any, value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font, cell.alignment = self._bold, self._wrap
        return cell

    def plain_sheet(
        self, title: str, rows: Sequence[Sequence[Any]], widths: Sequence[float]
    ) -> None:
        sheet = self.book.create_sheet(title)
        for n, width in enumerate(widths):
            sheet.column_dimensions[get_column_letter(n + 1)].width = width
        for row in rows:
            self.append(sheet, row)

    @staticmethod
    def append(sheet: Any, row: Sequence[Any]) -> None:
        """A row whose strings stay text: control characters dropped (openpyxl refuses them)
        and a leading '=' never turned into a live formula."""
        sheet.append([_text_cell(sheet, v) if isinstance(v, str) else v for v in row])

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


def _text_cell(sheet: Any, value: str) -> Any:
    value = clean_text(value)
    if not value.startswith("="):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _append_all(sheet: Any, rows: list[list[Any]]) -> None:
    for row in rows:
        StreamingWorkbook.append(sheet, row)


async def window_workbook(
    session: AsyncSession,
    view: WindowView,
    questionnaire: Questionnaire,
    summary: Sequence[Sequence[Any]],
) -> bytes:
    """Summary, anonymised responses and open answers of one window, as XLSX bytes.

    openpyxl writes the workbook with an empty responses sheet; the rows are streamed as raw
    XML into a temporary file and spliced in (see `sheet_xml`), which is what keeps a window
    of 100,000 respondents within seconds and a bounded amount of memory.
    """
    book = StreamingWorkbook()
    book.plain_sheet(texts.SUMMARY_SHEET, summary, (8, 60, 12, 12, 12, 10, 10, 30))
    placeholder = book.book.create_sheet(texts.RESPONSES_SHEET)
    answers = await open_answers(session, view.id, questionnaire)
    open_sheet = book.sheet(texts.OPEN_SHEET, texts.OPEN_COLUMNS, (40, 80))
    await asyncio.to_thread(_append_all, open_sheet, [list(a) for a in answers])
    columns = response_columns(questionnaire)
    with tempfile.TemporaryFile() as xml:
        writer = SheetXmlWriter(xml, [14] * len(columns))
        writer.append_rows([[c.title for c in columns]])
        async for rows in response_rows(session, view.id, questionnaire):
            await asyncio.to_thread(writer.append_rows, rows)
        writer.close()
        frame = await asyncio.to_thread(book.save)
        return await asyncio.to_thread(splice_sheet, frame, placeholder.path, xml)


async def responses_csv(
    session: AsyncSession, window_id: int, questionnaire: Questionnaire, out: IO[str]
) -> None:
    """The responses sheet as CSV (`;`-separated, as Russian Excel expects)."""
    writer = csv.writer(out, delimiter=";")
    writer.writerow([c.title for c in response_columns(questionnaire)])
    async for rows in response_rows(session, window_id, questionnaire):
        writer.writerows([csv_cell(v) for v in row] for row in rows)


def table_workbook(
    title: str,
    heading: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    note: str = "",
) -> bytes:
    """A one-sheet form (pain map, accounting form): a heading, numbered columns, the rows."""
    book = StreamingWorkbook()
    lines: list[list[Any]] = [[heading], []]
    lines.append(list(columns))
    lines.append(list(range(1, len(columns) + 1)))
    lines += [list(r) for r in rows]
    if note:
        lines += [[], [note]]
    book.plain_sheet(title, lines, widths)
    return book.save()
