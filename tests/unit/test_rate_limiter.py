"""Telegram's sending limits kept by the rate limiter, measured with a fake time."""

from __future__ import annotations

from bot.handlers.telegram.broadcast import RateLimiter
from tests.support.clock import FakeTime


async def send_times(limiter: RateLimiter, time: FakeTime, chats: list[int]) -> list[float]:
    times = []
    for chat in chats:
        await limiter.acquire(chat)
        times.append(time.now)
    return times


async def test_at_most_30_per_second_overall() -> None:
    time = FakeTime()
    limiter = RateLimiter(monotonic=time.monotonic, sleep=time.sleep)
    times = await send_times(limiter, time, list(range(1, 66)))
    assert times[29] == 0.0 and times[30] == 1.0 and times[60] == 2.0
    assert all(sum(1 for t in times if start <= t < start + 1) <= 30 for start in times)


async def test_one_per_second_to_the_same_chat() -> None:
    time = FakeTime()
    limiter = RateLimiter(monotonic=time.monotonic, sleep=time.sleep)
    assert await send_times(limiter, time, [7, 8, 7, 7]) == [0.0, 0.0, 1.0, 2.0]


async def test_twenty_per_minute_to_a_group() -> None:
    time = FakeTime()
    limiter = RateLimiter(monotonic=time.monotonic, sleep=time.sleep)
    times = await send_times(limiter, time, [-100] * 22)
    assert times[:20] == [float(n) for n in range(20)]
    assert times[20] == 60.0 and times[21] == 61.0
