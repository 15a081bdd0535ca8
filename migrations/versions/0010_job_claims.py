"""job claims with a lease

Several instances run the same scheduler: a daily job (appeals digest, purge, quarterly
analysis) is claimed per day with a lease, so it runs once, and a claim left by a crashed
instance is taken over when its lease expires.

Revision ID: 0010_job_claims
Revises: 0006_reports
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_job_claims"
down_revision: str | None = "0006_reports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_claims",
        sa.Column("name", sa.String(length=96), nullable=False),
        sa.Column("holder", sa.String(length=96), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_claims")),
    )


def downgrade() -> None:
    op.drop_table("job_claims")
