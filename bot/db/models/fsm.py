"""Storage of aiogram's finite-state machine."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class FsmState(Base):
    """aiogram FSM storage for transport-level dialogs, so they survive a restart."""

    __tablename__ = "fsm_states"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(200), default=None)
    data: Mapped[str] = mapped_column(Text, default="{}")
