"""`python -m bot demo`: the real bot, handlers and database, with simulated people.

No token and no network: a fake Bot API server on 127.0.0.1 stands in for Telegram. Every role
takes its turn: an admin opens a CSI window and a few dozen citizens answer it by pressing
buttons; employees answer the employee survey with invitation codes; a citizen sends an appeal
and a staff member answers it; the admin reads the reports. What each person sees is printed,
with a progress line while the simulated people answer, and every chart and workbook is saved
to ./demo-output/, so a newcomer sees the whole product work in one command.
"""

from __future__ import annotations

import asyncio
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
from bot.texts import appeals as appeal_texts
from bot.texts import console as texts
from bot.texts import survey as survey_texts
from bot.texts.common import plain_text

ADMIN_ID = 1
DEMO_OUTPUT = Path("demo-output")
"""Charts and workbooks of the demo land here (git-ignored)."""
FIRST_CITIZEN_ID = 100
FIRST_EMPLOYEE_ID = 500
STAFF_ID = 2
STAFF_SIGNATURE = "Петрова А. С., ведущий специалист"
"""The staff member the admin registers; their name and position sign the answer."""
STAFF_CHAT_ID = -1001234567890
PROGRESS_EVERY = 5
"""A progress line after every few simulated people, so the demo is never silent for long."""
MAX_STEPS = 200
EMPLOYEE_REMARKS = [
    "Долгое согласование документов",
    "Не хватает обучения по новым системам",
    "Проблем не было",
]
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


async def _simulate(
    out: TextIO, citizens: int, employees: int, workdir: Path, output_dir: Path
) -> None:
    settings = load_settings(
        bot_token=TOKEN,
        database_url=f"sqlite+aiosqlite:///{workdir / 'demo.db'}",
        admin_ids=str(ADMIN_ID),
        anon_secret_file=workdir / "anon_secret",
        tg_staff_chat_id=STAFF_CHAT_ID,
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
                if (n + 1) % PROGRESS_EVERY == 0 or n + 1 == citizens:
                    print(texts.demo_progress(n + 1, citizens), file=out, flush=True)
            print(texts.demo_citizens_done(citizens), file=out)
            # Results of a citizen window are shown once it is closed (INTERIM_RESULTS=false).
            latest = await running.services.windows.latest()
            assert latest is not None
            await running.services.windows.close_window(latest.id)
            print(f"Окно №{latest.id} закрыто.\n", file=out)
            await running.say(ADMIN_ID, "/report")
            text = [c for c in fake.sent(ADMIN_ID) if c.method == "sendMessage"][-1]
            print(f"Администратор: /report\n\n{plain_text(text.text)}", file=out)
            await _write_files(running, output_dir, out)
            await _employees(running, rng, employees, output_dir, out)
            await _appeal(running, output_dir, out)
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


def _save(output_dir: Path, name: str, data: bytes, out: TextIO) -> None:
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / name).write_bytes(data)
    print(f"  сохранено: {output_dir / name}", file=out)


def _bot_said(running: RunningBot, user_id: int, since: int) -> list[str]:
    """The texts the bot sent `user_id` after the first `since` calls."""
    return [plain_text(c.text) for c in running.fake.sent(user_id)[since:] if c.text]


async def _answer_as_asked(
    running: RunningBot, user_id: int, rng: random.Random, window_id: int
) -> None:
    """Answer whatever the bot asks, as a person would: an offered button at random (one
    option, then «Готово» on a multiple choice), a short text where it asks for one; done
    when the window counts one more respondent."""
    windows = running.services.windows
    window = await windows.get(window_id)
    assert window is not None
    before = window.respondents
    for _ in range(MAX_STEPS):
        window = await windows.get(window_id)
        assert window is not None
        if window.respondents > before:
            return
        last = running.fake.last(user_id)
        if survey_texts.SURVEY_DONE in (last.text or ""):
            return  # finished; it may be released with others later (README, anonymity)
        labels = [  # buttons that answer (not links, not «Назад»)
            b["text"]
            for row in last.buttons
            for b in row
            if "callback_data" in b and b["text"] != survey_texts.BACK
        ]
        ticked = any(label.startswith(survey_texts.TICK) for label in labels)
        if survey_texts.DONE in labels and ticked:
            await running.press(user_id, survey_texts.DONE, last)
        elif labels:
            options = [label for label in labels if label != survey_texts.DONE]
            await running.press(user_id, rng.choice(options), last)
        else:
            await running.say(user_id, rng.choice(EMPLOYEE_REMARKS))
    raise RuntimeError(f"employee {user_id} did not finish the survey")


async def _employees(
    running: RunningBot, rng: random.Random, count: int, output_dir: Path, out: TextIO
) -> None:
    """The employee survey: opened, answered with one-time invitation codes, closed, reported."""
    fake = running.fake
    print(texts.DEMO_EMPLOYEES, file=out)
    await running.say(ADMIN_ID, "/open_survey employee")
    opened = plain_text(fake.last(ADMIN_ID).text)
    print(f"Администратор: /open_survey employee\nБот: {opened}\n", file=out)
    window_id = int(opened.split("№", 1)[1].split()[0].strip(".,«"))
    await running.say(ADMIN_ID, f"/invite_codes {count}")
    links = [word for word in fake.last(ADMIN_ID).text.split() if "start=emp_" in word]
    print(f"Администратор: /invite_codes {count}\nБот выдал {texts.links(len(links))}.\n", file=out)
    for n, link in enumerate(links):
        user_id = FIRST_EMPLOYEE_ID + n
        await running.say(user_id, "/start " + link.split("start=", 1)[1].strip(".,"))
        if n == 0:
            print(
                f"Сотрудник: /start emp_…\nБот: {plain_text(fake.last(user_id).text)}\n", file=out
            )
        await _answer_as_asked(running, user_id, rng, window_id)
        print(texts.demo_employee_progress(n + 1, len(links)), file=out, flush=True)
    await running.services.windows.close_window(window_id)
    report = await running.services.reports.window_report(window_id)
    print(
        f"\nОкно закрыто. Администратор: /report {window_id}\n\n{plain_text(report.text)}", file=out
    )
    for chart in report.charts:
        _save(output_dir, f"employee-{chart.name}.png", chart.png, out)
    workbook = await running.services.reports.export_window(window_id)
    assert not isinstance(workbook, str), workbook
    _save(output_dir, workbook.filename, workbook.data, out)


async def _appeal(running: RunningBot, output_dir: Path, out: TextIO) -> None:
    """A citizen's appeal, answered by a staff member; the admin's appeals report."""
    fake = running.fake
    print(texts.DEMO_APPEAL, file=out)
    await running.say(ADMIN_ID, f"/staff add {STAFF_ID} {STAFF_SIGNATURE}")
    print(f"Администратор: /staff add {STAFF_ID} {STAFF_SIGNATURE}", file=out)
    print(f"Бот: {plain_text(fake.last(ADMIN_ID).text)}\n", file=out)
    citizen = FIRST_CITIZEN_ID
    steps: list[tuple[str, str]] = [
        ("say", "/appeal"),
        ("press", "Обращение"),
        ("press", "Документы и справки"),
        ("say", "Прошу разъяснить, какие документы нужны для получения справки о составе семьи."),
        ("press", appeal_texts.BUTTON_DONE),
        ("press", appeal_texts.BUTTON_NO_FILES),
        ("say", "Иванова Мария Петровна"),
        ("press", appeal_texts.BUTTON_SKIP),
        ("press", appeal_texts.BUTTON_CONSENT),
    ]
    for action, value in steps:
        if action == "say":
            await running.say(citizen, value)
            print(f"Житель: {value}", file=out)
        else:
            await running.press(citizen, value)
            print(f"Житель нажал «{value}»", file=out)
    confirmation = plain_text(fake.last(citizen).text)
    print(f"Бот: {confirmation}\n", file=out)
    number = int(confirmation.split("№", 1)[1].split()[0].strip(".,"))
    seen = len(fake.sent(citizen))
    answer = (
        "Для справки нужны паспорт и документы, подтверждающие родство. "
        "Приём — в рабочие дни с 9:00 до 17:00."
    )
    await running.say(STAFF_ID, f"/answer {number} {answer}")
    print(f"Сотрудник: /answer {number} {answer}", file=out)
    last = fake.last(STAFF_ID)
    send = [label for label in last.labels if label.startswith(("Отправить", "✅ Отправить"))]
    if send:  # the answer is previewed first
        await running.press(STAFF_ID, send[0], last)
        print(f"Сотрудник нажал «{send[0]}»", file=out)
    print(f"Бот сотруднику: {plain_text(fake.last(STAFF_ID).text)}", file=out)
    for text in _bot_said(running, citizen, seen):
        print(f"Бот жителю: {text}", file=out)
    period = appeals_period(running)
    before = len(fake.sent(ADMIN_ID))
    await running.say(ADMIN_ID, f"/report appeals {period}")
    texts_sent = [c for c in fake.sent(ADMIN_ID) if c.method == "sendMessage"]
    print(
        f"\nАдминистратор: /report appeals {period}\n\n{plain_text(texts_sent[-1].text)}", file=out
    )
    for call in fake.sent(ADMIN_ID)[before:]:
        for n, media in enumerate(call.params.get("media") or []):
            _name, png = call.attachment(media["media"])
            _save(output_dir, f"appeals-{n + 1}.png", png, out)
    before = len(fake.sent(ADMIN_ID))
    await running.say(ADMIN_ID, f"/export appeals {period}")
    for call in fake.sent(ADMIN_ID)[before:]:
        if call.method == "sendDocument":
            name, data = call.attachment(call.params["document"])
            _save(output_dir, name, data, out)


def appeals_period(running: RunningBot) -> str:
    """This quarter, as `/report appeals` takes it (2026Q4)."""
    today = running.services.windows.today()
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


def run_demo(
    out: TextIO, citizens: int = 24, output_dir: Path = DEMO_OUTPUT, employees: int = 6
) -> None:
    print(texts.DEMO_HEADER, file=out, flush=True)
    with tempfile.TemporaryDirectory(prefix="feedback-demo-") as tmp:
        asyncio.run(_simulate(out, citizens, employees, Path(tmp), output_dir))
