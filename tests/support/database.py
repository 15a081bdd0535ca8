"""The test database: a migrated SQLite file per test, and settings of a bot that uses it."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings, load_settings
from bot.db.migrate import upgrade

ADMIN = 1


def fresh_settings(directory: Path) -> Settings:
    """Settings of a fresh bot whose database is a newly migrated file in `directory`."""
    url = f"sqlite+aiosqlite:///{directory / 'bot.db'}"
    upgrade(url)
    return load_settings(
        bot_token="123456:TEST",
        database_url=url,
        admin_ids=str(ADMIN),
        anon_secret="test-secret-test-secret",
        min_group_size=5,
    )
