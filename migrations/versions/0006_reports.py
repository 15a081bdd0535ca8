"""covering indexes for reports

The reports of a window with 100,000 respondents must take seconds, not minutes: the
aggregates read a covering index instead of looking every answer up by its random primary key,
and the chosen options and open answers come from small partial indexes.

Revision ID: 0006_reports
Revises: 0005_appeals
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_reports"
down_revision: str | None = "0005_appeals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT_PRESENT = sa.text("text IS NOT NULL")
CHOICE_PRESENT = sa.text("choice != ''")


def upgrade() -> None:
    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_answers_window_question")
        batch_op.create_index(
            "ix_survey_answers_window_stats",
            ["window_id", "question_id", "row_id", "scale", "num"],
            unique=False,
        )
        batch_op.create_index(
            "ix_survey_answers_window_choice",
            ["window_id", "question_id", "row_id", "choice"],
            unique=False,
            sqlite_where=CHOICE_PRESENT,
            postgresql_where=CHOICE_PRESENT,
        )
        batch_op.create_index(
            "ix_survey_answers_window_text",
            ["window_id", "question_id", "row_id"],
            unique=False,
            sqlite_where=TEXT_PRESENT,
            postgresql_where=TEXT_PRESENT,
        )


def downgrade() -> None:
    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_answers_window_text")
        batch_op.drop_index("ix_survey_answers_window_choice")
        batch_op.drop_index("ix_survey_answers_window_stats")
        batch_op.create_index(
            "ix_survey_answers_window_question", ["window_id", "question_id"], unique=False
        )
