"""Reports for admins, assembled from SQL aggregates of one window."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.reports.csi import build_csi_report, csi_level
from bot.reports.employee import build_employee_report
from bot.surveys.questionnaire import Questionnaire
from bot.surveys.windows import WindowService
from bot.texts import admin as admin_texts
from bot.texts import employee as employee_texts
from bot.texts import reports as texts


class ReportService:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        windows: WindowService,
        min_group_size: int,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._windows = windows
        self.min_group_size = min_group_size

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
        view = self._windows.view(window)
        header = texts.window_header(view)
        internal = window.audience == "internal"
        if internal and view.state != "closed":
            return f"{header}\n\n{employee_texts.interim(window.respondents)}"
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
