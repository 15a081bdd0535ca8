"""The bot's log: one line per event, values of SQL statements left out.

An operator greps and ships logs line by line (journald, syslog, a collector); a traceback
spread over twenty lines breaks every such tool apart from the event it belongs to. So an
exception is written on the line of its event: its type and message, then the frames it came
through, innermost first. SQLAlchemy's engines are made with `hide_parameters`
(bot/db/session.py), so a failed statement names its SQL but never the values it carried: an
appeal's text, a contact, a name.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

FRAMES = 8
"""Frames of a traceback kept on the line, innermost first: where it failed and how it got
there, without the event loop's own frames that every traceback ends in."""
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def _frame(frame: traceback.FrameSummary) -> str:
    """`surveys/service.py:240 _advance_once`: the file's folder and name are enough to find it."""
    path = "/".join(frame.filename.split("/")[-2:])
    return f"{path}:{frame.lineno} {frame.name}"


def one_line(text: str) -> str:
    return " ⏎ ".join(part.strip() for part in text.splitlines() if part.strip())


class OneLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return one_line(super().format(record))

    def formatException(self, ei: ExcInfo | tuple[None, None, None]) -> str:
        _, exc, _ = ei
        if exc is None:
            return ""
        parts = []
        seen: set[int] = set()
        while exc is not None and id(exc) not in seen:  # the exception, then what caused it
            seen.add(id(exc))
            frames = traceback.extract_tb(exc.__traceback__)[::-1][:FRAMES]
            where = " < ".join(_frame(frame) for frame in frames)
            parts.append(f"{type(exc).__name__}: {exc} [{where}]")
            exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
        return "| " + " | from ".join(parts)

    def formatStack(self, stack_info: str) -> str:
        return "| " + one_line(stack_info)


def configure_logging() -> None:
    """The libraries' INFO lines (aiogram's "Update id=... is handled", APScheduler's "Added
    job", Alembic's plugins) are English routine the body's IT staff need not read: only
    warnings and errors of theirs show, and the bot's own lines (Russian) from INFO up."""
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter(FORMAT))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    logging.getLogger("bot").setLevel(logging.INFO)
