"""Where each long poll stopped reading, so a restarted bot reads on from there.

VK hands a restarted bot a fresh `ts` that starts after whatever was sent while it was down,
and MAX answers a poll without a `marker` with its latest update only: without the stored
position, every message written to the bot during a restart or an outage would be lost.
Telegram keeps the position itself (getUpdates' offset), webhooks need none.
"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class PollPosition(Base):
    """`source` names the feed ("vk:<group id>", "max:<bot id>"); `position` is VK's `ts` or MAX's
    `marker` after the last batch the bot took. Nothing here tells who wrote."""

    __tablename__ = "poll_positions"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[str] = mapped_column(String(64))
