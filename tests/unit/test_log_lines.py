"""The bot's log writes an event, its exception included, on one line."""

from __future__ import annotations

import io
import logging

from bot.log_lines import FORMAT, OneLineFormatter


def failing_lookup() -> None:
    try:
        {}["window"]
    except KeyError as exc:
        raise RuntimeError("окно не найдено\nвторая строка") from exc


def test_an_exception_and_its_cause_are_written_on_the_line_of_their_event() -> None:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(OneLineFormatter(FORMAT))
    log = logging.getLogger("test.log_lines")
    log.addHandler(handler)
    log.propagate = False
    try:
        failing_lookup()
    except RuntimeError:
        log.exception("Обновление не обработано")
    finally:
        log.removeHandler(handler)
    written = out.getvalue()
    assert written.count("\n") == 1  # the line's own end
    assert "Обновление не обработано ⏎ | RuntimeError: окно не найдено ⏎ вторая строка" in written
    assert "| from KeyError: 'window'" in written
    assert "unit/test_log_lines.py:15 failing_lookup" in written  # where it was raised
