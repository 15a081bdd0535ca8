"""What several instances of the bot must agree on, kept in Redis when REDIS_URL is set and in
the process otherwise (then only one instance may run):

- one person's updates never run at once (a lock per person, on any instance);
- an update delivered twice (a webhook retried, a poll repeated after a crash) is handled once:
  its id is remembered for a day after it was handled;
- outgoing calls stay under each messenger's rate limit summed over all instances.

Keys carry the bot's prefix, so several bots may share one Redis database.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from weakref import WeakValueDictionary

from redis.asyncio import Redis

from bot.texts import logs
from bot.ttl_cache import MISSING, TtlCache

log = logging.getLogger(__name__)

PREFIX = "fbbot"
LOCK_SECONDS = 60
"""A person's lock expires on its own after this long, so a crashed instance never leaves a
person locked out; no update of ours takes nearly as long."""
SEEN_SECONDS = 24 * 3600
"""Telegram retries a webhook for a few hours at most; VK and MAX less."""
RATE_LIMITS = {"tg": 30, "vk": 20, "max": 30}
"""Calls per second per messenger, over all instances."""


class Coordination:
    def __init__(self, redis: Redis | None = None) -> None:
        self.redis = redis
        self._local: WeakValueDictionary[Hashable, asyncio.Lock] = WeakValueDictionary()
        self._seen: TtlCache[str, bool] = TtlCache(SEEN_SECONDS, size=200_000)
        self._windows: dict[str, tuple[int, int]] = {}
        self._busy = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @classmethod
    def from_url(cls, url: str | None) -> Coordination:
        return cls(Redis.from_url(url) if url else None)

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()

    async def ping(self) -> bool:
        if self.redis is None:
            return True
        try:
            return bool(await self.redis.ping())
        except Exception:  # /healthz reports, it does not raise
            return False

    @asynccontextmanager
    async def person(self, key: str) -> AsyncIterator[None]:
        """Hold `key` (e.g. "tg:123"): first in this process, then across instances, so a
        person's quick double tap queues here without a Redis round trip per retry."""
        lock = self._local.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._local[key] = lock
        self._busy += 1
        self._idle.clear()
        try:
            async with self._held(lock, key):
                yield
        finally:
            self._busy -= 1
            if self._busy == 0:
                self._idle.set()

    async def drained(self, timeout: float) -> bool:
        """Wait until no update is being handled (the process is stopping and the pollers have
        ended; an update in hand was already confirmed to its messenger), at most `timeout`
        seconds; whether it came to that."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True

    @asynccontextmanager
    async def _held(self, lock: asyncio.Lock, key: str) -> AsyncIterator[None]:
        async with lock:
            if self.redis is None:
                yield
                return
            shared = self.redis.lock(
                f"{PREFIX}:person:{key}", timeout=LOCK_SECONDS, sleep=0.01, blocking_timeout=30
            )
            acquired = await shared.acquire()
            if not acquired:
                log.warning(logs.PERSON_LOCK_TIMEOUT)
            try:
                yield
            finally:
                if acquired:
                    try:
                        await shared.release()
                    except Exception:  # expired meanwhile: nothing to release
                        log.warning(logs.PERSON_LOCK_EXPIRED)

    async def seen(self, update: str) -> bool:
        """Whether this update (messenger and id, e.g. "tg:1234") was already handled."""
        if self.redis is None:
            return self._seen.get(update) is not MISSING
        return bool(await self.redis.exists(f"{PREFIX}:seen:{update}"))

    async def handled(self, update: str) -> None:
        if self.redis is None:
            self._seen.put(update, True)
            return
        await self.redis.set(f"{PREFIX}:seen:{update}", 1, ex=SEEN_SECONDS)

    async def pace(self, messenger: str) -> None:
        """Wait until one more call to `messenger` fits its limit in the current second."""
        limit = RATE_LIMITS[messenger]
        while True:
            second = int(time.time())
            if self.redis is None:
                window, used = self._windows.get(messenger, (second, 0))
                used = used + 1 if window == second else 1
                self._windows[messenger] = (second, used)
            else:
                key = f"{PREFIX}:rate:{messenger}:{second}"
                used = await self.redis.incr(key)
                if used == 1:
                    await self.redis.expire(key, 2)
            if used <= limit:
                return
            await asyncio.sleep(max(0.0, second + 1 - time.time()) + 0.001)
