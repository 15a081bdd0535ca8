"""Invitation codes for the employee survey.

Only a hash of each *unused* code is kept; a code's row is deleted when it is used, and nothing
records who used it or when, so the table can never link a person to a response.
"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base
from bot.db.models.survey import NO_ROWID


class EmployeeInvite(Base):
    """An unused one-time invitation code, as SHA-256 hex of the code."""

    __tablename__ = "employee_invites"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)

    __table_args__ = (NO_ROWID,)
