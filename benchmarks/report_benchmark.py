"""How long the report of a big CSI window takes: `python -m benchmarks.report_benchmark`.

Builds a temporary SQLite database with one CSI window of 100,000 respondents (synthetic
answers, fixed seed, bulk-inserted with executemany), then times the bare SQL aggregate (the
floor), the text report, the charts, the XLSX export and the CSV, and reports peak memory.
Targets (README, "Reports: charts and files"): text + charts within 2 s, XLSX within 5 s,
peak memory under 400 MB, the report within 3x the bare aggregate plus chart rendering.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import resource
import secrets
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import build_services
from bot.config import load_settings
from bot.db.migrate import upgrade
from bot.reports.survey_stats import numeric_stats
from bot.reports.window import csi_charts
from bot.surveys.questionnaire import (
    CriterionQuestion,
    Questionnaire,
    RatingQuestion,
    SingleChoiceQuestion,
    TextQuestion,
    load_questionnaires,
)

SEED = 2026
OPENED = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)


def fill(db: Path, questionnaire: Questionnaire, respondents: int) -> None:
    """Window 1, closed, with `respondents` synthetic responses."""
    rng = random.Random(SEED)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    stamp = OPENED.strftime("%Y-%m-%d %H:%M:%S.%f")
    closed = (OPENED + timedelta(days=14)).strftime("%Y-%m-%d %H:%M:%S.%f")
    cursor = con.execute(
        "INSERT INTO survey_windows (kind, audience, title, questionnaire, opens_at, closes_at,"
        " closed_at, created_at, respondents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            questionnaire.id,
            questionnaire.audience,
            questionnaire.title,
            questionnaire.to_json(),
            stamp,
            closed,
            closed,
            stamp,
            respondents,
        ),
    )
    window_id = int(cursor.lastrowid or 0)
    randint, random_ = rng.randint, rng.random
    batch = 10_000
    for start in range(0, respondents, batch):
        responses, answers = [], []
        for _ in range(min(batch, respondents - start)):
            rid = secrets.token_hex(16)
            responses.append((rid, window_id))
            mood = randint(5, 10)
            for q in questionnaire.questions:
                if isinstance(q, CriterionQuestion):
                    score = max(1, min(10, mood + randint(-3, 1)))
                    answers.append((rid, q.id, "", "score", "", window_id, score, None))
                    answers.append(
                        (rid, q.id, "", "importance", "", window_id, randint(6, 10), None)
                    )
                elif isinstance(q, RatingQuestion):
                    for row in q.rows or [None]:
                        answers.append(
                            (
                                rid,
                                q.id,
                                row.id if row else "",
                                "",
                                "",
                                window_id,
                                randint(3, 10),
                                None,
                            )
                        )
                elif isinstance(q, SingleChoiceQuestion):
                    option = q.options[randint(0, len(q.options) - 1)].id
                    answers.append((rid, q.id, "", "", option, window_id, None, None))
                elif isinstance(q, TextQuestion) and random_() < 0.1:
                    answers.append((rid, q.id, "", "", "", window_id, None, f"Предложение {mood}"))
        con.executemany("INSERT INTO survey_responses (id, window_id) VALUES (?, ?)", responses)
        con.executemany(
            "INSERT INTO survey_answers (response_id, question_id, row_id, scale, choice,"
            " window_id, num, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            answers,
        )
    con.commit()
    con.execute("ANALYZE")
    con.close()


def peak_mb() -> float:
    """Peak resident memory of this process (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def measure(db: Path, window_id: int) -> dict[str, float]:
    settings = load_settings(
        bot_token=None,
        database_url=f"sqlite+aiosqlite:///{db}",
        anon_secret="benchmark-secret-benchmark",
        anon_secret_file=db.with_suffix(".secret"),
    )
    services = build_services(settings)
    reports = services.reports
    times: dict[str, float] = {}
    try:
        async with services.sessionmaker() as session:
            await numeric_stats(session, window_id)  # warm the page cache, as a live bot has
            started = time.perf_counter()
            await numeric_stats(session, window_id)
            times["bare aggregate (SQL floor)"] = time.perf_counter() - started

        started = time.perf_counter()
        text = await reports.window_report_text(window_id)
        times["text report"] = time.perf_counter() - started

        started = time.perf_counter()
        full = await reports.window_report(window_id)
        times["text + charts (window_report)"] = time.perf_counter() - started
        times["charts (count)"] = len(full.charts)
        assert text == full.text, "the album's text must be the text report"

        started, cpu = time.perf_counter(), time.process_time()
        workbook = await reports.export_window(window_id)
        times["XLSX export"] = time.perf_counter() - started
        times["XLSX export, CPU of this process"] = time.process_time() - cpu
        assert not isinstance(workbook, str), workbook
        times["XLSX size, MB"] = len(workbook.data) / 2**20
        del workbook

        started = time.perf_counter()
        sink = io.StringIO()
        await reports.export_responses_csv(window_id, sink)
        times["CSV export"] = time.perf_counter() - started
        del sink
    finally:
        await services.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument(
        "--db", type=Path, help="keep the database here and reuse it on the next run"
    )
    args = parser.parse_args(argv)
    questionnaire = load_questionnaires()["csi"]
    csi_charts  # noqa: B018 - imported so matplotlib's import cost is not timed as rendering
    with tempfile.TemporaryDirectory(prefix="report-bench-") as tmp:
        db = args.db or Path(tmp) / "bench.db"
        if not db.exists():
            upgrade(f"sqlite+aiosqlite:///{db}")
            started = time.perf_counter()
            fill(db, questionnaire, args.respondents)
            print(f"filled {args.respondents} respondents in {time.perf_counter() - started:.1f} s")
        times = asyncio.run(measure(db, window_id=1))
    for name, value in times.items():
        unit = "" if "(count)" in name or "MB" in name else " s"
        print(f"{name:32} {value:8.2f}{unit}")
    print(f"{'peak memory (maxrss)':32} {peak_mb():8.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
