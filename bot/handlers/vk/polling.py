"""Bots Long Poll in a thread of its own, handing events to the asyncio loop.

The thread blocks in `VkBotLongPoll` requests and never touches the loop's objects except by
`run_coroutine_threadsafe`, so a stalled long poll cannot stall anything else. The loop never
dies: network errors, timeouts, bad answers and VK's `failed` codes (1: history lost in part,
2: key expired, 3: everything lost) are logged and followed by a reconnect with backoff.
The `ts` after each batch is stored (bot/handlers/positions.py) and a restart reads on from
it, so what people wrote while the bot was down is read too.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from vk_api import VkApiGroup
from vk_api.bot_longpoll import VkBotLongPoll

from bot.handlers.backoff import Backoff
from bot.handlers.ordering import PerKeyOrder
from bot.handlers.positions import PollPositions
from bot.texts import logs

log = logging.getLogger("bot.vk")

Handler = Callable[[dict[str, Any]], Awaitable[None]]
SHUTDOWN_GRACE = 3.0
"""Seconds a stopping poller waits for its thread; a long poll still hanging is left to die
with the process (the thread is a daemon and stops at its next turn)."""
RENEW_AFTER_FAILURES = 3
"""After this many failed checks in a row, ask VK for a new server and key (same `ts`)."""


class LongPoll(VkBotLongPoll):
    """`VkBotLongPoll.check` with every `failed` answer logged, returning raw event dicts."""

    def check(self) -> list[dict[str, Any]]:  # type: ignore[override]
        response = self.session.get(
            self.url,
            params={"act": "a_check", "key": self.key, "ts": self.ts, "wait": self.wait},
            timeout=self.wait + 10,
        ).json()
        failed = response.get("failed")
        if failed is None:
            self.ts = response["ts"]
            return list(response["updates"])
        log.warning(logs.VK_LONGPOLL_FAILED_CODE, failed)
        if failed == 1:
            self.ts = response["ts"]
        elif failed == 2:
            self.update_longpoll_server(update_ts=False)
        else:
            self.update_longpoll_server()
        return []


def peer_of(event: dict[str, Any]) -> int:
    obj = event.get("object") or {}
    message = obj.get("message") or {}
    return int(obj.get("peer_id") or message.get("peer_id") or 0)


class VkPoller:
    """`await poller.run()` until cancelled; each person's events are handled in order."""

    def __init__(
        self,
        vk: VkApiGroup,
        group_id: int,
        handler: Handler,
        positions: PollPositions,
        *,
        wait: int = 25,
        backoff: Backoff | None = None,
        concurrent: bool = True,
    ) -> None:
        self._vk = vk
        self._group_id = group_id
        self._wait = wait
        self._backoff = backoff or Backoff(first=1.0, cap=60.0)
        self._order = PerKeyOrder(handler, log, concurrent=concurrent)
        self._positions = positions
        self._source = f"vk:{group_id}"
        self._stop = threading.Event()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        finished: asyncio.Future[None] = loop.create_future()
        stored = await self._positions.load(self._source)

        def poll() -> None:
            try:
                self._poll(loop, stored)
            finally:
                if not loop.is_closed():
                    loop.call_soon_threadsafe(lambda: finished.done() or finished.set_result(None))

        self._stop.clear()
        thread = threading.Thread(target=poll, name="vk-longpoll", daemon=True)
        thread.start()
        try:
            await asyncio.shield(finished)
        finally:
            self._stop.set()
            await asyncio.to_thread(thread.join, SHUTDOWN_GRACE)
            await self._order.close()

    def stop(self) -> None:
        self._stop.set()

    def _poll(self, loop: asyncio.AbstractEventLoop, stored: str | None) -> None:
        """`stored`: the `ts` the last run stopped at; VK's fresh server `ts` would skip what
        was written since (a new key with an old `ts` is how VK itself resumes, failed=2)."""
        longpoll: LongPoll | None = None
        failures = 0
        kept = stored
        while not self._stop.is_set():
            try:
                if longpoll is None:
                    longpoll = LongPoll(self._vk, self._group_id, wait=self._wait)
                    log.info(logs.VK_LONGPOLL_CONNECTED, self._group_id)
                    if stored is not None:
                        longpoll.ts = stored
                        log.info(logs.VK_LONGPOLL_RESUMED, stored)
                elif failures >= RENEW_AFTER_FAILURES:
                    longpoll.update_longpoll_server(update_ts=False)
                events = longpoll.check()
                failures = 0
            except Exception as exc:
                failures += 1
                delay = self._backoff.delay(failures)
                log.warning(
                    logs.VK_LONGPOLL_ERROR,
                    failures,
                    type(exc).__name__,
                    exc,
                    delay,
                )
                self._stop.wait(delay)
                continue
            if self._stop.is_set():
                return  # a batch that came after the stop is left (unstored) to the next run
            if str(longpoll.ts) == kept:
                continue
            try:
                taken = asyncio.run_coroutine_threadsafe(
                    self._take(events, str(longpoll.ts)), loop
                ).result()
            except RuntimeError:
                return  # the loop is gone: the process is shutting down
            except Exception:
                log.exception(logs.VK_DISPATCH_FAILED)
                continue
            if taken:
                kept = str(longpoll.ts)

    async def _take(self, events: list[dict[str, Any]], ts: str) -> bool:
        """Store where this batch ends, then hand its events over, and return once there is
        room for the next batch (`PerKeyOrder.room`); False once the stop has begun (the batch
        is then read again by the next run)."""
        if self._order.closed:
            return False
        await self._positions.keep(self._source, ts)
        await self._dispatch(events)
        await self._order.room()  # the next poll waits while too many updates are in hand
        return True

    async def _dispatch(self, events: list[dict[str, Any]]) -> None:
        for event in events:
            await self._order.submit(peer_of(event), event)
