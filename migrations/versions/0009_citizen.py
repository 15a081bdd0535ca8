"""formal registration of bot appeals, and the reason behind a low rating

A bot appeal is not a 59-FZ appeal (547-FZ); staff may register it formally and record the
registration number and date. A citizen who rates an answer 1 or 2 may say what was wrong.

Revision ID: 0009_citizen
Revises: 0006_reports
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_citizen"
down_revision: str | None = "0006_reports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("formal_number", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("formal_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("rating_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.drop_column("rating_reason")
        batch_op.drop_column("formal_date")
        batch_op.drop_column("formal_number")
