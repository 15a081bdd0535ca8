"""where VK's and MAX's long polls stopped reading

A restarted bot asked VK for a new long-poll server and read on from VK's current `ts`, and
polled MAX without a `marker`: what people wrote while the bot was down was never read. The
position after each batch taken is now stored and a restart reads on from it.

Revision ID: 0013_poll_positions
Revises: 0012_drop_fsm_states
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_poll_positions"
down_revision: str | None = "0012_drop_fsm_states"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "poll_positions",
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("position", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_poll_positions")),
    )


def downgrade() -> None:
    op.drop_table("poll_positions")
