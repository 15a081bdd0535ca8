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
import tempfile
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from openpyxl.utils import get_column_letter
from sqlalchemy import String, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import SurveyAnswer, SurveyResponse
from bot.reports.csi import CsiReport, csi_level
from bot.reports.employee import ChoiceBlock, EmployeeReport, OpenBlock
from bot.reports.sheet_xml import SheetXmlWriter, splice_rows
from bot.reports.workbook import (
    TEXT_MAX,
    Col,
    Kind,
    PrintableWorkbook,
    Section,
    Value,
    header_width,
    printable,
)
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
    are streamed as raw XML into a temporary file and spliced in (see `sheet_xml`), which is
    what keeps a window of 100,000 respondents within seconds and a bounded amount of memory.
    """
    book = PrintableWorkbook()
    book.sections(texts.SUMMARY_SHEET, texts.summary_heading(view.id, view.title), summary)
    columns = response_header(questionnaire)
    responses = book.book.create_sheet(texts.RESPONSES_SHEET)
    for n, column in enumerate(columns, start=1):
        responses.column_dimensions[get_column_letter(n)].width = column.width
    responses.freeze_panes = "A2"
    printable(responses, 1)
    responses.append(book.header_row(responses, columns))
    answers = await open_answers(session, view.id, questionnaire)
    await asyncio.to_thread(
        book.table, texts.OPEN_SHEET, texts.OPEN_COLUMNS, [list(a) for a in answers]
    )
    with tempfile.TemporaryFile() as xml:
        writer = SheetXmlWriter(xml, first_row=2)
        async for rows in response_rows(session, view.id, questionnaire):
            await asyncio.to_thread(writer.append_rows, rows)
        last = f"{get_column_letter(max(len(columns), 1))}{max(writer.last_row, 1)}"
        responses.auto_filter.ref = f"A1:{last}"
        frame = await asyncio.to_thread(book.save)
        return await asyncio.to_thread(splice_rows, frame, responses.path, xml, last)


async def responses_csv(
    session: AsyncSession, window_id: int, questionnaire: Questionnaire, out: IO[str]
) -> None:
    """The responses sheet as CSV (`;`-separated, as Russian Excel expects)."""
    writer = csv.writer(out, delimiter=";")
    writer.writerow([c.title for c in response_columns(questionnaire)])
    async for rows in response_rows(session, window_id, questionnaire):
        writer.writerows(rows)


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
