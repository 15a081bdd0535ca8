"""keyed hashes of surveys left unfinished at a window's close

A survey under way when its window closes is counted nowhere; only the draft's keyed hash stays
(no window, no answers), so the person can be told so when they come back. A separate revision
because 0009_citizen was already merged and applied.

Revision ID: 0009_lapsed_drafts
Revises: 0008_staff_identities
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_lapsed_drafts"
down_revision: str | None = "0008_staff_identities"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "survey_lapsed_drafts",
        sa.Column("person_key", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("person_key"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("survey_lapsed_drafts")
