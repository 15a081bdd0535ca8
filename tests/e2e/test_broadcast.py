"""Mass sending against the fake Bot API over HTTP: 429 is retried as asked, 403 is
reported."""

from __future__ import annotations

from bot.devtools.harness import RunningBot
from bot.handlers.telegram.broadcast import Broadcaster, Delivery, RateLimiter
from tests.support.clock import FakeTime


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
