"""Values of the appeal domain: kinds, channels, states, attachments, a read-only view, terms."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.core.ports import Attachment, Person

KINDS = ("appeal", "complaint")
OUTCOMES = ("satisfied", "refused")
# Where an appeal came from; messenger channels are set by the bot, the rest by /register.
MESSENGER_CHANNELS = {"tg": "telegram", "vk": "vk", "max": "max"}
OFFLINE_CHANNELS = ("email", "post", "phone", "website", "reception", "portal")
# States: registered -> in_work -> answered -> closed; redirected is final for this body;
# a follow-up question reopens an answered appeal into in_work.
OPEN_STATES = ("registered", "in_work")


class AppealError(Exception):
    """A refused action on an appeal; the message is the Russian text to show."""


@dataclass(frozen=True)
class AppealTerms:
    """59-FZ terms in calendar days (unlike survey windows, which count working days)."""

    answer_days: int = 30
    redirect_days: int = 7
    extension_days: int = 30
    retention_years: int = 5
    digest_days: int = 3

    def answer_due(self, registered_at: datetime) -> datetime:
        return registered_at + timedelta(days=self.answer_days)

    def redirect_due(self, registered_at: datetime) -> datetime:
        return registered_at + timedelta(days=self.redirect_days)

    def retention_cutoff(self, now: datetime) -> datetime:
        """Appeals finished before this moment have outlived their retention term."""
        year = now.year - self.retention_years
        day = min(now.day, 28) if now.month == 2 and now.day == 29 else now.day
        return now.replace(year=year, day=day)


@dataclass(frozen=True)
class AppealView:
    number: int
    channel: str
    kind: str
    topic: str
    text: str
    state: str
    person: Person | None
    name: str | None
    email: str | None
    received_at: datetime
    registered_at: datetime
    due_at: datetime
    extended: bool = False
    extension_reason: str | None = None
    answer_text: str | None = None
    answered_at: datetime | None = None
    redirected_to: str | None = None
    outcome: str | None = None
    rating: int | None = None
    followup_text: str | None = None
    executor: str | None = None
    formal_number: str | None = None
    formal_date: date | None = None
    rating_reason: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    # After a staff action: whether the citizen's notice was delivered (None: nobody to tell,
    # e.g. an appeal received by post), so staff are never told "notified" when it failed.
    citizen_notified: bool | None = None

    def overdue(self, now: datetime) -> bool:
        return self.state in OPEN_STATES and now > self.due_at
