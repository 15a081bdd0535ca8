"""Serving a fake API on 127.0.0.1 at a free port, for the fake Telegram and VK servers."""

from __future__ import annotations

import ssl

from aiohttp import web

PUSH_CEILING = 180.0
"""Seconds a fake server waits for the bot to take an update before failing the test: only a
bug comes near it, while a busy machine can take several seconds over one update."""


async def serve_on_loopback(
    app: web.Application, ssl_context: ssl.SSLContext | None = None
) -> tuple[web.AppRunner, str]:
    """Start `app` (over HTTPS with `ssl_context`); returns its runner (to clean up) and its
    base URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=ssl_context)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    scheme = "https" if ssl_context is not None else "http"
    return runner, f"{scheme}://127.0.0.1:{port}"
