"""`python -m bot digest`, the cron form of the appeals digest, on a body without Telegram: it
posts to the staff chat of whichever messenger is configured (MAX alone, VK alone), says so in
one line, and exits non-zero when no staff chat took it or none is configured."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import __main__ as cli
from bot.app import build_services
from bot.config import Settings
from bot.devtools.fake_max import TOKEN, FakeMax
from bot.devtools.fake_vk import FakeVk
from bot.texts import console
from tests.support.clock import FakeClock
from tests.support.waits import STARTUP_CEILING

PROJECT = Path(__file__).resolve().parents[2]
MAX_STAFF_CHAT = -8001
VK_STAFF_PEER = 2_000_000_007


async def overdue_appeal(settings: Settings) -> int:
    """An appeal registered 40 days ago: its 30-day term is over today."""
    services = build_services(settings, FakeClock(datetime.now(UTC) - timedelta(days=40)))
    try:
        view = await services.appeals.register(
            "phone", "appeal", "other", "Не вывозят мусор во дворе", services.clock.now().date()
        )
    finally:
        await services.close()
    return view.number


def settings_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment of a cron run: the test's database, no Telegram, no stray settings."""
    clean = {k: v for k, v in os.environ.items() if not k.isupper() or k in {"PATH", "HOME"}}
    return {
        **clean,
        "PYTHONPATH": str(PROJECT),
        "DATABASE_URL": settings.database_url,
        "ANON_SECRET": "test-secret-test-secret",
        **extra,
    }


async def test_cron_digest_reaches_the_max_staff_chat_without_telegram(
    settings: Settings, tmp_path: Path
) -> None:
    number = await overdue_appeal(settings)
    server = FakeMax()
    await server.start()
    try:
        env = settings_env(
            settings,
            MAX_BOT_TOKEN=TOKEN,
            MAX_API_URL=server.base_url,
            MAX_STAFF_CHAT_ID=str(MAX_STAFF_CHAT),
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "digest",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), STARTUP_CEILING)
    finally:
        await server.stop()
    assert process.returncode == 0, err.decode()
    assert out.decode().strip() == console.DIGEST_SENT
    (digest,) = server.sent(chat_id=MAX_STAFF_CHAT)
    assert "Просрочено: 1" in digest.text and f"№{number}" in digest.text


@pytest.fixture
async def fake_vk() -> FakeVk:
    server = FakeVk()
    await server.start()
    yield server  # type: ignore[misc]
    await server.stop()


def use_env(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for key in [k for k in os.environ if k.isupper()]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)


async def test_cron_digest_with_vk_only(
    settings: Settings,
    fake_vk: FakeVk,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """In-process (`main` in a thread, the fake VK on this loop): posted, then refused."""
    number = await overdue_appeal(settings)
    vk = {
        "VK_GROUP_TOKEN": "vk-test-token",
        "VK_GROUP_ID": str(fake_vk.group_id),
        "VK_API_URL": fake_vk.base_url,
    }
    use_env(monkeypatch, settings_env(settings, **vk))
    assert await asyncio.to_thread(cli.main, ["digest"]) == 2  # no staff chat anywhere
    assert capsys.readouterr().err.strip() == console.DIGEST_NEEDS_CHAT

    monkeypatch.setenv("VK_STAFF_CHAT_ID", str(VK_STAFF_PEER))
    assert await asyncio.to_thread(cli.main, ["digest"]) == 0
    assert capsys.readouterr().out.strip().endswith(console.DIGEST_SENT)
    (digest,) = fake_vk.sent(VK_STAFF_PEER)
    assert "Просрочено: 1" in digest.text and f"№{number}" in digest.text

    fake_vk.errors["messages.send"] = [917]  # the community was removed from the conversation
    assert await asyncio.to_thread(cli.main, ["digest"]) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == console.DIGEST_FAILED
