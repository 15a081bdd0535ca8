"""Upgrading a database with windows from before the scheduler: nothing already done is
sent again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from bot.db.migrate import alembic_config, upgrade


def test_existing_windows_are_not_announced_or_reported_again(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    url = f"sqlite+aiosqlite:///{path}"
    command.upgrade(alembic_config(url), "0001")
    with sqlite3.connect(path) as db:
        db.executemany(
            "INSERT INTO survey_windows (id, kind, audience, title, questionnaire, opens_at, "
            "closes_at, closed_at, created_at, respondents) VALUES (?, 'csi', 'external', 't', "
            "'{}', ?, ?, ?, ?, 0)",
            [
                (1, "2026-01-12 21:00", "2026-01-23 20:59", "2026-01-23 20:59", "2026-01-12 22:00"),
                (2, "2026-12-23 21:00", "2027-01-15 20:59", None, "2026-12-24 09:00"),
                (3, "2027-02-01 21:00", "2027-02-12 20:59", None, "2026-12-24 09:00"),
            ],
        )
    upgrade(url)
    with sqlite3.connect(path) as db:
        done = set(db.execute("SELECT window_id, event FROM survey_window_events"))
    assert done == {(1, "invite"), (1, "report"), (1, "publication"), (2, "invite")}
