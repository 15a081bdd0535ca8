"""A survey in progress survives a restart, including `kill -9` of the real process; what the
real process prints on the way is Russian."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.config import Settings
from bot.devtools.fake_telegram import FakeTelegram
from bot.devtools.harness import RunningBot
from bot.texts import survey as texts
from tests.support.cli import not_russian
from tests.support.clock import FakeClock
from tests.support.database import ADMIN
from tests.support.waits import STARTUP_CEILING, wait_until

CITIZEN = 800
PROJECT = Path(__file__).resolve().parents[2]


async def test_resume_after_restart(
    settings: Settings, fake: FakeTelegram, clock: FakeClock
) -> None:
    async with RunningBot(settings, fake, clock) as bot:
        await bot.say(ADMIN, "/open_survey csi")
        await bot.say(CITIZEN, "/start csi")
        await bot.press(CITIZEN, "8")
        await bot.press(CITIZEN, "9")
    async with RunningBot(settings, fake, clock) as bot:
        await bot.press(CITIZEN, "7")  # the button of question 3, sent before the restart
        assert "Вопрос 4 из" in fake.last(CITIZEN).text
        await bot.press(CITIZEN, texts.BACK)
        await bot.press(CITIZEN, texts.BACK)
        assert "Вопрос 2 из" in fake.last(CITIZEN).text  # history survived too


async def say(fake: FakeTelegram, user_id: int, text: str, replies: int = 1) -> None:
    """`bot run` handles updates as tasks, so wait for the replies rather than the poll."""
    before = len(fake.sent(user_id))
    await fake.push(fake.message_update(user_id, text))
    await wait_until(lambda: len(fake.sent(user_id)) >= before + replies)


async def start_process(
    settings: Settings, fake: FakeTelegram, cwd: Path
) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT),
        "BOT_TOKEN": "123456:TEST",
        "TELEGRAM_API_URL": fake.base_url,
        "DATABASE_URL": settings.database_url,
        "ADMIN_IDS": str(ADMIN),
        "ANON_SECRET": "test-secret-test-secret",
    }
    with (cwd / "bot.log").open("ab") as log:  # the child keeps its own copy of the handle
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=cwd, env=env, stdout=log, stderr=log
        )


async def wait_for_start(
    process: asyncio.subprocess.Process, fake: FakeTelegram, log: Path
) -> None:
    """Until the bot polls (it has called getMe); a bot that died fails at once with its log."""
    await wait_until(
        lambda: process.returncode is not None or any(c.method == "getMe" for c in fake.calls),
        timeout=STARTUP_CEILING,
    )
    assert process.returncode is None, log.read_text(errors="replace")[-3000:]


def stop(process: asyncio.subprocess.Process, signal_number: int) -> None:
    if process.returncode is None:
        process.send_signal(signal_number)


async def test_kill_9_loses_nothing(settings: Settings, fake: FakeTelegram, tmp_path: Path) -> None:
    log = tmp_path / "bot.log"
    process = await start_process(settings, fake, tmp_path)
    try:
        await wait_for_start(process, fake, log)
        await say(fake, ADMIN, "/open_survey csi")
        await say(fake, CITIZEN, "/start csi", replies=2)
        await say(fake, CITIZEN, "8")
        await say(fake, CITIZEN, "9")
        assert "Вопрос 3 из" in fake.last(CITIZEN).text
    finally:
        stop(process, signal.SIGKILL)
        await process.wait()
    fake.clear()
    process = await start_process(settings, fake, tmp_path)
    try:
        await wait_for_start(process, fake, log)
        await say(fake, CITIZEN, "6")
        assert "Вопрос 4 из" in fake.last(CITIZEN).text
    finally:
        stop(process, signal.SIGTERM)
        await process.wait()
    # Two starts, updates handled, the scheduler's jobs added, a SIGTERM: aiogram's and
    # APScheduler's English INFO lines stay out, the bot's own are Russian.
    printed = log.read_text(encoding="utf-8")
    assert "запущен" in printed and "Останавливаюсь" in printed
    assert " ИНФО bot" in printed and " INFO " not in printed  # the level names too
    assert not_russian(printed) == []
