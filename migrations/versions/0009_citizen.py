"""formal registration of bot appeals, and the reason behind a low rating

A bot appeal is not a 59-FZ appeal (547-FZ); staff may register it formally and record the
registration number and date. A citizen who rates an answer 1 or 2 may say what was wrong.
A survey left unfinished when its window closes leaves only its keyed hash behind, so the person
can be told that those answers were counted nowhere.

Revision ID: 0009_citizen
Revises: 0010_job_claims
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_citizen"
down_revision: str | None = "0010_job_claims"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "survey_lapsed_drafts",
        sa.Column("person_key", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("person_key"),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("formal_number", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("formal_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("rating_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_table("survey_lapsed_drafts")
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.drop_column("rating_reason")
        batch_op.drop_column("formal_date")
        batch_op.drop_column("formal_number")
