"""`python -m bot demo`: the real bot, handlers and database, with simulated people.

No token and no network: a fake Bot API server on 127.0.0.1 stands in for Telegram. An admin
opens a CSI window, a few dozen citizens answer it by pressing buttons, and the admin's /report
is printed and its charts and workbooks are saved to ./demo-output/, so a newcomer sees
the whole product work in one command.
"""

from __future__ import annotations

import asyncio
import logging
import random
import tempfile
from pathlib import Path
from typing import TextIO

from bot.config import load_settings
from bot.db.migrate import upgrade
from bot.devtools.fake_telegram import TOKEN, FakeTelegram
from bot.devtools.harness import RunningBot
from bot.surveys.questionnaire import (
    CriterionQuestion,
    RatingQuestion,
    SingleChoiceQuestion,
    TextQuestion,
)
from bot.texts import console as texts
from bot.texts import survey as survey_texts
from bot.texts.common import plain_text

ADMIN_ID = 1
DEMO_OUTPUT = Path("demo-output")
"""Charts and workbooks of the demo land here (git-ignored)."""
FIRST_CITIZEN_ID = 100
SUGGESTIONS = [
    "Сделайте, пожалуйста, запись на приём онлайн.",
    "Хотелось бы получать ответ быстрее.",
    "Спасибо специалистам за вежливость!",
    "На сайте трудно найти образцы заявлений.",
]


class Citizen:
    """A simulated person with a general mood, answering every question with some noise."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.mood = rng.gauss(8.4, 1.0)

    def rating(self, bias: float = 0.0) -> str:
        return str(max(1, min(10, round(self.rng.gauss(self.mood + bias, 1.4)))))

    def importance(self) -> str:
        return str(max(1, min(10, round(self.rng.gauss(8.3, 1.3)))))


async def _write_files(running: RunningBot, output_dir: Path, out: TextIO) -> None:
    """What admins get as images and files (/report, /export, /painmap), saved to a folder."""
    reports = running.services.reports
    report = await reports.window_report()
    assert report.window_id is not None
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for chart in report.charts:
        path = output_dir / f"{chart.name}.png"
        path.write_bytes(chart.png)
        written.append(path)
    for file in (
        await reports.export_window(report.window_id),
        await reports.painmap(report.window_id),
        await reports.accounting_form(),
    ):
        assert not isinstance(file, str), file
        path = output_dir / file.filename
        path.write_bytes(file.data)
        written.append(path)
    print(texts.DEMO_FILES.format(folder=output_dir.resolve()), file=out)
    for path in written:
        print(f"  {path.name}", file=out)


async def _simulate(out: TextIO, citizens: int, workdir: Path, output_dir: Path) -> None:
    settings = load_settings(
        bot_token=TOKEN,
        database_url=f"sqlite+aiosqlite:///{workdir / 'demo.db'}",
        admin_ids=str(ADMIN_ID),
        anon_secret_file=workdir / "anon_secret",
    )
    await asyncio.to_thread(upgrade, settings.database_url)
    fake = FakeTelegram()
    await fake.start()
    try:
        async with RunningBot(settings, fake) as running:
            await running.say(ADMIN_ID, "/open_survey csi")
            print(
                f"Администратор: /open_survey csi\nБот: {plain_text(fake.last(ADMIN_ID).text)}\n",
                file=out,
            )
            rng = random.Random(2026)
            questionnaire = running.services.windows.questionnaires["csi"]
            for n in range(citizens):
                user_id = FIRST_CITIZEN_ID + n
                await _answer(
                    running, user_id, Citizen(rng), questionnaire, verbose=n == 0, out=out
                )
            print(f"... и ещё {citizens - 1} жителей прошли опрос.\n", file=out)
            # Results of a citizen window are shown once it is closed (INTERIM_RESULTS=false).
            latest = await running.services.windows.latest()
            assert latest is not None
            await running.services.windows.close_window(latest.id)
            print(f"Окно №{latest.id} закрыто.\n", file=out)
            await running.say(ADMIN_ID, "/report")
            text = [c for c in fake.sent(ADMIN_ID) if c.method == "sendMessage"][-1]
            print(f"Администратор: /report\n\n{plain_text(text.text)}", file=out)
            await _write_files(running, output_dir, out)
    finally:
        await fake.stop()


async def _answer(
    running: RunningBot,
    user_id: int,
    citizen: Citizen,
    questionnaire,
    *,
    verbose: bool,
    out: TextIO,
) -> None:  # type: ignore[no-untyped-def]
    fake = running.fake
    await running.say(user_id, "/start csi")
    if verbose:
        print("Житель: /start csi", file=out)
        for call in fake.sent(user_id):
            print(f"Бот: {plain_text(call.text)}\n", file=out)
    for question in questionnaire.questions:
        if isinstance(question, CriterionQuestion):
            choices = [citizen.rating(), citizen.importance()]
        elif isinstance(question, RatingQuestion):
            choices = [
                survey_texts.NOT_APPLICABLE
                if question.allow_na and citizen.rng.random() < 0.3
                else citizen.rating(-0.8)
                for _ in question.rows or [None]
            ]
        elif isinstance(question, SingleChoiceQuestion):
            choices = [citizen.rng.choice(question.options).text]
        else:
            assert isinstance(question, TextQuestion)
            if citizen.rng.random() < 0.3:
                await running.say(user_id, citizen.rng.choice(SUGGESTIONS))
                continue
            choices = [survey_texts.SKIP]
        for label in choices:
            last = fake.last(user_id)
            if label not in last.labels:
                break  # the question was skipped by a condition
            await running.press(user_id, label)
            if verbose:
                print(f"Житель нажал «{label}»", file=out)
    if verbose:
        print(f"Бот: {plain_text(fake.last(user_id).text)}\n", file=out)


def run_demo(out: TextIO, citizens: int = 24, output_dir: Path = DEMO_OUTPUT) -> None:
    print(texts.DEMO_HEADER, file=out)
    logging.getLogger("aiogram").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="feedback-demo-") as tmp:
        asyncio.run(_simulate(out, citizens, Path(tmp), output_dir))
