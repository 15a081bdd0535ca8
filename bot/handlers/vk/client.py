"""VK API calls off the event loop, paced and retried.

vk-api is synchronous: every call runs in a small thread pool of its own, so a slow VK answer
never holds up the asyncio loop (and with it Telegram). `VkApiGroup` already spaces calls at 20
per second (VK's limit for community tokens) under a lock. On top of that, error 6 ("too many
requests") and network failures are retried with exponential backoff. A message keeps the same
`random_id` across retries, and VK drops a repeated `random_id`, so a retry after a lost answer
never shows the message twice.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests
from jconfig.memory import MemoryConfig
from requests.adapters import HTTPAdapter
from vk_api import VkApi, VkApiGroup
from vk_api.exceptions import TOO_MANY_RPS_CODE, ApiError, ApiHttpError

from bot.config import DEFAULT_VK_API_URL
from bot.handlers.backoff import Backoff
from bot.texts import logs

API_VERSION = "5.199"
LIBRARY_API_URL = "https://api.vk.ru"
"""The host vk-api 11.10 writes into every method URL."""

RETRYABLE_API_ERRORS = {TOO_MANY_RPS_CODE, 10}  # 6: too many requests, 10: VK internal error

log = logging.getLogger("bot.vk")


CALL_TIMEOUT = 30.0
"""Seconds a VK API call may take. vk-api sets no timeout on its calls, and its thread, which
the process waits for as it exits, would hang with a call VK never answers; a call that times
out is retried like any network error. The long poll passes its own, longer one."""


class TimeoutAdapter(HTTPAdapter):
    """Gives every request without a timeout of its own `timeout` seconds."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self._timeout
        return super().send(request, *args, **kwargs)


class RewriteHost(TimeoutAdapter):
    """Sends requests meant for the official API host to another base URL (a proxy, the fake)."""

    def __init__(self, target: str, timeout: float) -> None:
        super().__init__(timeout)
        self._target = target.rstrip("/")

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        assert request.url is not None
        if request.url.startswith(LIBRARY_API_URL):
            request.url = self._target + request.url[len(LIBRARY_API_URL) :]
        return super().send(request, *args, **kwargs)


def make_vk_api(
    token: str,
    api_url: str = DEFAULT_VK_API_URL,
    *,
    group: bool = True,
    timeout: float = CALL_TIMEOUT,
) -> VkApi:
    """A community (`VkApiGroup`, 20 calls/s) or user (`VkApi`, 3 calls/s) API object.

    vk-api's own error-6 handler sleeps and retries without limit or backoff; `VkClient` does
    it with both, so the library's is taken out. Its config stays in memory, not in a file.
    """
    session = requests.Session()
    session.headers["User-Agent"] = "feedback-bot"
    session.mount("https://", TimeoutAdapter(timeout))
    session.mount("http://", TimeoutAdapter(timeout))
    if api_url.rstrip("/") != LIBRARY_API_URL:
        session.mount(LIBRARY_API_URL, RewriteHost(api_url, timeout))
    factory = VkApiGroup if group else VkApi
    vk = factory(token=token, api_version=API_VERSION, session=session, config=MemoryConfig)
    vk.error_handlers.pop(TOO_MANY_RPS_CODE, None)
    return vk


def new_random_id() -> int:
    """A message's `random_id`: fixed for the message, so VK ignores a repeated send. Drawn
    from the whole signed 64-bit range VK accepts (a 31-bit one repeats by chance after
    tens of thousands of messages, and VK silently drops the repeat); never 0, which VK
    treats as "no id"."""
    while True:
        value = secrets.randbits(64) - 2**63
        if value:
            return value


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, ApiError):
        return exc.code in RETRYABLE_API_ERRORS
    return isinstance(exc, ApiHttpError | requests.RequestException)


class VkClient:
    """Async front of a `VkApi`: `await client.call("messages.send", ...)`."""

    def __init__(self, vk: VkApi, backoff: Backoff | None = None, workers: int = 4) -> None:
        self.vk = vk
        self.backoff = backoff or Backoff()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="vk-api")
        self.shared_pace: Callable[[], Awaitable[None]] | None = None
        """With several instances (REDIS_URL): waits for a slot of the community's 20 calls/s
        shared by all of them; vk_api's own delay only spaces this process's calls."""

    async def call(self, method: str, **params: Any) -> Any:
        failures = 0
        while True:
            if self.shared_pace is not None:
                await self.shared_pace()
            try:
                return await self._in_thread(self.vk.method, method, params)
            except Exception as exc:
                failures += 1
                if not _retryable(exc) or failures >= self.backoff.attempts:
                    log.error(logs.VK_CALL_GAVE_UP, method, failures, exc)
                    raise
                delay = self.backoff.delay(failures)
                log.warning(logs.VK_CALL_RETRY, method, exc, failures, delay)
                await asyncio.sleep(delay)

    async def call_once(self, method: str, **params: Any) -> Any:
        """One attempt, neither retried nor logged: the start-up check, whose caller tells a
        failure as one line."""
        return await self._in_thread(self.vk.method, method, params)

    async def upload(self, url: str, field: str, filename: str, data: bytes) -> Any:
        """POST a file to an upload server VK named (photos or docs); its JSON answer."""

        def post() -> Any:
            response = self.vk.http.post(url, files={field: (filename, data)}, timeout=60)
            response.raise_for_status()
            return response.json()

        return await self._in_thread(post)

    async def _in_thread(self, func: Callable[..., Any], *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, func, *args)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
