"""Apply Alembic migrations from code: `python -m bot migrate`, `run`, the demo and tests."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from bot.db.session import ensure_sqlite_dir

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str) -> None:
    """Synchronous (Alembic runs its own event loop): call it before the bot's loop starts, or
    through `asyncio.to_thread` from inside one."""
    ensure_sqlite_dir(database_url)
    command.upgrade(alembic_config(database_url), "head")
