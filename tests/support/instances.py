"""Real `python -m bot run` processes against the fake Telegram server: in webhook mode behind a
`Balancer` (as several instances behind a load balancer), or polling (Telegram, or with Telegram
off VK or MAX, set in `env`)."""

from __future__ import annotations

import asyncio
import itertools
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp

from bot.devtools.fake_telegram import TOKEN, FakeTelegram
from bot.webhooks import TELEGRAM_SECRET_HEADER
from tests.support.cli import cli_env
from tests.support.database import ADMIN
from tests.support.waits import STARTUP_CEILING, wait_for, wait_until

SECRET = "test-webhook-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def start_instance(
    database: str,
    redis: str | None,
    fake: FakeTelegram | None,
    log: Path,
    port: int | None = None,
    **env: str,
) -> asyncio.subprocess.Process:
    """`python -m bot run` in `log`'s folder, printing into `log`: with `port` it serves webhooks
    there, without it polls the fake. `env` adds or overrides settings; without `fake`, Telegram
    is off and `env` names the messenger and its admins."""
    settings = {"DATABASE_URL": database, "ANON_SECRET": "test-secret-test-secret"}
    if fake is not None:
        settings |= {"BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": fake.base_url, "ADMIN_IDS": str(ADMIN)}
    if redis is not None:
        settings["REDIS_URL"] = redis
    if port is not None:
        settings |= {
            "WEBHOOK_URL": "https://bot.example.test",
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_HOST": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
        }
    with log.open("ab") as out:  # the child keeps its own copy of the handle
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=log.parent, env=cli_env(**settings, **env),
            stdout=out, stderr=out,
        )  # fmt: skip


async def wait_for_start(
    process: asyncio.subprocess.Process, fake: FakeTelegram, log: Path
) -> None:
    """Until the bot polls Telegram (it has called getMe)."""
    await wait_started(process, log, lambda: any(c.method == "getMe" for c in fake.calls))


async def wait_started(
    process: asyncio.subprocess.Process, log: Path, started: Callable[[], object]
) -> None:
    """Until `started` holds (the bot reached its messenger); a bot that died fails at once with
    its log."""
    await wait_until(lambda: process.returncode is not None or started(), timeout=STARTUP_CEILING)
    assert process.returncode is None, log.read_text(errors="replace")[-3000:]


async def say(fake: FakeTelegram, user_id: int, text: str, replies: int = 1) -> None:
    """To a polling bot: `bot run` handles updates as tasks, so wait for the replies rather
    than the poll."""
    before = len(fake.sent(user_id))
    await fake.push(fake.message_update(user_id, text))
    await wait_until(lambda: len(fake.sent(user_id)) >= before + replies)


async def healthy(http: aiohttp.ClientSession, port: int) -> bool:
    try:
        async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
            return response.status == 200
    except aiohttp.ClientError:
        return False


async def start_webhook_instances(
    database: str, redis: str | None, fake: FakeTelegram, folder: Path, count: int = 2
) -> dict[int, asyncio.subprocess.Process]:
    """`count` instances serving webhooks on free ports (the keys, in start order), each
    printing into `folder`/bot-<port>.log."""
    ports = [free_port() for _ in range(count)]
    return {
        port: await start_instance(database, redis, fake, folder / f"bot-{port}.log", port)
        for port in ports
    }


async def wait_healthy(http: aiohttp.ClientSession, *ports: int) -> None:
    for port in ports:
        await wait_for(lambda port=port: healthy(http, port), STARTUP_CEILING)


async def wait_refusing(http: aiohttp.ClientSession, port: int) -> None:
    """Until the instance on `port` no longer takes requests (it is stopping)."""

    async def refusing() -> bool:
        return not await healthy(http, port)

    await wait_for(refusing)


class Balancer:
    """Posts an update to an instance, as Telegram does, and redelivers it to the other
    instance when the first did not acknowledge it (refused connection, 5xx)."""

    def __init__(self, http: aiohttp.ClientSession, ports: list[int]) -> None:
        self.http = http
        self.ports = ports
        self.dead: set[int] = set()
        self._ids = itertools.count(1)

    async def post(self, port: int, update: dict[str, Any], secret: str | None = SECRET) -> int:
        headers = {TELEGRAM_SECRET_HEADER: secret} if secret else {}
        async with self.http.post(
            f"http://127.0.0.1:{port}/telegram", json=update, headers=headers
        ) as response:
            return response.status

    def numbered(self, body: dict[str, Any]) -> dict[str, Any]:
        """`body` as an update with the next id."""
        return {"update_id": next(self._ids), **body}

    async def deliver(self, preferred: int, body: dict[str, Any]) -> int:
        """The port of the instance that acknowledged the update."""
        update = self.numbered(body)
        order = [preferred] + [p for p in self.ports if p != preferred]
        for _ in range(50):
            for port in order:
                if port in self.dead:
                    continue
                try:
                    if await self.post(port, update) == 200:
                        return port
                except aiohttp.ClientError:
                    pass
            await asyncio.sleep(0.2)
        raise AssertionError("update never acknowledged")
