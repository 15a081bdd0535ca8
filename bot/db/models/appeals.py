"""Appeal tables. Unlike the survey tables these are NOT anonymous: an appeal must be answered,
so it keeps who filed it (platform and user id) until the personal data retention term ends
(see `bot/appeals/service.py`, `purge`)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base
from bot.db.types import UtcDateTime


class Appeal(Base):
    """One appeal or complaint; `number` is the registration number shown as №N."""

    __tablename__ = "appeals"

    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    # Who wrote through a messenger; None for appeals registered by staff from other channels.
    platform: Mapped[str | None] = mapped_column(String(16), default=None)
    user_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    name: Mapped[str | None] = mapped_column(String(200), default=None)
    email: Mapped[str | None] = mapped_column(String(200), default=None)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    redirect_due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    extension_reason: Mapped[str | None] = mapped_column(Text, default=None)
    taken_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    taken_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    answered_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    answer_text: Mapped[str | None] = mapped_column(Text, default=None)
    # Seconds from registration to the first answer / to the redirect, kept as integers so
    # the metrics can average and order them with portable SQL.
    answer_seconds: Mapped[int | None] = mapped_column(Integer, default=None)
    redirected_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    redirected_to: Mapped[str | None] = mapped_column(String(300), default=None)
    redirect_seconds: Mapped[int | None] = mapped_column(Integer, default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    outcome: Mapped[str | None] = mapped_column(String(16), default=None)
    rating: Mapped[int | None] = mapped_column(Integer, default=None)
    followup_text: Mapped[str | None] = mapped_column(Text, default=None)
    # What the citizen said was wrong after rating the answer 1 or 2 (optional).
    rating_reason: Mapped[str | None] = mapped_column(Text, default=None)
    # Staff registered the appeal formally (59-FZ) in the body's own system: number and date.
    formal_number: Mapped[str | None] = mapped_column(String(64), default=None)
    formal_date: Mapped[date | None] = mapped_column(Date, default=None)
    # The card's id in the staff chat as its messenger writes it ("mid.…" on MAX).
    staff_message_id: Mapped[str | None] = mapped_column(String(64), default=None)
    # Who answered, as signed: "Фамилия И.О., должность" (the register's executor).
    executor: Mapped[str | None] = mapped_column(String(400), default=None)
    purged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    attachments: Mapped[list[AppealAttachment]] = relationship(
        order_by="AppealAttachment.id", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        Index("ix_appeals_person", "platform", "user_id"),
        Index("ix_appeals_received", "received_at"),
        Index("ix_appeals_state_due", "state", "due_at"),
    )


class AppealAttachment(Base):
    """A photo or document as the messenger's own file id (nothing is downloaded)."""

    __tablename__ = "appeal_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appeal_number: Mapped[int] = mapped_column(
        ForeignKey("appeals.number", ondelete="CASCADE"), index=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    file_id: Mapped[str | None] = mapped_column(String(300))


class AppealIntake(Base):
    """A citizen's appeal dialog in progress (JSON), keyed by `Person.key`."""

    __tablename__ = "appeal_intakes"

    person_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AppealContact(Base):
    """Name and e-mail remembered for a person's next appeal."""

    __tablename__ = "appeal_contacts"

    person_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200), default=None)


class StaffMember(Base):
    """A messenger account that may handle appeals (admins come from ADMINS), with the name
    and position that sign its answers."""

    __tablename__ = "staff_people"

    person_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200), default=None)
    position: Mapped[str | None] = mapped_column(String(200), default=None)
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)

    @property
    def signature(self) -> str | None:
        """ "Фамилия И.О., должность", as the citizen sees under an answer."""
        parts = [p for p in (self.name, self.position) if p]
        return ", ".join(parts) or None


class StaffDialog(Base):
    """Where a staff member is in a dialog (/register, an answer awaiting its preview), as a
    JSON row like the citizen's appeal intake, so it survives a restart."""

    __tablename__ = "staff_dialogs"

    person_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class StaffPost(Base):
    """A message in a staff chat that stands for an appeal (its card, a follow-up): a reply
    to it is about that appeal."""

    __tablename__ = "staff_posts"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    # As the messenger writes it in a reply: Telegram's and VK's numbers as digits, MAX's mid.
    message_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    appeal_number: Mapped[int] = mapped_column(ForeignKey("appeals.number", ondelete="CASCADE"))
