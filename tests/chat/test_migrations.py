"""Every migration can be undone and redone: upgrade to head, downgrade to base, upgrade again
gives the same schema, and that schema is the one the models describe. Runs on SQLite, and on
PostgreSQL when the suite does (TEST_POSTGRES_URL)."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import command
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from bot.db.base import Base
from bot.db.migrate import alembic_config, upgrade
from bot.db.session import create_engine


def _describe(connection: Connection) -> dict[str, Any]:
    inspector = inspect(connection)
    schema: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        schema[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
            ],
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign_keys": sorted(
                (tuple(fk["constrained_columns"]), fk["referred_table"])
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)
            ),
        }
    return schema


def schema_of(url: str) -> dict[str, Any]:
    async def read() -> dict[str, Any]:
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(_describe)
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_upgrade_downgrade_upgrade_round_trip(database_url: str) -> None:
    at_head = schema_of(database_url)  # the fixture's database is migrated to head
    assert set(at_head) - {"alembic_version"} == set(Base.metadata.tables)

    command.downgrade(alembic_config(database_url), "base")
    assert set(schema_of(database_url)) <= {"alembic_version"}

    upgrade(database_url)
    assert schema_of(database_url) == at_head
