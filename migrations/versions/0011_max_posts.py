"""staff chat message ids as text, for MAX

A reply to an appeal's card in a staff chat finds the appeal by the card's message id. MAX ids
messages by strings (`mid.…`), Telegram and VK by numbers, so the stored ids become text:
numbers are kept as their digits, which is how the adapters now pass every id.

Revision ID: 0011_max_posts
Revises: 0007_anonymity
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_max_posts"
down_revision: str | None = "0007_anonymity"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT_ID = sa.String(length=64)


def upgrade() -> None:
    with op.batch_alter_table("staff_posts", schema=None) as batch_op:
        batch_op.alter_column(
            "message_id",
            existing_type=sa.BigInteger(),
            type_=TEXT_ID,
            existing_nullable=False,
            postgresql_using="message_id::varchar(64)",
        )
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.alter_column(
            "staff_message_id",
            existing_type=sa.BigInteger(),
            type_=TEXT_ID,
            existing_nullable=True,
            postgresql_using="staff_message_id::varchar(64)",
        )


def downgrade() -> None:
    # MAX's ids are not numbers: those cards can no longer be replied to by id.
    op.execute(
        "UPDATE appeals SET staff_message_id = NULL WHERE staff_message_id IN "
        "(SELECT message_id FROM staff_posts WHERE platform = 'max')"
    )
    op.execute("DELETE FROM staff_posts WHERE platform = 'max'")
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.alter_column(
            "staff_message_id",
            existing_type=TEXT_ID,
            type_=sa.BigInteger(),
            existing_nullable=True,
            postgresql_using="staff_message_id::bigint",
        )
    with op.batch_alter_table("staff_posts", schema=None) as batch_op:
        batch_op.alter_column(
            "message_id",
            existing_type=TEXT_ID,
            type_=sa.BigInteger(),
            existing_nullable=False,
            postgresql_using="message_id::bigint",
        )
