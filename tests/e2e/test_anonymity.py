"""Anonymity against someone who reads the whole database and knows every user id."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from bot.config import Settings
from bot.devtools.harness import RunningBot
from tests.support.csi_answers import close_window, complete_csi
from tests.support.database import ADMIN

CITIZENS = [424242001, 424242002, 424242003, 424242004, 424242005]
ANSWER_TABLES = ("survey_responses", "survey_answers")


def dump(settings: Settings) -> dict[str, list[tuple]]:
    path = settings.database_url.split("///", 1)[1]
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: db.execute(f"SELECT * FROM {t}").fetchall() for t in tables}


def derived_values(user_id: int) -> set[str]:
    """What a careless design would store: the id, its hex, and plain hashes of it."""
    raw = str(user_id)
    values = {raw, hex(user_id)[2:], f"tg:{raw}"}
    for text in list(values):
        for algo in ("md5", "sha1", "sha256"):
            values.add(hashlib.new(algo, text.encode()).hexdigest())
    return values


def flat(rows: list[tuple]) -> list[str]:
    return [v.hex() if isinstance(v, bytes) else str(v) for row in rows for v in row]


async def test_answers_hold_nothing_derived_from_user_ids(
    running: RunningBot, settings: Settings
) -> None:
    await running.say(ADMIN, "/open_survey csi")
    for n, user_id in enumerate(CITIZENS):
        await complete_csi(running, user_id, 7 + n % 3, 8, suggestion=f"идея {n}")
    await running.say(CITIZENS[0], "/start csi")  # a second attempt must not leave a trace either
    tables = dump(settings)
    assert len(tables["survey_responses"]) == len(CITIZENS)
    for table in ANSWER_TABLES:
        cells = flat(tables[table])
        for user_id in CITIZENS:
            for value in derived_values(user_id):
                assert not any(value in cell for cell in cells), (table, user_id)
    # Marks exist while the window is open, but share nothing with the responses.
    tokens = {row[1] for row in tables["survey_participations"]}
    assert len(tokens) == len(CITIZENS)
    response_cells = set(flat(tables["survey_responses"]) + flat(tables["survey_answers"]))
    assert not tokens & response_cells
    response_columns = {"id", "window_id"}
    assert len(tables["survey_responses"][0]) == len(response_columns)
    assert not tables["survey_drafts"]


async def test_no_row_order_to_line_up(running: RunningBot, settings: Settings) -> None:
    path = settings.database_url.split("///", 1)[1]
    with sqlite3.connect(path) as db:
        for table in ("survey_responses", "survey_answers", "survey_participations"):
            with pytest.raises(sqlite3.OperationalError, match="rowid"):
                db.execute(f"SELECT rowid FROM {table}")


async def test_participation_untestable_after_close(
    running: RunningBot, settings: Settings
) -> None:
    await running.say(ADMIN, "/open_survey csi")
    for user_id in CITIZENS:
        await complete_csi(running, user_id, 8, 8)
    await running.say(CITIZENS[0], "/start csi")  # leaves a draft? no: already took part
    await running.say(424242999, "/start csi")  # an unfinished survey
    await close_window(running, ADMIN, 1)
    tables = dump(settings)
    assert tables["survey_participations"] == []
    assert tables["survey_drafts"] == []
    salt_column = 9
    assert tables["survey_windows"][0][salt_column] is None
    assert len(tables["survey_responses"]) == len(CITIZENS)


async def test_drafts_are_keyed_and_encrypted(running: RunningBot, settings: Settings) -> None:
    await running.say(ADMIN, "/open_survey csi")
    user_id = CITIZENS[0]
    await running.say(user_id, "/start csi")
    await running.press(user_id, "3")
    (draft,) = dump(settings)["survey_drafts"]
    person_key, _window, payload = draft
    assert person_key not in derived_values(user_id)
    assert b"info/score" not in payload and b'"3"' not in payload
