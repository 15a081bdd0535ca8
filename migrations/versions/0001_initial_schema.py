"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 22:06:32.127160
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.types

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "fsm_states",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=200), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_fsm_states")),
    )
    op.create_table(
        "survey_windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("questionnaire", sa.Text(), nullable=False),
        sa.Column("opens_at", bot.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("closes_at", bot.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", bot.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", bot.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("salt", sa.LargeBinary(length=32), nullable=True),
        sa.Column("respondents", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_windows")),
    )
    with op.batch_alter_table("survey_windows", schema=None) as batch_op:
        batch_op.create_index("ix_survey_windows_kind_closed", ["kind", "closed_at"], unique=False)

    op.create_table(
        "survey_drafts",
        sa.Column("person_key", sa.String(length=64), nullable=False),
        sa.Column("window_id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["window_id"],
            ["survey_windows.id"],
            name=op.f("fk_survey_drafts_window_id_survey_windows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_key", name=op.f("pk_survey_drafts")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("survey_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_drafts_window_id"), ["window_id"], unique=False)

    op.create_table(
        "survey_participations",
        sa.Column("window_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["window_id"],
            ["survey_windows.id"],
            name=op.f("fk_survey_participations_window_id_survey_windows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("window_id", "token", name=op.f("pk_survey_participations")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("window_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["window_id"],
            ["survey_windows.id"],
            name=op.f("fk_survey_responses_window_id_survey_windows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_responses_window_id"), ["window_id"], unique=False
        )

    op.create_table(
        "survey_answers",
        sa.Column("response_id", sa.String(length=32), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.String(length=64), nullable=False),
        sa.Column("scale", sa.String(length=16), nullable=False),
        sa.Column("choice", sa.String(length=64), nullable=False),
        sa.Column("window_id", sa.Integer(), nullable=False),
        sa.Column("num", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_responses.id"],
            name=op.f("fk_survey_answers_response_id_survey_responses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["window_id"],
            ["survey_windows.id"],
            name=op.f("fk_survey_answers_window_id_survey_windows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "response_id",
            "question_id",
            "row_id",
            "scale",
            "choice",
            name=op.f("pk_survey_answers"),
        ),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_survey_answers_window_question", ["window_id", "question_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_answers_window_question")

    op.drop_table("survey_answers")
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_responses_window_id"))

    op.drop_table("survey_responses")
    op.drop_table("survey_participations")
    with op.batch_alter_table("survey_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_drafts_window_id"))

    op.drop_table("survey_drafts")
    with op.batch_alter_table("survey_windows", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_windows_kind_closed")

    op.drop_table("survey_windows")
    op.drop_table("fsm_states")
