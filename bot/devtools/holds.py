"""Keeping a fake server's answers to one method back until the test lets them go: the bot is
then caught in the middle of its updates (e.g. when it is told to stop, or while one messenger
hangs and another must not). The fake Telegram, VK and MAX servers share it."""

from __future__ import annotations

import asyncio


class Holds:
    def __init__(self) -> None:
        self._gates: dict[str, asyncio.Event] = {}
        self._held: dict[str, int] = {}

    def hold(self, method: str) -> None:
        """Calls of `method` wait unanswered until `release(method)`."""
        self._gates[method] = asyncio.Event()

    def held(self, method: str) -> int:
        """How many calls of `method` are waiting for `release`."""
        return self._held.get(method, 0)

    def release(self, method: str) -> None:
        self._gates.pop(method).set()

    async def passing(self, method: str) -> None:
        """The server's side: returns at once, or once `method` is released if it is held."""
        gate = self._gates.get(method)
        if gate is None:
            return
        self._held[method] = self.held(method) + 1
        try:
            await gate.wait()
        finally:
            self._held[method] -= 1
