"""A failed statement is logged without the values it carried (`hide_parameters`)."""

from __future__ import annotations

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from bot.db.models import PollPosition
from bot.db.session import create_engine

PRIVATE = "Иванов Иван, +7 900 000-00-00"


async def test_a_failed_statement_names_its_sql_but_not_its_values(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            row = {"source": PRIVATE[:32], "position": PRIVATE}
            await connection.execute(insert(PollPosition).values(**row))
            with pytest.raises(IntegrityError) as failed:
                await connection.execute(insert(PollPosition).values(**row))
    finally:
        await engine.dispose()
    assert "INSERT INTO poll_positions" in str(failed.value)
    assert "Иванов" not in str(failed.value)
