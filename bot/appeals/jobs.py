"""Appeal jobs, as plain coroutines a scheduler (or cron with `python -m bot purge`) can call:
the staff digest of due and overdue appeals, the personal-data purge, and the quarterly
analysis for the admins."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.appeals.metrics import Period, parse_period
from bot.appeals.service import AppealService
from bot.core.ports import Notifications
from bot.db.models import PlanReminder
from bot.reports.appeal_charts import appeals_analysis
from bot.reports.chart_pool import ChartRenderer
from bot.surveys.calendar import ProductionCalendar
from bot.texts import logs

log = logging.getLogger(__name__)


async def daily_digest(appeals: AppealService) -> bool:
    """Post appeals due within the digest horizon and overdue ones; False if there were none."""
    return await appeals.daily_digest() is not None


async def purge_personal_data(appeals: AppealService) -> int:
    """Anonymise appeals whose retention term has ended; the number anonymised."""
    purged = await appeals.purge()
    if purged:
        log.info(logs.APPEALS_PURGED, purged)
    return purged


def previous_quarter(today: date) -> Period:
    quarter = (today.month - 1) // 3 + 1
    year, quarter = (today.year - 1, 4) if quarter == 1 else (today.year, quarter - 1)
    return parse_period(f"{year}Q{quarter}", today)


async def quarterly_analysis(
    appeals: AppealService,
    sessionmaker: async_sessionmaker[AsyncSession],
    calendar: ProductionCalendar,
    notifier: Notifications,
    min_group: int,
    renderer: ChartRenderer,
) -> bool:
    """On the first working day of a quarter the admins get the previous quarter's analysis,
    once: the text as soon as it is ready, then its charts (drawn meanwhile by `renderer`).
    `plan_reminders` records the quarter once the text was sent. The scheduler runs this under
    the day's claim (`JobClaims`), which keeps instances apart and redoes it if the instance
    died before the text went out; a failed text raises, so the claim is released and the next
    tick tries again. Charts that fail after the text went out are logged, not retried (the
    admins would get the text twice)."""
    today = appeals.now().astimezone(appeals.tz).date()
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    if calendar.nth_working_day(quarter_start, 1) != today:
        return False
    period = previous_quarter(today)
    key = f"appeals:{period.label}"
    async with sessionmaker() as session:
        if await session.get(PlanReminder, key) is not None:
            return False
    text, draw_charts = await appeals_analysis(appeals, period, min_group, renderer)
    await notifier.to_admins(text)
    try:
        async with sessionmaker() as session, session.begin():
            session.add(PlanReminder(period=key, sent_at=appeals.now()))
    except IntegrityError:  # run outside the scheduler's claim, by two callers at once
        return False
    try:
        images = await draw_charts()
        if images:
            await notifier.to_admins("", images)
    except Exception:
        log.exception(logs.QUARTERLY_CHARTS_FAILED, period.label)
    return True
