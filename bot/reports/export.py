"""Workbooks and CSV for admins: the window export, the pain map, the accounting form.

The responses sheet is streamed straight from an SQL query, one chunk at a time, as raw
worksheet XML (`sheet_xml`), so a window of 100,000 respondents never sits in memory as objects;
openpyxl (write-only) builds the rest of the workbook, formatted by `workbook`.
Rows come ordered by the random response id, which shuffles them; there are no dates to
coarsen, because responses carry no time at all (README, "Anonymity"). Open answers go to a
sheet of their own, sorted by text, so their order cannot be matched with the responses sheet.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, TypeVar

from sqlalchemy import String, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import SurveyAnswer, SurveyResponse
from bot.reports.csi import CsiReport, csi_level
from bot.reports.employee import ChoiceBlock, EmployeeReport, OpenBlock
from bot.reports.sheet_xml import (
    SEP,
    Packed,
    PackedRows,
    SheetColumn,
    StreamedSheet,
    text_rows_xml,
)
from bot.reports.workbook import (
    TEXT_MAX,
    Col,
    Kind,
    PrintableWorkbook,
    Section,
    Value,
    header_width,
)
from bot.sanitize import csv_cell
from bot.surveys.questionnaire import Questionnaire, Step, TextQuestion
from bot.surveys.windows import WindowView
from bot.texts import export as texts
from bot.texts.reports import LEVEL_NAMES

CHUNK = 5_000
"""Responses fetched and written per step; bounds memory whatever the window size."""

Key = tuple[str, str, str]
T = TypeVar("T")


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


def sheet_columns(questionnaire: Questionnaire) -> list[SheetColumn]:
    """`response_columns` with what each holds: option texts, or numbers."""
    questions = {q.id: q for q in questionnaire.questions}
    out = []
    for column in response_columns(questionnaire):
        options = getattr(questions[column.key[0]], "options", None)
        out.append(SheetColumn(column.key, {o.id: o.text for o in options} if options else None))
    return out


async def packed_responses(
    session: AsyncSession, window_id: int
) -> AsyncIterator[Sequence[Packed]]:
    """Chunks of responses, each as its question ids, row ids, scales and values (see
    `sheet_xml`), ordered by the random response id.

    The database walks the responses of the window by their id through the index on
    `window_id` and picks each one's answers by primary key; aggregating them into four plain
    lists per response keeps Python at 100,000 rows rather than millions (the per-row cost of
    the driver dominates otherwise), and costs the database less than gluing a key to every
    value. The Core connection is used: ORM result processing would cost more than the query.
    """
    a, r = SurveyAnswer, SurveyResponse
    joined = [
        func.aggregate_strings(column, SEP)
        for column in (
            a.question_id,
            a.row_id,
            a.scale,
            func.coalesce(cast(a.num, String), a.choice),
        )
    ]
    query = (
        select(*joined)
        .select_from(r)
        .join(a, a.response_id == r.id)
        .where(r.window_id == window_id, a.text.is_(None))
        .group_by(r.id)
        .order_by(r.id)
    )
    connection = await session.connection()
    result = await connection.stream(query.execution_options(yield_per=CHUNK))
    async for partition in result.partitions(CHUNK):
        yield partition  # type: ignore[misc]


async def prefetched(chunks: AsyncIterator[T], depth: int = 2) -> AsyncIterator[T]:
    """`chunks`, with the next ones fetched while the caller works on the current one: the
    database (in the driver's thread) and the writing (in a worker thread) then share the
    cores instead of taking turns."""
    queue: asyncio.Queue[tuple[T] | Exception | None] = asyncio.Queue(maxsize=depth)

    async def produce() -> None:
        try:
            async for chunk in chunks:
                await queue.put((chunk,))
        except Exception as error:  # handed over: the caller re-raises it
            await queue.put(error)
        else:
            await queue.put(None)

    producer = asyncio.create_task(produce())
    try:
        while (item := await queue.get()) is not None:
            if isinstance(item, Exception):
                raise item
            yield item[0]
    finally:
        producer.cancel()


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


KEY_COLUMNS = (Col("", "int"), Col(texts.INDICATOR, "long"), Col(texts.VALUE, "text"))


def _key_figures(view: WindowView, figures: Sequence[tuple[str, Any, Kind]]) -> Section:
    rows: list[list[Any]] = [
        [None, texts.WINDOW, f"№{view.id} «{view.title}»"],
        [None, texts.PERIOD, f"{view.opens_on:%d.%m.%Y} – {view.closes_on:%d.%m.%Y}"],
        [None, texts.RESPONDENTS, Value(view.respondents, "int")],
    ]
    rows += [[None, label, Value(value, kind)] for label, value, kind in figures]
    return Section(texts.KEY_FIGURES, KEY_COLUMNS, rows)


def csi_summary(view: WindowView, report: CsiReport) -> list[Section]:
    """The report's numbers, as the text report gives them, as tables of numbers."""
    figures: list[tuple[str, Any, Kind]] = []
    if report.overall is not None:
        figures += [
            (texts.OVERALL, round(report.overall, 1), "num"),
            (texts.LEVEL, LEVEL_NAMES[csi_level(report.overall)], "text"),
        ]
    figures.append((texts.OPEN_COUNT, report.open_answers, "int"))
    sections = [_key_figures(view, figures)]
    if report.criteria:
        criteria = [
            [
                c.number,
                c.text,
                c.answers,
                round(c.mean_score, 2),
                round(c.mean_importance, 2),
                round(c.csi, 1),
                c.satisfied_share,
                LEVEL_NAMES[csi_level(c.csi)],
            ]
            for c in report.criteria
        ]
        sections.append(Section(texts.CRITERIA_SECTION, texts.CRITERIA_COLUMNS, criteria))
    if report.ratings:
        ratings = [
            [r.number, r.text, r.answers, round(r.mean, 2), r.high_share] for r in report.ratings
        ]
        sections.append(Section(texts.RATINGS_SECTION, texts.RATING_COLUMNS, ratings))
    choices = [
        [choice.number, f"{choice.text}: {option}", n, n / choice.total if choice.total else None]
        for choice in report.choices
        for option, n in choice.counts
    ]
    if choices:
        sections.append(Section(texts.CHOICES_SECTION, texts.CHOICE_COLUMNS, choices))
    return sections


def employee_summary(view: WindowView, report: EmployeeReport) -> list[Section]:
    """The employee report as tables: satisfaction per matrix row (worst first), eNPS, every
    answer's count and share, open answers counted. Hidden rows say why and carry no numbers."""
    hidden = texts.HIDDEN.format(minimum=report.min_group)
    satisfaction: list[list[Any]] = []
    answers: list[list[Any]] = []
    recommend: list[list[Any]] = []
    open_rows: list[list[Any]] = []
    figures: list[tuple[str, Any, Kind]] = []
    for block in report.blocks:
        if isinstance(block, ChoiceBlock):
            for row in block.rows:
                label = f"{block.text}: {row.label}" if row.label else block.text
                if row.hidden:
                    answers.append([block.number, label, None, None, hidden])
                    continue
                if row.satisfied_share is not None:
                    satisfaction.append([block.number, label, row.total, row.satisfied_share])
                answers += [
                    [block.number, f"{label} — {option}", n, n / row.total if row.total else None]
                    for option, n in row.counts
                ]
        elif isinstance(block, OpenBlock):
            for open_row in block.rows:
                label = f"{block.text}: {open_row.label}" if open_row.label else block.text
                if open_row.hidden:
                    open_rows.append([block.number, label, None, hidden])
                else:
                    open_rows.append([block.number, label, open_row.texts])
        elif block.hidden:
            recommend.append([block.number, block.text, None, None, None, None, None, None, hidden])
        else:
            passives = block.answers - block.promoters - block.detractors
            recommend.append(
                [
                    block.number,
                    block.text,
                    block.answers,
                    round(block.enps, 1),
                    round(block.mean, 2),
                    block.promoters / block.answers,
                    passives / block.answers,
                    block.detractors / block.answers,
                ]
            )
            figures.append((texts.ENPS, round(block.enps, 1), "num"))
    sections = [_key_figures(view, figures)]
    if satisfaction:
        satisfaction.sort(key=lambda r: r[3])
        sections.append(
            Section(texts.SATISFACTION_SECTION, texts.SATISFACTION_COLUMNS, satisfaction)
        )
    if recommend:
        sections.append(Section(texts.ENPS_SECTION, texts.ENPS_COLUMNS, recommend))
    if answers:
        sections.append(Section(texts.ANSWERS_SECTION, texts.ANSWER_COLUMNS, answers))
    if open_rows:
        sections.append(Section(texts.OPEN_SECTION, texts.OPEN_COUNT_COLUMNS, open_rows))
    return sections


def response_header(questionnaire: Questionnaire) -> list[Col]:
    """Columns of the responses sheet, each as wide as its header's words and its longest
    possible value (the data is never scanned for widths: it may be 100,000 rows)."""
    cols = []
    for column in response_columns(questionnaire):
        question = next(q for q in questionnaire.questions if q.id == column.key[0])
        longest = max((len(o.text) for o in getattr(question, "options", None) or ()), default=3)
        width = min(TEXT_MAX, max(longest, header_width(column.title))) + 2
        cols.append(Col(column.title, width=width))
    return cols


async def window_workbook(
    session: AsyncSession,
    view: WindowView,
    questionnaire: Questionnaire,
    summary: Sequence[Section],
) -> bytes:
    """Summary, anonymised responses and open answers of one window, as XLSX bytes.

    openpyxl writes the workbook with the responses sheet holding only its header; the rows
    are streamed as raw XML into that sheet while the file is compressed (see `sheet_xml`),
    which keeps a window of 100,000 respondents within seconds and a bounded amount of memory
    (the compressed file itself is held: it is what gets sent).
    """
    book = PrintableWorkbook()
    book.sections(texts.SUMMARY_SHEET, texts.summary_heading(view.id, view.title), summary)
    responses = book.header_only(texts.RESPONSES_SHEET, response_header(questionnaire))
    opened = book.header_only(texts.OPEN_SHEET, texts.OPEN_COLUMNS)
    answers = await open_answers(session, view.id, questionnaire)
    open_rows = text_rows_xml(answers, 2, book.style_id(opened, wrap=True))
    frame = await asyncio.to_thread(book.save)
    packer = PackedRows(sheet_columns(questionnaire))
    out = io.BytesIO()
    sheet = StreamedSheet(frame, responses.path, out, {opened.path: (open_rows, len(answers))})

    def write(chunk: Sequence[Packed]) -> None:
        sheet.write(*packer.xml(chunk, sheet.rows + 1))

    async for chunk in prefetched(packed_responses(session, view.id)):
        await asyncio.to_thread(write, chunk)
    await asyncio.to_thread(sheet.close)
    return out.getvalue()


async def responses_csv(
    session: AsyncSession, window_id: int, questionnaire: Questionnaire, out: IO[str]
) -> None:
    """The responses sheet as CSV (`;`-separated, as Russian Excel expects)."""
    writer = csv.writer(out, delimiter=";")
    writer.writerow([c.title for c in response_columns(questionnaire)])
    packer = PackedRows(sheet_columns(questionnaire))
    async for chunk in packed_responses(session, window_id):
        writer.writerows([csv_cell(v) for v in row] for row in packer.cells(chunk))


def table_workbook(
    title: str,
    heading: str,
    columns: Sequence[Col],
    rows: Sequence[Sequence[Any]],
    note: str = "",
) -> bytes:
    """A one-sheet form (pain map, accounting form): a heading, numbered columns, the rows."""
    book = PrintableWorkbook()
    book.table(title, columns, rows, heading=[heading], numbered=True, note=note)
    return book.save()
