"""A survey in progress survives a restart, including `kill -9` of the real process; what the
real process prints on the way is Russian."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from bot.config import Settings
from bot.devtools.fake_telegram import FakeTelegram
from bot.devtools.harness import RunningBot
from bot.texts import survey as texts
from tests.support.cli import not_russian
from tests.support.clock import FakeClock
from tests.support.database import ADMIN
from tests.support.instances import say, start_instance, wait_for_start
from tests.support.waits import wait_until

CITIZEN = 800


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


def left_behind(folder: Path) -> list[int]:
    """Processes started for a bot run in `folder`: its chart forkserver and workers carry the
    folder in their command line (sys.path), and outlive the bot unless they watch it."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(folder) in (entry / "cmdline").read_text():
                found.append(int(entry.name))
        except OSError:  # it ended while we looked
            continue
    return found


def stop(process: asyncio.subprocess.Process, signal_number: int) -> None:
    if process.returncode is None:
        process.send_signal(signal_number)


async def test_kill_9_loses_nothing(settings: Settings, fake: FakeTelegram, tmp_path: Path) -> None:
    log = tmp_path / "bot.log"
    process = await start_instance(settings.database_url, None, fake, log)
    try:
        await wait_for_start(process, fake, log)
        await say(fake, ADMIN, "/open_survey csi")
        await say(fake, CITIZEN, "/start csi", replies=2)
        await say(fake, CITIZEN, "8")
        await say(fake, CITIZEN, "9")
        assert "Вопрос 3 из" in fake.last(CITIZEN).text
        await wait_until(lambda: len(left_behind(tmp_path)) > 1)  # the chart workers are up
    finally:
        stop(process, signal.SIGKILL)
        await process.wait()
    # Nothing of the killed bot runs on: its chart workers and their forkserver end with it.
    await wait_until(lambda: not left_behind(tmp_path))
    fake.clear()
    process = await start_instance(settings.database_url, None, fake, log)
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
