"""The VK Callback API and MAX webhook routes of the aiohttp server (bot/webhooks.py), driven
in-process on a loopback port: secrets checked, VK's confirmation answered, an event handled
once even when the messenger delivers it twice, MAX's subscription made as its schema says."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.app import build_max_bot, build_services
from bot.config import Settings
from bot.devtools.fake_max import FakeMax
from bot.devtools.fake_vk import FakeVk
from bot.devtools.harness import RunningBot
from bot.handlers.max import MaxSetupError
from bot.webhooks import MAX_SECRET_HEADER, MAX_UPDATE_TYPES, build_web_app
from tests.support.clock import FakeClock

CONFIRMATION = "a1b2c3d4"
VK_SECRET = "vk-callback-secret"
WEBHOOK_SECRET = "max-webhook-secret_1"
VK_USER = 500
MAX_USER = 700


async def test_vk_callback_confirms_checks_the_secret_and_handles_an_event_once(
    settings: Settings, fake_vk: FakeVk, clock: FakeClock
) -> None:
    settings = settings.model_copy(
        update={
            "vk_callback_confirmation": CONFIRMATION,
            "vk_callback_secret": SecretStr(VK_SECRET),
        }
    )
    async with RunningBot(settings, None, clock, vk=fake_vk) as bot:
        assert bot.vk is not None
        app = build_web_app(bot.services, vk_handler=bot.vk.on_event)
        async with TestClient(TestServer(app)) as client:
            group = {"group_id": fake_vk.group_id}
            for confirmation in ({**group}, {**group, "secret": VK_SECRET}):
                answer = await client.post("/vk", json={"type": "confirmation", **confirmation})
                assert answer.status == 200 and await answer.text() == CONFIRMATION
            wrong = {"type": "confirmation", **group, "secret": "guess"}
            assert (await client.post("/vk", json=wrong)).status == 403

            event = {**fake_vk.message_new(VK_USER, "Начать"), **group}
            for refused in ({}, {"secret": "guess"}):
                answer = await client.post("/vk", json={**event, **refused})
                assert answer.status == 403
            assert fake_vk.sent(VK_USER) == []

            signed = {**event, "secret": VK_SECRET}
            answer = await client.post("/vk", json=signed)
            assert answer.status == 200 and await answer.text() == "ok"
            replies = len(fake_vk.sent(VK_USER))
            assert replies >= 1
            # VK redelivers an event it saw unanswered: handled once, still acknowledged.
            answer = await client.post("/vk", json=signed)
            assert answer.status == 200 and await answer.text() == "ok"
            assert len(fake_vk.sent(VK_USER)) == replies
            other = {**fake_vk.message_new(VK_USER, "Начать"), **group, "secret": VK_SECRET}
            assert (await client.post("/vk", json=other)).status == 200
            assert len(fake_vk.sent(VK_USER)) > replies


async def test_max_subscription_delivers_updates_with_the_secret_header(
    settings: Settings, fake_max: FakeMax, clock: FakeClock
) -> None:
    settings = settings.model_copy(
        update={
            "bot_token": None,
            "max_bot_token": SecretStr(fake_max.token),
            "max_api_url": fake_max.base_url,
            "webhook_secret": SecretStr(WEBHOOK_SECRET),
        }
    )
    services = build_services(settings, clock)
    max_bot = build_max_bot(services, rps=0)
    try:
        await max_bot.connect()
        app = build_web_app(services, max_handler=max_bot.on_event)
        async with TestClient(TestServer(app)) as client:
            url = str(client.make_url("/max"))
            with pytest.raises(MaxSetupError):  # MAX wants 5-256 characters
                await max_bot.subscribe(url, "abc", MAX_UPDATE_TYPES)
            await max_bot.subscribe(url, WEBHOOK_SECRET, MAX_UPDATE_TYPES)
            listed = await max_bot.client.call("GET", "/subscriptions")
            assert [s["url"] for s in listed["subscriptions"]] == [url]
            assert "secret" not in listed["subscriptions"][0]

            started = fake_max.bot_started(MAX_USER)
            for headers in ({}, {MAX_SECRET_HEADER: "guess"}):
                assert (await client.post("/max", json=started, headers=headers)).status == 401
            assert fake_max.sent(MAX_USER) == []

            await fake_max.push(started)  # MAX posts it to the subscription, secret attached
            assert fake_max.deliveries == [200]
            replies = len(fake_max.sent(MAX_USER))
            assert replies >= 1
            await fake_max.push(started)  # redelivered: acknowledged, not handled again
            assert fake_max.deliveries == [200, 200]
            assert len(fake_max.sent(MAX_USER)) == replies
            await fake_max.push(fake_max.message_created(MAX_USER, "Привет"))
            assert fake_max.deliveries == [200, 200, 200]
            assert len(fake_max.sent(MAX_USER)) > replies

            await max_bot.client.call("DELETE", "/subscriptions", params={"url": url})
            assert fake_max.subscriptions == []
    finally:
        await max_bot.close()
        await services.close()
