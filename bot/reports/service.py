"""Reports for admins, assembled from SQL aggregates of one window."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import IO, Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.appeals.metrics import Period
from bot.appeals.service import AppealService
from bot.db.models import SurveyWindow
from bot.reports.accounting import accounting_table, survey_rows
from bot.reports.chart_pool import ChartRenderer
from bot.reports.charts import Chart
from bot.reports.csi import build_csi_report, csi_level
from bot.reports.employee import build_employee_report
from bot.reports.employee_charts import employee_chart_data
from bot.reports.export import (
    ReportFile,
    csi_summary,
    employee_summary,
    responses_csv,
    table_workbook,
    window_workbook,
)
from bot.reports.painmap import appeal_pains, csi_pains, matrix_pains, painmap_rows, rank_pains
from bot.reports.window import PendingReport, WindowReport, csi_chart_specs, csi_trend
from bot.surveys.questionnaire import Questionnaire
from bot.surveys.windows import WindowService
from bot.texts import admin as admin_texts
from bot.texts import charts as chart_texts
from bot.texts import employee as employee_texts
from bot.texts import export as export_texts
from bot.texts import painmap as painmap_texts
from bot.texts import reports as texts
from bot.texts.common import fmt_date


def _started(charts: Coroutine[Any, Any, list[Chart]]) -> Callable[[], Awaitable[list[Chart]]]:
    """Start drawing now; the caller awaits the result after sending the text."""
    task = asyncio.ensure_future(charts)

    async def draw_charts() -> list[Chart]:
        return await task

    return draw_charts


class ReportService:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        windows: WindowService,
        min_group_size: int,
        appeals: AppealService | None = None,
        renderer: ChartRenderer | None = None,
        *,
        interim_results: bool = False,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._renderer = renderer or ChartRenderer(workers=0)
        self._windows = windows
        self.min_group_size = min_group_size
        # INTERIM_RESULTS: show a citizen window's results while it is open (differencing risk).
        self.interim_results = interim_results
        self._appeals = appeals

    def _counts_only(self, window: SurveyWindow) -> bool:
        """A citizen window still open gives only its count unless INTERIM_RESULTS is on."""
        return (
            window.audience == "external"
            and self._windows.state(window) != "closed"
            and not self.interim_results
        )

    async def window_report_text(self, window_id: int | None = None) -> str:
        window = await (
            self._windows.get(window_id) if window_id is not None else self._windows.latest()
        )
        if window is None:
            return (
                admin_texts.WINDOW_NOT_FOUND.format(id=window_id)
                if window_id is not None
                else admin_texts.NO_WINDOWS
            )
        async with self._sessionmaker() as session:
            pending = (await self._windows.pending_counts(session, [window.id])).get(window.id, 0)
        view = self._windows.view(window, pending)
        header = texts.window_header(view)
        internal = window.audience == "internal"
        if internal and view.state != "closed":
            return f"{header}\n\n{employee_texts.interim(view.respondents)}"
        if self._counts_only(window):
            return f"{header}\n\n{texts.interim_count(view.respondents)}"
        if window.respondents < self.min_group_size:
            return f"{header}\n\n{texts.too_few(window.respondents, self.min_group_size)}"
        questionnaire = Questionnaire.from_json(window.questionnaire)
        if internal:
            async with self._sessionmaker() as session:
                employee = await build_employee_report(
                    session, window.id, window.respondents, questionnaire, self.min_group_size
                )
            return f"{header}\n\n{employee_texts.employee_body(employee)}"
        async with self._sessionmaker() as session:
            report = await build_csi_report(session, window.id, window.respondents, questionnaire)
        level = csi_level(report.overall) if report.overall is not None else None
        return f"{header}\n\n{texts.csi_body(report, level)}"

    # --- Charts and files (issue 6) -----------------------------------------------------------
    async def window_report(self, window_id: int | None = None) -> WindowReport:
        """Text and chart images of a window (default: the latest), both ready.

        This is what goes to the admins when a window closes. Windows below the minimum group
        size, and employee windows while open, get the text and no charts. `/report` uses
        `report_then_charts` instead, to send the text before the charts are drawn.
        """
        pending = await self.report_then_charts(window_id)
        return WindowReport(pending.window_id, pending.text, await pending.draw_charts())

    async def report_then_charts(self, window_id: int | None = None) -> PendingReport:
        """The text of a window's report at once (the same SQL aggregates as the text alone),
        and a step that gives its charts when awaited. The chart data queries (trends, matrix
        counts) and the drawing (in the renderer's worker processes) begin once the text is
        ready, so they overlap the sending of the text and never delay it."""
        window = await (
            self._windows.get(window_id) if window_id is not None else self._windows.latest()
        )
        if window is None or window.respondents < self.min_group_size or self._counts_only(window):
            text = await self.window_report_text(window_id)
            return PendingReport(window.id if window else None, text, self._no_charts)
        questionnaire = Questionnaire.from_json(window.questionnaire)
        view = self._windows.view(window)
        caption = chart_texts.window_caption(
            window.id, view.opens_on, view.closes_on, window.respondents
        )
        if window.audience == "internal":
            text = await self.window_report_text(window.id)
            if view.state != "closed":
                return PendingReport(window.id, text, self._no_charts)  # no results while open

            async def employee_charts() -> list[Chart]:
                async with self._sessionmaker() as session:
                    specs = await employee_chart_data(
                        session, window, questionnaire, self.min_group_size, self._windows.tz,
                        caption,
                    )  # fmt: skip
                return await self._renderer.render(specs)

            return PendingReport(window.id, text, _started(employee_charts()))
        async with self._sessionmaker() as session:
            report = await build_csi_report(session, window.id, window.respondents, questionnaire)
        level = csi_level(report.overall) if report.overall is not None else None
        text = f"{texts.window_header(view)}\n\n{texts.csi_body(report, level)}"

        async def csi_charts() -> list[Chart]:
            async with self._sessionmaker() as session:
                trend = await csi_trend(session, window, self.min_group_size, self._windows.tz)
            specs = csi_chart_specs(report, trend, self.min_group_size, caption)
            return await self._renderer.render(specs)

        return PendingReport(window.id, text, _started(csi_charts()))

    @staticmethod
    async def _no_charts() -> list[Chart]:
        return []

    async def _exportable(self, window_id: int) -> tuple[SurveyWindow, Questionnaire] | str:
        """The window and its questionnaire, or why no file can be made of it (an employee
        window gives no results while it is open)."""
        window = await self._windows.get(window_id)
        if window is None:
            return admin_texts.WINDOW_NOT_FOUND.format(id=window_id)
        if window.respondents < self.min_group_size:
            return texts.too_few(window.respondents, self.min_group_size)
        if window.audience == "internal" and self._windows.state(window) != "closed":
            return export_texts.STILL_OPEN.format(id=window_id)
        if self._counts_only(window):
            return export_texts.STILL_OPEN_CITIZEN.format(id=window_id)
        return window, Questionnaire.from_json(window.questionnaire)

    async def export_window(self, window_id: int) -> ReportFile | str:
        """XLSX of a window: summary, anonymised responses, open answers."""
        found = await self._exportable(window_id)
        if isinstance(found, str):
            return found
        window, questionnaire = found
        view = self._windows.view(window)
        async with self._sessionmaker() as session:
            if window.audience == "internal":
                employee = await build_employee_report(
                    session, window.id, window.respondents, questionnaire, self.min_group_size
                )
                summary = employee_summary(view, employee)
            else:
                report = await build_csi_report(
                    session, window.id, window.respondents, questionnaire
                )
                summary = csi_summary(view, report)
            data = await window_workbook(session, view, questionnaire, summary)
        return ReportFile(
            export_texts.window_filename(window.id, "xlsx"),
            data,
            export_texts.EXPORT_CAPTION.format(id=window.id),
        )

    async def export_responses_csv(self, window_id: int, out: IO[str]) -> str | None:
        """Write the responses sheet as CSV to `out`; returns why not, or None when written."""
        found = await self._exportable(window_id)
        if isinstance(found, str):
            return found
        window, questionnaire = found
        async with self._sessionmaker() as session:
            await responses_csv(session, window.id, questionnaire, out)
        return None

    async def painmap(self, window_id: int) -> ReportFile | str:
        """The draft pain map of a window as XLSX: its low CSI criteria or dissatisfied matrix
        rows, plus the frequent appeal topics and complaints received during the window."""
        window = await self._windows.get(window_id)
        if window is None:
            return admin_texts.WINDOW_NOT_FOUND.format(id=window_id)
        if window.respondents < self.min_group_size:
            return texts.too_few(window.respondents, self.min_group_size)
        view = self._windows.view(window)
        if window.audience == "internal" and view.state != "closed":
            return painmap_texts.INTERIM
        questionnaire = Questionnaire.from_json(window.questionnaire)
        async with self._sessionmaker() as session:
            if window.audience == "internal":
                employee = await build_employee_report(
                    session, window.id, window.respondents, questionnaire, self.min_group_size
                )
                pains = matrix_pains(employee, window.title)
            else:
                report = await build_csi_report(
                    session, window.id, window.respondents, questionnaire
                )
                pains = csi_pains(report, window.title, self.min_group_size)
        if self._appeals is not None:
            period = Period(
                f"{fmt_date(view.opens_on)}–{fmt_date(view.closes_on)}",
                view.opens_on,
                view.closes_on + timedelta(days=1),
            )
            metrics = await self._appeals.metrics(period)
            pains += appeal_pains(metrics, self._appeals.classifier.title)
        ranked = rank_pains(pains)
        data = await asyncio.to_thread(
            table_workbook,
            painmap_texts.SHEET,
            painmap_texts.TITLE,
            painmap_texts.COLUMNS,
            painmap_rows(ranked) or [["", "", painmap_texts.NO_PAINS_ANY]],
            painmap_texts.NOTE,
        )
        return ReportFile(
            export_texts.painmap_filename(window.id),
            data,
            export_texts.PAINMAP_CAPTION.format(id=window.id),
        )

    async def accounting_form(self, year: int | None = None) -> ReportFile:
        """The accounting form (Appendix 1) of `year` (default: this year) as XLSX."""
        year = year or self._windows.today().year
        rows = survey_rows(
            self._windows.questionnaires, await self._windows.list_windows(limit=1000), year
        )
        data = await asyncio.to_thread(
            table_workbook,
            export_texts.ACCOUNTING_SHEET,
            export_texts.ACCOUNTING_TITLE.format(year=year),
            export_texts.ACCOUNTING_COLUMNS,
            accounting_table(rows),
            export_texts.ACCOUNTING_NOTE,
        )
        return ReportFile(
            export_texts.accounting_filename(year),
            data,
            export_texts.ACCOUNTING_CAPTION.format(year=year),
        )
