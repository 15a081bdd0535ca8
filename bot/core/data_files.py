"""Reading the body's YAML files (questionnaires, the calendar overrides, appeal topics).

Whatever is wrong with such a file (unreadable, not UTF-8, broken YAML, a date that cannot
exist) becomes one line naming the file and the place, so the bot refuses to start with a
sentence an administrator can act on instead of a parser's multi-line report.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import yaml

from bot.texts import console

DATE_LIKE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")
"""What YAML takes for a date (and refuses if the day does not exist)."""


class DataFileError(ValueError):
    """A data file cannot be read; the message is one line naming the file."""


def read_yaml(path: Path) -> object:
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        byte = f"0x{exc.object[exc.start]:02x}"
        raise DataFileError(
            console.FILE_NOT_UTF8.format(path=path, byte=byte, position=exc.start)
        ) from None
    except OSError as exc:
        raise DataFileError(
            console.FILE_UNREADABLE.format(path=path, reason=exc.strerror or exc)
        ) from None
    try:
        return yaml.safe_load(source)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else "?"
        problem = exc.problem or exc.context or "?"
        raise DataFileError(
            console.FILE_NOT_YAML.format(path=path, line=line, problem=problem)
        ) from None
    except yaml.YAMLError as exc:
        reason = " ".join(str(exc).split())
        raise DataFileError(
            console.FILE_NOT_YAML.format(path=path, line="?", problem=reason)
        ) from None
    except ValueError as exc:  # the constructor of a date or a timestamp
        for value in DATE_LIKE.findall(source):
            try:
                year, month, day = (int(part) for part in value.split("-"))
                date(year, month, day)
            except ValueError:
                raise DataFileError(
                    console.FILE_IMPOSSIBLE_DATE.format(path=path, value=value)
                ) from None
        raise DataFileError(console.FILE_BAD_VALUE.format(path=path, reason=exc)) from None
