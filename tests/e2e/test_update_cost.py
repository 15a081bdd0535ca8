"""What one survey press costs the database: pinned, so a change that adds a query per update
(an uncached lookup, a second session, a pre-ping) fails here rather than in production."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from bot.devtools.harness import RunningBot

CITIZEN = 500


async def test_a_survey_press_reads_and_writes_the_draft_once(running: RunningBot) -> None:
    await running.services.windows.open_window("csi")
    await running.say(CITIZEN, "/start csi")
    await running.press(CITIZEN, "8")  # warms the caches: window, staff list
    statements: list[str] = []
    checkouts: list[object] = []

    def executed(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement.split()[0].upper())

    engine = running.services.engine.sync_engine
    event.listen(engine, "before_cursor_execute", executed)
    event.listen(engine.pool, "checkout", lambda *_: checkouts.append(1))
    try:
        await running.press(CITIZEN, "9")
    finally:
        event.remove(engine, "before_cursor_execute", executed)
    # SQLite transactions start with an explicit BEGIN IMMEDIATE (bot/db/session.py).
    assert [s for s in statements if s != "BEGIN"] == ["SELECT", "UPDATE"], statements
    assert len(checkouts) == 1, "one session per press"


async def test_a_citizens_first_start_costs_three_short_transactions(running: RunningBot) -> None:
    """The crowd after a channel post is mostly new people, each with one /start: the open
    window comes from memory, the draft is created without being read twice, the appeal
    dialog is asked first (nearly nobody has one) and the lapsed-survey notice last."""
    await running.services.windows.open_window("csi")
    await running.say(CITIZEN, "/start csi")  # warms the caches
    statements: list[str] = []

    def executed(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(" ".join(statement.split()[:3]).upper())

    engine = running.services.engine.sync_engine
    event.listen(engine, "before_cursor_execute", executed)
    try:
        await running.say(CITIZEN + 1, "/start csi")
    finally:
        event.remove(engine, "before_cursor_execute", executed)
    writes = [s for s in statements if not s.startswith(("BEGIN", "SELECT"))]
    reads = [s for s in statements if s.startswith("SELECT")]
    assert writes == ["INSERT INTO SURVEY_DRAFTS", "DELETE FROM SURVEY_LAPSED_DRAFTS"], statements
    assert len(reads) == 3, statements  # the participation mark, the draft, the appeal dialog
