"""MAX Bot API over HTTP with aiohttp: the token in the `Authorization` header, calls paced
at MAX's 30 requests per second, transient failures retried with backoff.

Why aiohttp and not a MAX library: the API is a small JSON REST API, aiohttp is already here
(aiogram uses it), and the bot needs things the libraries on PyPI wrap in their own dispatcher
and FSM or do not offer: any base URL (the fake server in tests, a proxy), the Ministry of
Digital Development's root CA beside the system's, pacing shared by polling and sending, and
a retry policy that never sends a message twice.

What is retried: 429 (too many requests), `attachment.not.ready` (an upload MAX is still
processing) and, for calls that may safely run twice, 5xx answers and network errors. A
message (`POST /messages`) is retried only when MAX certainly did not take it (429, not ready,
no connection at all): a lost answer after the send is logged, never resent, since MAX has no
idempotency key and the person would see the message twice.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp

from bot.handlers.backoff import Backoff
from bot.texts import logs

log = logging.getLogger("bot.max")

REQUESTS_PER_SECOND = 30
NOT_READY = "attachment.not.ready"
UNAUTHORIZED = (401, 403)
REQUEST_TIMEOUT = 30.0
"""Seconds for one ordinary call; a long poll gets its own `timeout` on top."""


class MaxApiError(Exception):
    """MAX answered with an error: HTTP status and the `code`/`message` of its Error object."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def ssl_context(ca_file: Path | None) -> ssl.SSLContext:
    """The system's trusted CAs plus, if given, the Ministry's root CA (PEM) that signs the
    certificate of platform-api2.max.ru; upload hosts keep working with ordinary CAs."""
    context = ssl.create_default_context()
    if ca_file is not None:
        context.load_verify_locations(cafile=str(ca_file))
    return context


class Pacer:
    """Spaces request starts at least 1/rps seconds apart, across every caller (sending,
    polling, uploads), so the bot stays within MAX's limit instead of collecting 429s."""

    def __init__(
        self,
        rps: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._gap = 1.0 / rps if rps > 0 else 0.0
        self._next = 0.0
        self._lock = asyncio.Lock()
        self._monotonic = monotonic
        self._sleep = sleep

    async def wait(self) -> None:
        if not self._gap:
            return
        async with self._lock:
            now = self._monotonic()
            if self._next > now:
                await self._sleep(self._next - now)
            self._next = max(now, self._next) + self._gap


class MaxClient:
    def __init__(
        self,
        token: str,
        api_url: str,
        *,
        ca_file: Path | None = None,
        rps: float = REQUESTS_PER_SECOND,
        backoff: Backoff | None = None,
    ) -> None:
        self._token = token
        self._base = api_url.rstrip("/")
        self._ssl = ssl_context(ca_file) if api_url.startswith("https://") else None
        self._pacer = Pacer(rps)
        self.shared_pace: Callable[[], Awaitable[None]] | None = None
        """With several instances (REDIS_URL): waits for a slot of the bot's 30 requests/s
        shared by all of them, after this process's own spacing."""
        self.backoff = backoff or Backoff()
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        # Created on first use: an aiohttp session belongs to the running event loop.
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                headers={"Authorization": self._token, "User-Agent": "feedback-bot"},
                connector=aiohttp.TCPConnector(ssl=self._ssl if self._ssl else True),
            )
        return self._session

    async def _pace(self) -> None:
        await self._pacer.wait()
        if self.shared_pace is not None:
            await self.shared_pace()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
        repeatable: bool | None = None,
        timeout: float = REQUEST_TIMEOUT,
        attempts: int | None = None,
    ) -> Any:
        """One API call; `repeatable` (default: only for GET) allows retrying after an
        answer that may have been lost after MAX acted on the call. `attempts` (default: the
        backoff's): 1 at start-up, where a failure is told at once and not logged here."""
        repeatable = method == "GET" if repeatable is None else repeatable
        query = {k: _query_value(v) for k, v in (params or {}).items() if v is not None}
        failures = 0
        while True:
            await self._pace()
            try:
                return await self._once(method, path, query, body, timeout)
            except Exception as exc:
                failures += 1
                if attempts is not None and failures >= attempts:
                    raise
                retry, wait = self._retry(exc, repeatable, failures)
                if not retry:
                    if not (isinstance(exc, MaxApiError) and exc.status in UNAUTHORIZED):
                        # A refused token is the caller's to report (one line at start-up).
                        log.error(logs.MAX_CALL_GAVE_UP, method, path, failures, exc)
                    raise
                log.warning(logs.MAX_CALL_RETRY, method, path, exc, failures, wait)
                await asyncio.sleep(wait)

    async def _once(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        body: dict[str, Any] | None,
        timeout: float,
    ) -> Any:
        async with self.session.request(
            method,
            self._base + path,
            params=query,
            json=body,
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as response:
            return await _result(response)

    def _retry(self, exc: Exception, repeatable: bool, failures: int) -> tuple[bool, float]:
        if failures >= self.backoff.attempts:
            return False, 0.0
        wait = self.backoff.delay(failures)
        if isinstance(exc, MaxApiError):
            if exc.status == 429 or exc.code == NOT_READY:
                return True, wait
            return repeatable and exc.status >= 500, wait
        if isinstance(exc, aiohttp.ClientConnectorError):
            return True, wait  # never reached MAX: safe for any call
        return repeatable and isinstance(exc, aiohttp.ClientError | TimeoutError), wait

    async def upload(self, kind: str, data: bytes, filename: str) -> dict[str, Any]:
        """Upload a picture (`image`) or a document (`file`); returns the attachment request
        to put in a message. The bytes go to the URL MAX hands out for this one upload."""
        endpoint = await self.call("POST", "/uploads", params={"type": kind}, repeatable=True)
        failures = 0
        while True:
            await self._pace()
            form = aiohttp.FormData()
            form.add_field("data", data, filename=filename)
            try:
                async with self.session.post(
                    endpoint["url"], data=form, timeout=aiohttp.ClientTimeout(total=120)
                ) as response:
                    uploaded = await _result(response)
                break
            except Exception as exc:
                failures += 1
                retry, wait = self._retry(exc, True, failures)
                if not retry:
                    log.error(logs.MAX_UPLOAD_GAVE_UP, failures, exc)
                    raise
                await asyncio.sleep(wait)
        return {"type": kind, "payload": {"token": _token_of(uploaded, endpoint)}}


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | set):
        return ",".join(str(v) for v in value)
    return str(value)


async def _result(response: aiohttp.ClientResponse) -> Any:
    try:
        payload = await response.json(content_type=None)
    except ValueError:
        payload = None
    if response.status >= 300:
        error = payload if isinstance(payload, dict) else {}
        raise MaxApiError(
            response.status,
            str(error.get("code") or response.reason or "error"),
            str(error.get("message") or ""),
        )
    return payload


def _token_of(uploaded: Any, endpoint: dict[str, Any]) -> str:
    """An image upload answers `{"photos": {<id>: {"token": ...}}}`, a file `{"token": ...}`."""
    if isinstance(uploaded, dict):
        photos = uploaded.get("photos")
        if isinstance(photos, dict) and photos:
            return str(next(iter(photos.values()))["token"])
        if uploaded.get("token"):
            return str(uploaded["token"])
    if endpoint.get("token"):
        return str(endpoint["token"])
    raise MaxApiError(200, "upload.no.token", f"no token in the upload answer {uploaded!r:.200}")
