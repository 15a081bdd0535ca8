"""survey windows run themselves: claimed side effects, plan reminders, reminder subscribers

Revision ID: 0004_schedule
Revises: 0003_employee
Create Date: 2026-11-22 22:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.types

revision: str = "0004_schedule"
down_revision: str | None = "0003_employee"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "survey_window_events",
        sa.Column("window_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=32), nullable=False),
        sa.Column("done_at", bot.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["window_id"],
            ["survey_windows.id"],
            name=op.f("fk_survey_window_events_window_id_survey_windows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("window_id", "event", name=op.f("pk_survey_window_events")),
    )
    op.create_table(
        "plan_reminders",
        sa.Column("period", sa.String(length=64), nullable=False),
        sa.Column("sent_at", bot.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("period", name=op.f("pk_plan_reminders")),
    )
    op.create_table(
        "reminder_subscribers",
        sa.Column("platform", sa.String(length=8), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("subscribed_at", bot.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("blocked_at", bot.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("platform", "user_id", name=op.f("pk_reminder_subscribers")),
    )
    # Windows that existed before: their admins already got the link when opening, and
    # closed ones were reported and published without the bot; none of that is sent again
    # when the scheduler first runs.
    op.execute(
        "INSERT INTO survey_window_events (window_id, event, done_at) "
        "SELECT id, 'invite', created_at FROM survey_windows WHERE opens_at <= created_at"
    )
    for event in ("report", "publication"):
        op.execute(
            "INSERT INTO survey_window_events (window_id, event, done_at) "
            f"SELECT id, '{event}', closed_at FROM survey_windows WHERE closed_at IS NOT NULL"
        )


def downgrade() -> None:
    op.drop_table("reminder_subscribers")
    op.drop_table("plan_reminders")
    op.drop_table("survey_window_events")
