"""Tables that let survey windows run themselves exactly once across restarts.

The windows table stays the source of truth for when things are due; these tables record which
side effects (invitation, reminders, report, publication reminder) have been performed, who
agreed to private reminders, and the claims (with a lease) that keep two instances from
performing the same side effect at once and let a survivor redo one whose instance died.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base
from bot.db.types import UtcDateTime


class WindowEvent(Base):
    """A side effect of a window that was performed; while it is being performed, its
    `job_claims` row (`window:<id>:<event>`) holds it. "report" is written by the closing
    transaction with the report's outbox rows: from then on the outbox owes it."""

    __tablename__ = "survey_window_events"

    window_id: Mapped[int] = mapped_column(
        ForeignKey("survey_windows.id", ondelete="CASCADE"), primary_key=True
    )
    event: Mapped[str] = mapped_column(String(32), primary_key=True)
    done_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PlanReminder(Base):
    """An admin message about a period, sent once: the reminder that a period of the frequency
    plan ends without its survey, or the quarterly appeals analysis (`appeals:2026Q3`)."""

    __tablename__ = "plan_reminders"

    period: Mapped[str] = mapped_column(String(64), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReminderSubscriber(Base):
    """A person who asked for private reminders about employee surveys.

    Nothing here is linked to answers or participation marks: whether the person has taken
    part is tested, while the window is open, with the same keyed hash the survey uses.
    """

    __tablename__ = "reminder_subscribers"

    platform: Mapped[str] = mapped_column(String(8), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    subscribed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Nothing records that a reminder failed (the person blocked the bot): only people who had
    # not taken part are reminded, so such a mark would tell who had not answered by then.


class JobClaim(Base):
    """A run of a daily job (`daily:appeals-digest:2026-12-24`), a window's side effect
    (`window:3:invite`) or a plan reminder (`plan:...`) claimed by one instance.

    A claim has a lease: if the instance that holds it dies before
    `done_at` is written, another instance takes the run over once `expires_at` has passed.
    """

    __tablename__ = "job_claims"

    name: Mapped[str] = mapped_column(String(96), primary_key=True)
    holder: Mapped[str] = mapped_column(String(96))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class OutboxMessage(Base):
    """A message a state change owes someone (the citizen told their appeal was answered, a
    staff card, an admin's report of a closed window), written in the change's transaction and
    kept until delivered (`sent_at`); see bot/outbox.py."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index(
            "ix_outbox_pending",
            "next_at",
            sqlite_where=text("sent_at IS NULL"),
            postgresql_where=text("sent_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(8))
    user_id: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
