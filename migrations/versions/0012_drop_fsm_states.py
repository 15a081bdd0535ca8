"""no aiogram FSM storage

No dialog used aiogram's finite-state machine (every dialog keeps its state in its own table),
yet aiogram read a state on every update; the FSM is switched off and its table goes.

Revision ID: 0012_drop_fsm_states
Revises: 0011_max_posts
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_drop_fsm_states"
down_revision: str | None = "0011_max_posts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_table("fsm_states")


def downgrade() -> None:
    op.create_table(
        "fsm_states",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=200), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_fsm_states")),
    )
