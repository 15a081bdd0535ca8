"""GET /updates long polling: the `marker` MAX returns commits everything before it, so each
request carries the last marker and an update is never handed over twice while the process runs.
The marker is stored too (bot/handlers/positions.py): a poll without one gets MAX's latest
update only, so a restart reads on from the stored one. The loop never dies: network errors,
timeouts and error answers are logged and followed by a retry with backoff; each person's
updates are handled in order (`PerKeyOrder`)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.handlers.backoff import Backoff
from bot.handlers.max.client import MaxClient
from bot.handlers.max.updates import user_of
from bot.handlers.ordering import PerKeyOrder
from bot.handlers.positions import PollPositions
from bot.texts import logs

log = logging.getLogger("bot.max")

Handler = Callable[[dict[str, Any]], Awaitable[None]]
UPDATE_TYPES = ("message_created", "message_callback", "bot_started")


def key_of(update: dict[str, Any]) -> int:
    """Updates of one person (or of one group chat) are handled in order."""
    message = update.get("message") or {}
    chat_id = (message.get("recipient") or {}).get("chat_id")
    if chat_id is not None and (message.get("recipient") or {}).get("chat_type") != "dialog":
        return int(chat_id)
    return int(user_of(update).get("user_id") or 0)


class MaxPoller:
    def __init__(
        self,
        client: MaxClient,
        handler: Handler,
        positions: PollPositions,
        *,
        wait: int = 30,
        backoff: Backoff | None = None,
        concurrent: bool = True,
    ) -> None:
        self._client = client
        self._wait = wait
        self._backoff = backoff or Backoff(first=1.0, cap=60.0)
        self._order = PerKeyOrder(handler, log, concurrent=concurrent)
        self._positions = positions
        self.source = "max"
        """Whose marker this is in `poll_positions`: "max:<bot id>" once GET /me has named the
        bot (MaxBot.connect), so another bot's token never reads on from this one's marker."""
        self.marker: int | None = None
        self.polls = 0
        """Long-poll requests answered so far (tests wait for the first)."""

    async def run(self) -> None:
        failures = 0
        stored = await self._positions.load(self.source)
        if stored is not None:
            self.marker = int(stored)
            log.info(logs.MAX_LONGPOLL_RESUMED, stored)
        try:
            while True:
                try:
                    page = await self._client.call(
                        "GET",
                        "/updates",
                        params={
                            "marker": self.marker,
                            "timeout": self._wait,
                            "limit": 100,
                            "types": UPDATE_TYPES,
                        },
                        timeout=self._wait + 10,
                    )
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    failures += 1
                    delay = self._backoff.delay(failures)
                    log.warning(
                        logs.MAX_LONGPOLL_ERROR,
                        failures,
                        type(exc).__name__,
                        exc,
                        delay,
                    )
                    await asyncio.sleep(delay)
                    continue
                failures = 0
                self.polls += 1
                marker = page.get("marker")
                if marker is not None and int(marker) != self.marker:
                    self.marker = int(marker)
                    await self._positions.keep(self.source, str(marker))
                for update in page.get("updates") or []:
                    await self._order.submit(key_of(update), update)
                await self._order.room()  # no next poll while too many updates are in hand
        finally:
            await self._order.close()
