"""Mass sending within Telegram's limits: pacing with a fake time, 429 and 403 from the fake
Bot API over HTTP."""

from __future__ import annotations

from bot.devtools.harness import RunningBot
from bot.handlers.telegram.broadcast import Broadcaster, Delivery, RateLimiter


class FakeTime:
    """A monotonic clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


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


async def test_429_is_retried_and_every_message_arrives(running: RunningBot) -> None:
    time = FakeTime()
    limiter = RateLimiter(monotonic=time.monotonic, sleep=time.sleep)
    broadcaster = Broadcaster(running.bot, limiter, sleep=time.sleep)
    running.fake.failures["sendMessage"] = [3, 2]
    running.fake.blocked.add(904)
    results = [await broadcaster.send(chat, f"сообщение {chat}") for chat in range(901, 906)]
    assert results == [Delivery.SENT] * 3 + [Delivery.BLOCKED, Delivery.SENT]
    assert [c.text for c in running.fake.sent()] == [
        f"сообщение {chat}" for chat in (901, 902, 903, 905)
    ]
    attempts = [c.method for c in running.fake.calls if c.method.startswith("sendMessage")]
    assert attempts[:3] == ["sendMessage:429", "sendMessage:429", "sendMessage"]
    assert time.sleeps == [3, 2]  # exactly what Telegram asked for, nothing else
