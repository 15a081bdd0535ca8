"""Daily appeal jobs, as plain coroutines a scheduler (or cron with `python -m bot purge`)
can call: the staff digest of due and overdue appeals, and the personal-data purge."""

from __future__ import annotations

import logging

from bot.appeals.service import AppealService

log = logging.getLogger(__name__)


async def daily_digest(appeals: AppealService) -> bool:
    """Post appeals due within the digest horizon and overdue ones; False if there were none."""
    return await appeals.daily_digest() is not None


async def purge_personal_data(appeals: AppealService) -> int:
    """Anonymise appeals whose retention term has ended; the number anonymised."""
    purged = await appeals.purge()
    if purged:
        log.info("anonymised %d appeals after the retention term", purged)
    return purged
