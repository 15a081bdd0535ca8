"""Anonymity against someone who reads the whole database and knows every user id."""

from __future__ import annotations

import base64
import hashlib
import hmac
import sqlite3

import pytest
from sqlalchemy import Row, select

from bot.config import Settings
from bot.core.ports import Person
from bot.db.base import Base
from bot.db.models import SurveyWindow
from bot.devtools.harness import RunningBot
from bot.surveys.anonymity import Anonymizer
from tests.support.csi_answers import close_window, complete_csi
from tests.support.database import ADMIN

CITIZENS = [424242001, 424242002, 424242003, 424242004, 424242005]
ANSWER_TABLES = ("survey_responses", "survey_answers")
SECRET = b"test-secret-test-secret"
"""ANON_SECRET of the test settings (tests/support/database.py)."""


async def dump(bot: RunningBot) -> dict[str, list[Row]]:
    """Every row of every table, read as someone with a copy of the database would."""
    async with bot.services.engine.connect() as connection:
        return {
            name: list(await connection.execute(select(table)))
            for name, table in Base.metadata.tables.items()
        }


async def window_salts(bot: RunningBot) -> list[bytes]:
    async with bot.services.sessionmaker() as session:
        salts = await session.scalars(select(SurveyWindow.salt))
        return [s for s in salts if s is not None]


def encodings(user_id: int) -> set[str]:
    """The id as text in the forms a careless design might store it."""
    raw = str(user_id).encode()
    packed = [user_id.to_bytes(8, order) for order in ("big", "little")]
    forms = {raw, f"tg:{user_id}".encode(), *packed}
    texts = {f.decode() for f in forms if f.isascii() and f.decode().isprintable()}
    texts |= {hex(user_id)[2:], *(p.hex() for p in packed)}
    for form in forms:
        texts |= {
            base64.b64encode(form).decode().rstrip("="),
            base64.urlsafe_b64encode(form).decode().rstrip("="),
            base64.b32encode(form).decode().rstrip("="),
        }
    return texts


def derived_values(user_id: int, keys: tuple[bytes, ...] = ()) -> set[str]:
    """The id in its encodings, plain hashes of them, HMACs of them keyed with each of `keys`
    (the bot's secret, the key derived from it, window salts); hex digests also cut to their
    first 16 characters, as a short id would be."""
    values = encodings(user_id)
    digests: set[str] = set()
    for text in values:
        for algo in ("md5", "sha1", "sha256"):
            digests.add(hashlib.new(algo, text.encode()).hexdigest())
            for key in keys:
                digests.add(hmac.new(key, text.encode(), algo).hexdigest())
    return values | digests | {d[:16] for d in digests}


def flat(rows: list[Row]) -> list[str]:
    return [v.hex() if isinstance(v, bytes) else str(v) for row in rows for v in row]


async def test_answers_hold_nothing_derived_from_user_ids(running: RunningBot) -> None:
    await running.say(ADMIN, "/open_survey csi")
    for n, user_id in enumerate(CITIZENS):
        await complete_csi(running, user_id, 7 + n % 3, 8, suggestion=f"идея {n}")
    await running.say(CITIZENS[0], "/start csi")  # a second attempt must not leave a trace either
    tables = await dump(running)
    mac_key = hmac.digest(SECRET, b"mac", hashlib.sha256)
    salts = await window_salts(running)
    keys = (SECRET, mac_key, *salts)
    anonymizer = Anonymizer(SECRET)
    assert len(tables["survey_responses"]) == len(CITIZENS)
    for table in ANSWER_TABLES:
        cells = flat(tables[table])
        for user_id in CITIZENS:
            person = Person("tg", user_id)
            tokens = {anonymizer.draft_key(person)}
            tokens |= {anonymizer.participation_token(salt, person) for salt in salts}
            for value in derived_values(user_id, keys) | tokens | {t[:16] for t in tokens}:
                assert not any(value in cell for cell in cells), (table, user_id, value)
    # Marks exist while the window is open, but share nothing with the responses.
    tokens = {row.token for row in tables["survey_participations"]}
    assert len(tokens) == len(CITIZENS)
    response_cells = set(flat(tables["survey_responses"]) + flat(tables["survey_answers"]))
    assert not tokens & response_cells
    response_columns = {"id", "window_id"}
    assert len(tables["survey_responses"][0]) == len(response_columns)
    assert not tables["survey_drafts"]


async def test_no_row_order_to_line_up(running: RunningBot, settings: Settings) -> None:
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("rowid is SQLite's; PostgreSQL tables have no implicit row number")
    path = settings.database_url.split("///", 1)[1]
    with sqlite3.connect(path) as db:
        for table in ("survey_responses", "survey_answers", "survey_participations"):
            with pytest.raises(sqlite3.OperationalError, match="rowid"):
                db.execute(f"SELECT rowid FROM {table}")


async def test_participation_untestable_after_close(running: RunningBot) -> None:
    await running.say(ADMIN, "/open_survey csi")
    for user_id in CITIZENS:
        await complete_csi(running, user_id, 8, 8)
    await running.say(CITIZENS[0], "/start csi")  # leaves a draft? no: already took part
    await running.say(424242999, "/start csi")  # an unfinished survey
    await close_window(running, ADMIN, 1)
    tables = await dump(running)
    assert tables["survey_participations"] == []
    assert tables["survey_drafts"] == []
    assert await window_salts(running) == []
    assert len(tables["survey_responses"]) == len(CITIZENS)


async def test_drafts_are_keyed_and_encrypted(running: RunningBot) -> None:
    await running.say(ADMIN, "/open_survey csi")
    user_id = CITIZENS[0]
    await running.say(user_id, "/start csi")
    await running.press(user_id, "3")
    (draft,) = (await dump(running))["survey_drafts"]
    person_key, _window, payload = draft
    assert person_key not in derived_values(user_id)
    assert b"info/score" not in payload and b'"3"' not in payload
