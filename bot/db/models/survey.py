"""Survey tables.

They are laid out for anonymity (README, "Anonymity"): responses and answers carry no
person id, no timestamp and no insertion order (random ids, `WITHOUT ROWID` on SQLite), and the
participation marks live in a table of their own with nothing in common with the responses but
the window id. See `bot/surveys/anonymity.py` for how the marks are made.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base
from bot.db.types import UtcDateTime

NO_ROWID = {"sqlite_with_rowid": False}


class SurveyWindow(Base):
    """A period during which one questionnaire accepts answers."""

    __tablename__ = "survey_windows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    audience: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    # The questionnaire as it was when the window opened, so later edits of the file do not
    # change what old answers mean.
    questionnaire: Mapped[str] = mapped_column(Text)
    opens_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closes_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Random per-window key for participation marks; erased when the window closes so that
    # nobody can test afterwards whether a given person took part.
    salt: Mapped[bytes | None] = mapped_column(LargeBinary(32), default=None)
    respondents: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        Index("ix_survey_windows_kind_closed", "kind", "closed_at"),
        # At most one open or scheduled window per questionnaire, even when two admins open
        # one at the same moment: the database refuses the second.
        Index(
            "uq_survey_windows_kind_unclosed",
            "kind",
            unique=True,
            sqlite_where=sql_text("closed_at IS NULL"),
            postgresql_where=sql_text("closed_at IS NULL"),
        ),
    )


class SurveyParticipation(Base):
    """ "Someone took part in window W": a keyed hash, no time, no order, no link to answers."""

    __tablename__ = "survey_participations"

    window_id: Mapped[int] = mapped_column(
        ForeignKey("survey_windows.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(64), primary_key=True)

    __table_args__ = (NO_ROWID,)


class SurveyResponse(Base):
    """One submitted questionnaire. The random id keeps no trace of submission order."""

    __tablename__ = "survey_responses"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    window_id: Mapped[int] = mapped_column(
        ForeignKey("survey_windows.id", ondelete="CASCADE"), index=True
    )

    __table_args__ = (NO_ROWID,)


class SurveyAnswer(Base):
    """One value of a response: a rating (`num`), a chosen option (`choice`) or a text.

    `row_id` names the row of a matrix or of a multi-row rating, `scale` the scale of a CSI
    criterion (`score` or `importance`); both are '' where they do not apply, so the primary
    key stays a plain composite one on every database.
    """

    __tablename__ = "survey_answers"

    response_id: Mapped[str] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(64), primary_key=True, default="")
    scale: Mapped[str] = mapped_column(String(16), primary_key=True, default="")
    choice: Mapped[str] = mapped_column(String(64), primary_key=True, default="")
    window_id: Mapped[int] = mapped_column(ForeignKey("survey_windows.id", ondelete="CASCADE"))
    num: Mapped[int | None] = mapped_column(Integer, default=None)
    text: Mapped[str | None] = mapped_column(Text, default=None)

    # Reports read only these indexes, never the table: the first covers the numeric
    # aggregates of a window in group order, the partial ones hold just the chosen options
    # and the free texts. (A partial index is used only when the query repeats its condition
    # literally, without bound parameters: see survey_stats.)
    __table_args__ = (
        Index(
            "ix_survey_answers_window_stats",
            "window_id",
            "question_id",
            "row_id",
            "scale",
            "num",
        ),
        Index(
            "ix_survey_answers_window_choice",
            "window_id",
            "question_id",
            "row_id",
            "choice",
            sqlite_where=sql_text("choice != ''"),
            postgresql_where=sql_text("choice != ''"),
        ),
        Index(
            "ix_survey_answers_window_text",
            "window_id",
            "question_id",
            "row_id",
            sqlite_where=sql_text("text IS NOT NULL"),
            postgresql_where=sql_text("text IS NOT NULL"),
        ),
        NO_ROWID,
    )


class SurveyDraft(Base):
    """A survey in progress. Keyed and encrypted with the server secret (see anonymity.py),
    and deleted when the person finishes, cancels, or the window closes."""

    __tablename__ = "survey_drafts"

    person_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_id: Mapped[int] = mapped_column(
        ForeignKey("survey_windows.id", ondelete="CASCADE"), index=True
    )
    payload: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = (NO_ROWID,)


class SurveyPendingResponse(Base):
    """A finished survey waiting to be released into the answer tables with others.

    Finished surveys are not written as responses one by one (the files and PostgreSQL's
    system columns keep the order of writes, which would tie each response to the moment, and
    so to the participation mark, of its author). They wait here, encrypted with the server
    secret and keyed by a random id (nothing of the person), until at least MIN_GROUP_SIZE of
    a window are waiting or the window closes; then all of them are released in random order
    in one transaction (bot/surveys/release.py).
    """

    __tablename__ = "survey_pending_responses"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    window_id: Mapped[int] = mapped_column(
        ForeignKey("survey_windows.id", ondelete="CASCADE"), index=True
    )
    payload: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = (NO_ROWID,)


class SurveyLapsedDraft(Base):
    """Someone had a survey under way when its window closed: only the same keyed hash as the
    draft's, without the window or any answer, so the person can be told that their unfinished
    answers were counted nowhere when they come back. Removed once told, and when the same
    person's next draft lapses."""

    __tablename__ = "survey_lapsed_drafts"

    person_key: Mapped[str] = mapped_column(String(64), primary_key=True)

    __table_args__ = (NO_ROWID,)
