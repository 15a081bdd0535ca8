"""A small in-memory cache whose entries expire, for rows read on nearly every update
(survey windows, the staff list, handled update ids) that change rarely.

Each process holds its own copy. A change made by this process clears the entry at once; a
change made by another instance is seen when the entry expires, so the TTL is the bound on
staleness between instances (the callers say what a stale read may cost them).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

MISSING = object()


class TtlCache(Generic[K, V]):
    """Least recently used entries are dropped beyond `size`, so a crowd of one-off visitors
    cannot grow memory without bound."""

    def __init__(
        self, ttl: float, size: int = 100_000, now: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._size = size
        self._now = now
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def get(self, key: K) -> V | object:
        """The value, or `MISSING` if absent or expired (None is a value worth caching)."""
        entry = self._entries.get(key)
        if entry is None:
            return MISSING
        if entry[0] < self._now():
            del self._entries[key]
            return MISSING
        self._entries.move_to_end(key)
        return entry[1]

    def put(self, key: K, value: V) -> None:
        self._entries[key] = (self._now() + self._ttl, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)

    def drop(self, key: K) -> None:
        self._entries.pop(key, None)

    def clear(self) -> None:
        self._entries.clear()


async def nobody_to_tell() -> None:
    """What a cache's owner calls after a change when it runs alone: with Redis the
    composition root puts `Coordination.changed` there, so other instances drop their copy."""
