"""answers never lost, nobody linkable

- One open or scheduled window per questionnaire, enforced by a partial unique index (two
  admins opening one at the same moment get one window). Duplicates already present are
  closed first, keeping the newest.
- Finished surveys wait, encrypted and keyed by a random id, in survey_pending_responses until
  they can be released into the answer tables as a group (bot/surveys/release.py).
- reminder_subscribers.blocked_at goes: it was written only for people who had not answered.

Revision ID: 0007_anonymity
Revises: 0009_lapsed_drafts
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_anonymity"
down_revision: str | None = "0009_lapsed_drafts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNCLOSED = sa.text("closed_at IS NULL")


def upgrade() -> None:
    op.execute(
        "UPDATE survey_windows SET closed_at = closes_at, salt = NULL "
        "WHERE closed_at IS NULL AND id NOT IN ("
        " SELECT MAX(id) FROM survey_windows WHERE closed_at IS NULL GROUP BY kind)"
    )
    op.create_index(
        "uq_survey_windows_kind_unclosed",
        "survey_windows",
        ["kind"],
        unique=True,
        sqlite_where=UNCLOSED,
        postgresql_where=UNCLOSED,
    )
    op.create_table(
        "survey_pending_responses",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("window_id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["window_id"],
            ["survey_windows.id"],
            name=op.f("fk_survey_pending_responses_window_id_survey_windows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_pending_responses")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        op.f("ix_survey_pending_responses_window_id"),
        "survey_pending_responses",
        ["window_id"],
    )
    with op.batch_alter_table("reminder_subscribers", schema=None) as batch_op:
        batch_op.drop_column("blocked_at")


def downgrade() -> None:
    with op.batch_alter_table("reminder_subscribers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("blocked_at", sa.DateTime(timezone=True), nullable=True))
    op.drop_index(
        op.f("ix_survey_pending_responses_window_id"), table_name="survey_pending_responses"
    )
    op.drop_table("survey_pending_responses")
    op.drop_index("uq_survey_windows_kind_unclosed", table_name="survey_windows")
