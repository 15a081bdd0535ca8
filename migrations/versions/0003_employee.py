"""employee survey invitation codes

Revision ID: 0003_employee
Revises: 0001
Create Date: 2026-11-22 22:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_employee"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "employee_invites",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_employee_invites")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("employee_invites")
