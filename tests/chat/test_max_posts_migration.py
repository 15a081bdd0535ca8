"""0011_max_posts: the staff chat message ids become text so MAX's `mid` fits; the numbers
Telegram and VK cards already have survive as their digits, and going back drops only MAX's."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from alembic import command
from sqlalchemy import text

from bot.db.migrate import alembic_config, upgrade
from bot.db.session import create_engine

BEFORE = "0007_anonymity"
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def run(url: str, *statements: str, **params: Any) -> list[tuple[Any, ...]]:
    """Execute the statements in one transaction; the rows of the last one, if it has rows."""

    async def go() -> list[tuple[Any, ...]]:
        engine = create_engine(url)
        try:
            async with engine.begin() as connection:
                result = None
                for statement in statements:
                    result = await connection.execute(text(statement), params)
                return (
                    [tuple(r) for r in result] if result is not None and result.returns_rows else []
                )
        finally:
            await engine.dispose()

    return asyncio.run(go())


def test_numbers_kept_as_digits_and_max_ids_dropped_on_the_way_back(database_url: str) -> None:
    command.downgrade(alembic_config(database_url), BEFORE)
    stamp = NOW.replace(tzinfo=None) if database_url.startswith("sqlite") else NOW
    run(
        database_url,
        "INSERT INTO appeals (number, channel, kind, topic, text, state, platform, user_id, "
        "received_at, registered_at, due_at, redirect_due_at, extended, staff_message_id) "
        "VALUES (1, 'vk', 'appeal', 'other', 'Текст', 'new', 'vk', 5, "
        ":at, :at, :at, :at, :no, 4242)",
        "INSERT INTO staff_posts (platform, message_id, appeal_number) VALUES ('tg', 4242, 1)",
        at=stamp,
        no=False,
    )

    upgrade(database_url)
    assert run(database_url, "SELECT platform, message_id FROM staff_posts") == [("tg", "4242")]
    assert run(database_url, "SELECT staff_message_id FROM appeals") == [("4242",)]
    run(
        database_url,
        "INSERT INTO appeals (number, channel, kind, topic, text, state, platform, user_id, "
        "received_at, registered_at, due_at, redirect_due_at, extended, staff_message_id) "
        "VALUES (2, 'vk', 'appeal', 'other', 'Текст', 'new', 'vk', 6, "
        ":at, :at, :at, :at, :no, 'mid.00ab')",
        "INSERT INTO staff_posts (platform, message_id, appeal_number) "
        "VALUES ('max', 'mid.00ab', 2)",
        at=stamp,
        no=False,
    )

    command.downgrade(alembic_config(database_url), BEFORE)
    assert run(database_url, "SELECT platform, message_id FROM staff_posts") == [("tg", 4242)]
    assert run(database_url, "SELECT number, staff_message_id FROM appeals ORDER BY number") == [
        (1, 4242),
        (2, None),
    ]
