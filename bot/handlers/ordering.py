"""Each person's updates handled in the order they came, different people's side by side.

Long polls (VK, MAX) hand over a batch of updates at once; handling them one by one would let a
slow reply to one person hold up everyone, and handling all at once could answer a person's
second press before the first. So updates of one key (a person or chat) form a chain of tasks.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from bot.texts import logs

Handler = Callable[[Any], Awaitable[None]]

UPDATES_IN_HAND = 100
"""At most this many updates (one batch more, at the end of a poll) are taken and not yet
finished in a process; a poll for more waits until some finish. Without the bound a crowd
beyond what the bot can serve piled up taken updates without end, and those waiting longer
than the database's pool timeout (15 s) failed and were lost, their polls long confirmed
(`benchmarks/throughput.py` feeding updates with no bound: 289 of 2,500 offered at 250/s for
10 s failed so on SQLite). With it the excess waits unread at the messenger, which keeps it.
100 is twice the crowd under which one process already serves as many updates per second as
it can (`benchmarks/throughput.py`)."""

DRAIN_SECONDS = 30.0
"""How long a stopping bot lets the updates in hand finish (systemd's default stop timeout
is 90 s)."""


class PerKeyOrder:
    def __init__(self, handler: Handler, log: logging.Logger, *, concurrent: bool = True) -> None:
        """`concurrent=False` handles every update before returning (tests see the effect of
        an update as soon as the poll that carried it is confirmed)."""
        self.limit = UPDATES_IN_HAND
        self._handler = handler
        self._log = log
        self._concurrent = concurrent
        self._tails: dict[Hashable, asyncio.Task[None]] = {}
        self.closed = False
        """Set as the stop begins: a batch a poll still brings after it is not taken (and its
        position not stored), so the next run reads it again."""
        self._in_hand: set[asyncio.Task[None]] = set()
        """Every update taken and not finished: a person's later updates wait behind the
        earlier ones, and all of them are the process's to finish when it stops."""

    async def submit(self, key: Hashable, update: Any) -> None:
        if not self._concurrent:
            await self._handle(key, update)
            return
        previous = self._tails.get(key)
        task = asyncio.create_task(self._after(previous, key, update))
        self._tails[key] = task
        self._in_hand.add(task)
        task.add_done_callback(lambda done: self._forget(key, done))

    async def room(self) -> None:
        """Wait until fewer than `limit` updates are in hand. A poller calls it after taking
        a batch, before it polls again: a batch once taken is always handed over whole, so a
        stop still finishes everything its confirmed polls carried."""
        while True:
            running = [task for task in self._in_hand if not task.done()]
            if len(running) < self.limit:
                return
            await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)

    async def close(self, grace: float = DRAIN_SECONDS) -> None:
        """The process is stopping: the updates already taken finish (their poll was
        confirmed, so the messenger will not send them again), for up to `grace` seconds;
        what is still running then is cancelled. Both are logged with the lines Telegram's
        updates get (bot/__main__.py): the operator sees what the stop waits for, and a cut
        is never silent."""
        self.closed = True
        tasks = list(self._in_hand)
        if not tasks:
            return
        self._log.info(logs.UPDATES_IN_HAND_AT_STOP, len(tasks))
        _, late = await asyncio.wait(tasks, timeout=grace)
        if late:
            self._log.warning(logs.UPDATES_CUT_AT_STOP, grace)
        for task in late:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _after(self, previous: asyncio.Task[None] | None, key: Hashable, update: Any) -> None:
        if previous is not None:
            await asyncio.wait([previous])
        await self._handle(key, update)

    def _forget(self, key: Hashable, task: asyncio.Task[None]) -> None:
        self._in_hand.discard(task)
        if self._tails.get(key) is task:
            del self._tails[key]

    async def _handle(self, key: Hashable, update: Any) -> None:
        try:
            await self._handler(update)
        except Exception:
            # One update failing must not stop the poll or the person's later updates. The
            # key (a person's or chat's id) names it: the update itself holds what they wrote.
            self._log.exception(logs.UPDATE_FAILED, key)
