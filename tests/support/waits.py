"""Waiting for an event instead of sleeping a fixed time: the machine may be slow or busy."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

CEILING = 180.0
"""Seconds to wait for an event before failing: far beyond what it takes on a quiet machine, so
only a bug reaches it, never a busy one."""

STARTUP_CEILING = 180.0
"""Seconds for a fresh `python -m bot` to start: it imports aiogram, SQLAlchemy and matplotlib,
seconds on a quiet machine and far longer when every core is busy."""


async def wait_until(predicate: Callable[[], object], timeout: float = CEILING) -> None:
    """Poll `predicate` until it holds; fail after `timeout` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def wait_for(check: Callable[[], Awaitable[object]], timeout: float = CEILING) -> None:
    """As `wait_until`, for a check that has to ask over the network (a request, a query)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)
