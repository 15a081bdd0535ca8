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
    await running.press(CITIZEN, "8")  # warms the caches: window, staff list, FSM state
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
