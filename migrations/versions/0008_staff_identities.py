"""staff per messenger, signed answers, staff dialogs, staff chat posts

Staff become messenger accounts (`tg:123`, `vk:456`) with a name and a position that sign
their answers; an appeal keeps its executor; the staff /register and answer-preview dialogs
keep their state in the database; every post in a staff chat that stands for an appeal (the
card, a follow-up) is remembered by its message id, so a reply finds its appeal by id.

Revision ID: 0008_staff_identities
Revises: 0010_job_claims
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.db.types import UtcDateTime

revision: str = "0008_staff_identities"
down_revision: str | None = "0010_job_claims"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_people",
        sa.Column("person_key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("position", sa.String(length=200), nullable=True),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("added_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("person_key", name=op.f("pk_staff_people")),
    )
    op.execute(
        "INSERT INTO staff_people (person_key, added_by, added_at) "
        "SELECT 'tg:' || CAST(user_id AS VARCHAR(20)), "
        "'tg:' || CAST(added_by AS VARCHAR(20)), added_at FROM staff_members"
    )
    op.drop_table("staff_members")
    op.create_table(
        "staff_dialogs",
        sa.Column("person_key", sa.String(length=64), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("person_key", name=op.f("pk_staff_dialogs")),
    )
    op.create_table(
        "staff_posts",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("appeal_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["appeal_number"],
            ["appeals.number"],
            name=op.f("fk_staff_posts_appeal_number_appeals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("platform", "message_id", name=op.f("pk_staff_posts")),
    )
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("executor", sa.String(length=400), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.drop_column("executor")
    op.drop_table("staff_posts")
    op.drop_table("staff_dialogs")
    op.create_table(
        "staff_members",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("added_by", sa.BigInteger(), nullable=False),
        sa.Column("added_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_staff_members")),
    )
    op.execute(
        "INSERT INTO staff_members (user_id, added_by, added_at) "
        "SELECT CAST(substr(person_key, 4) AS BIGINT), "
        "CAST(CASE WHEN added_by LIKE 'tg:%' THEN substr(added_by, 4) ELSE '0' END AS BIGINT), "
        "added_at FROM staff_people WHERE person_key LIKE 'tg:%'"
    )
    op.drop_table("staff_people")
