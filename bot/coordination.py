"""What several instances of the bot must agree on, kept in Redis when REDIS_URL is set and in
the process otherwise (then only one instance may run):

- one person's updates never run at once (a lock per person, on any instance);
- an update delivered twice (a webhook retried, a poll repeated after a crash) is handled once:
  its id is remembered for a day after it was handled;
- outgoing calls stay under each messenger's rate limit summed over all instances;
- a change to what every process caches (survey windows, the staff list) reaches the other
  instances at once (Redis pub/sub), not only when their copy expires.

Each bot (all instances of one body's bot) needs a Redis database of its own: update ids and
people are keyed by messenger and number only, so two bots in one database would take each
other's updates for handled. The keys carry the prefix `fbbot:`, so other applications' keys in
the same database are never touched.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable, Hashable
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
LOCK_WAIT_SECONDS = 30
"""Past this the update is handled without the shared lock (and a warning): a person is never
kept waiting by a lock that cannot be had."""
RELISTEN_SECONDS = 5.0
RATE_LIMITS = {"tg": 30, "vk": 20, "max": 30}
"""Calls per second per messenger, over all instances."""


def changes_channel(redis: Redis) -> str:
    """The pub/sub channel on which an instance names what it changed ("windows", "staff").
    Redis shares pub/sub among all its databases, so the channel carries the database number:
    bots kept in other databases of the same server never hear this bot's changes."""
    return f"{PREFIX}:{redis.connection_pool.connection_kwargs.get('db', 0)}:changed"


_BUSY, _TAKEN, _SEEN, _TAKEN_ANYWAY = 0, 1, 2, 3
_ENTER = """
if ARGV[3] == '1' and redis.call('exists', KEYS[2]) == 1 then return 2 end
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
"""
"""The update already handled (2), the person's lock taken (1) or held by another (0)."""
_LEAVE = """
if tonumber(ARGV[2]) > 0 then redis.call('set', KEYS[2], 1, 'EX', ARGV[2]) end
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""
"""Record the update as handled (for ARGV[2] seconds, if above 0) and release our lock."""


class Coordination:
    def __init__(self, redis: Redis | None = None) -> None:
        self.redis = redis
        self._local: WeakValueDictionary[Hashable, asyncio.Lock] = WeakValueDictionary()
        self._seen: TtlCache[str, bool] = TtlCache(SEEN_SECONDS, size=200_000)
        self._windows: dict[str, tuple[int, int]] = {}
        self._busy = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._forgetters: dict[str, list[Callable[[], None]]] = {}
        self.changes = changes_channel(redis) if redis is not None else ""
        if redis is not None:  # sent by their digest (EVALSHA), loaded on first use
            self._enter = redis.register_script(_ENTER)
            self._leave = redis.register_script(_LEAVE)

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
    async def update(self, person: str, update: str | None) -> AsyncIterator[bool]:
        """Handle one update of `person` (e.g. "tg:123"): never alongside another update of
        theirs (first in this process, then across instances), and once: the block gets
        whether `update` (messenger and id, e.g. "tg:1234"; None when it has none) is new, and
        the update is recorded as handled when the block ends without an error, so one that
        failed or died with its process is handled again when redelivered. With Redis, taking
        the person and checking the update is one round trip, recording and releasing another.
        """
        lock = self._local.get(person)
        if lock is None:
            lock = asyncio.Lock()
            self._local[person] = lock
        self._busy += 1
        self._idle.clear()
        try:
            async with lock:
                if self.redis is None:
                    fresh = update is None or self._seen.get(update) is MISSING
                    yield fresh
                    if fresh and update is not None:
                        self._seen.put(update, True)
                else:
                    async with self._shared(person, update) as fresh:
                        yield fresh
        finally:
            self._busy -= 1
            if self._busy == 0:
                self._idle.set()

    @property
    def in_hand(self) -> int:
        """How many updates are being handled (or waiting for their person's lock) now."""
        return self._busy

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
    async def _shared(self, person: str, update: str | None) -> AsyncIterator[bool]:
        lock_key, seen_key = f"{PREFIX}:person:{person}", f"{PREFIX}:seen:{update or ''}"
        token = uuid.uuid4().hex
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            state = await self._enter(
                keys=[lock_key, seen_key],
                args=[token, LOCK_SECONDS * 1000, int(update is not None)],
            )
            if state != _BUSY:
                break
            if time.monotonic() > deadline:
                log.warning(logs.PERSON_LOCK_TIMEOUT)
                state = _TAKEN_ANYWAY
                break
            await asyncio.sleep(0.01)
        if state == _SEEN:
            yield False
            return
        handled = False
        try:
            yield True
            handled = update is not None
        finally:
            released = await self._leave(
                keys=[lock_key, seen_key], args=[token, SEEN_SECONDS if handled else 0]
            )
            if not released and state == _TAKEN:
                log.warning(logs.PERSON_LOCK_EXPIRED)

    def on_change(self, topic: str, forget: Callable[[], None]) -> None:
        """`forget` drops this process's cached copy of `topic` when an instance changed it."""
        self._forgetters.setdefault(topic, []).append(forget)

    async def changed(self, topic: str) -> None:
        """Call after the change is committed: the other instances drop their copy now. Best
        effort: a lost message leaves them the cache's TTL, as without Redis."""
        if self.redis is None:
            return
        try:
            await self.redis.publish(self.changes, topic)
        except Exception:
            log.warning(logs.CHANGE_NOT_ANNOUNCED, topic, exc_info=True)

    async def listen(self) -> None:
        """Until cancelled (with Redis): drop the cached copies other instances changed. After
        a lost connection everything cached is dropped once, since messages may have been
        missed meanwhile, and the subscription is renewed."""
        assert self.redis is not None
        while True:
            try:
                async with self.redis.pubsub() as pubsub:
                    await pubsub.subscribe(self.changes)
                    async for message in pubsub.listen():
                        if message["type"] == "message":
                            self._forget(message["data"].decode())
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning(logs.CHANGES_NOT_HEARD, RELISTEN_SECONDS, exc_info=True)
                for topic in self._forgetters:
                    self._forget(topic)
                await asyncio.sleep(RELISTEN_SECONDS)

    def _forget(self, topic: str) -> None:
        for forget in self._forgetters.get(topic, ()):
            forget()

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
