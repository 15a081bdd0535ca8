"""Delays between retries of a messenger API call or a long poll, shared by VK and MAX."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """Delays between attempts: first, doubled each time, capped; `attempts` tries in all."""

    first: float = 0.5
    cap: float = 30.0
    attempts: int = 6

    def delay(self, failures: int) -> float:
        return min(self.cap, self.first * 2 ** max(0, failures - 1))
