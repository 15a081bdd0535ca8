"""How long the report of a big CSI window takes: `python -m benchmarks.report_benchmark`.

Builds a temporary SQLite database with one CSI window of 100,000 respondents (synthetic
answers, fixed seed, bulk-inserted with executemany), then `--rounds` reports as `/report`
makes them, each next to its own floor, the bare SQL aggregates the text is made of (numeric
statistics, choice counts, open-answer counts; the numeric one alone is printed too): the time
until the text can be sent and until the charts (drawn in worker processes) are ready too;
then how the bot process's memory moves over `--memory-reports` more reports; then the XLSX
export and the CSV. Targets (issue 14): text within 1.2x the floor, text + charts within
1.5x, memory back to its level after a report, XLSX within 5 s, peak memory under 400 MB.
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

from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import Services, build_services
from bot.config import load_settings
from bot.db.migrate import upgrade
from bot.db.session import create_sessionmaker
from bot.reports import charts
from bot.reports.survey_stats import choice_counts, numeric_stats, text_counts
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


def rss_mb() -> float:
    """Resident memory of this process now (the bot's own process; charts are drawn in
    worker processes)."""
    with open("/proc/self/status") as status:
        line = next(x for x in status if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


async def bare_aggregates(session: AsyncSession, window_id: int) -> None:
    """The SQL the report's text is made of, run bare: numeric statistics (means, shares of
    high scores), choice counts and open-answer counts. The text can be no faster."""
    await numeric_stats(session, window_id)
    await choice_counts(session, window_id)
    await text_counts(session, window_id)


async def one_report(services: Services, window_id: int) -> dict[str, float]:
    """One `/report` as the admin gets it, next to the bare SQL aggregates, in the same round:
    the time until the text is ready to send, and until the charts are drawn too. Two floors:
    the numeric aggregate alone (the floor of earlier sessions' figures) and every aggregate
    the text needs (the one the ratios are against), both read where reports read."""
    async with create_sessionmaker(services.reader)() as session:
        started = time.perf_counter()
        await numeric_stats(session, window_id)
        numeric = time.perf_counter() - started
        started = time.perf_counter()
        await bare_aggregates(session, window_id)
        floor = time.perf_counter() - started
    started = time.perf_counter()
    pending = await services.reports.report_then_charts(window_id)
    text = time.perf_counter() - started
    images = await pending.draw_charts()
    total = time.perf_counter() - started
    return {
        "numeric aggregate alone": numeric,
        "bare aggregates (SQL floor)": floor,
        "text report": text,
        "text + charts": total,
        "text / floor": text / floor,
        "text + charts / floor": total / floor,
        "text / numeric aggregate": text / numeric,
        "text + charts / numeric aggregate": total / numeric,
        "charts": len(images),
    }


async def measure(
    db: Path, window_id: int, report_rounds: int, memory_reports: int, files: bool
) -> dict[str, float]:
    settings = load_settings(
        bot_token=None,
        database_url=f"sqlite+aiosqlite:///{db}",
        anon_secret="benchmark-secret-benchmark",
        anon_secret_file=db.with_suffix(".secret"),
    )
    services = build_services(settings)
    reports = services.reports
    times: dict[str, float] = {"chart workers (count)": services.chart_renderer.workers}
    try:
        async with create_sessionmaker(services.reader)() as session:
            await bare_aggregates(session, window_id)  # warm the page cache, as a live bot has

        # The renderer's workers are started with the bot (`python -m bot run`); draw once so
        # the first timed report does not include starting them.
        services.chart_renderer.start()
        await (await reports.report_then_charts(window_id)).draw_charts()
        rounds = []
        for _ in range(report_rounds):
            services.chart_renderer.forget()  # time the drawing, not the kept images
            rounds.append(await one_report(services, window_id))
        again = await one_report(services, window_id)
        times["report again, charts kept: text + charts / floor (x)"] = again[
            "text + charts / floor"
        ]
        for key in (
            "numeric aggregate alone",
            "bare aggregates (SQL floor)",
            "text report",
            "text + charts",
        ):
            values = sorted(r[key] for r in rounds)
            times[f"{key}, median"] = values[len(values) // 2]
        for key in (
            "text / floor",
            "text + charts / floor",
            "text / numeric aggregate",
            "text + charts / numeric aggregate",
        ):
            values = sorted(r[key] for r in rounds)
            times[f"{key}, median (x)"] = values[len(values) // 2]
            times[f"{key}, worst (x)"] = values[-1]
        times["charts (count)"] = rounds[-1]["charts"]
        text = await reports.window_report_text(window_id)
        assert text == (await reports.report_then_charts(window_id)).text, "one text for both"

        rss_before, peak_before = rss_mb(), peak_mb()
        for _ in range(memory_reports):
            services.chart_renderer.forget()  # every report draws its charts
            await (await reports.report_then_charts(window_id)).draw_charts()
        times[f"RSS growth over {memory_reports} reports, MB"] = rss_mb() - rss_before
        times[f"peak RSS growth over {memory_reports} reports, MB"] = peak_mb() - peak_before

        if not files:
            return times
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
    parser.add_argument("--rounds", type=int, default=5, help="timed reports (median, worst)")
    parser.add_argument("--memory-reports", type=int, default=10)
    parser.add_argument("--no-files", action="store_true", help="skip the XLSX and CSV")
    args = parser.parse_args(argv)
    questionnaire = load_questionnaires()["csi"]
    charts  # noqa: B018 - imported so matplotlib's import cost is not timed as rendering
    with tempfile.TemporaryDirectory(prefix="report-bench-") as tmp:
        db = args.db or Path(tmp) / "bench.db"
        if not db.exists():
            upgrade(f"sqlite+aiosqlite:///{db}")
            started = time.perf_counter()
            fill(db, questionnaire, args.respondents)
            print(f"filled {args.respondents} respondents in {time.perf_counter() - started:.1f} s")
        times = asyncio.run(
            measure(db, 1, args.rounds, args.memory_reports, files=not args.no_files)
        )
    for name, value in times.items():
        unit = "" if "(count)" in name or "MB" in name or "(x)" in name else " s"
        print(f"{name:54} {value:8.2f}{unit}")
    print(f"{'peak memory (maxrss), bot process':54} {peak_mb():8.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
