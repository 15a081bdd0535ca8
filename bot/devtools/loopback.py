"""Serving a fake API on 127.0.0.1 at a free port, for the fake Telegram and VK servers."""

from __future__ import annotations

from aiohttp import web

PUSH_CEILING = 60.0
"""Seconds a fake server waits for the bot to take an update before failing the test: only a
bug comes near it, while a busy machine can take several seconds over one update."""


async def serve_on_loopback(app: web.Application) -> tuple[web.AppRunner, str]:
    """Start `app`; returns its runner (to clean up) and its base URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"
