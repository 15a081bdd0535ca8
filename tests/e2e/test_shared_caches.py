"""Each instance keeps survey windows (WINDOW_CACHE_TTL) and the staff list (STAFF_CACHE_TTL) in
memory; a change made on one instance is announced through Redis (bot/coordination.py) and the
other drops its copy at once. Proven here through two real processes in webhook mode: each
change is made on one instance right after the other has read (and cached) the old state, and
the next update on that other instance already sees the new state.

A copy older than the cache's TTL would be read afresh anyway; the steps between reading the
old state and the check take a fraction of a second, far below the TTLs (5 and 10 s), so an
instance that heard nothing answers from its stale copy and the test fails (on a machine so
loaded that they took longer it could pass without the announcement; it never fails because
of the load). Runs when TEST_POSTGRES_URL and TEST_REDIS_URL are set."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import aiohttp
import pytest
from redis.asyncio import Redis

from bot.devtools.fake_telegram import FakeTelegram
from bot.texts import admin as admin_texts
from bot.texts import appeals as appeal_texts
from bot.texts import survey as survey_texts
from tests.support.database import ADMIN, postgres_url
from tests.support.instances import Balancer, start_webhook_instances, wait_healthy
from tests.support.waits import wait_for

pytestmark = pytest.mark.skipif(
    not (postgres_url() and os.environ.get("TEST_REDIS_URL")),
    reason="TEST_POSTGRES_URL and TEST_REDIS_URL are not set",
)

CITIZEN, NEWCOMER, LATECOMER, CLERK = 700, 701, 702, 703


async def listeners(redis_url: str) -> int:
    """How many clients of this Redis database are subscribed (to its changes channel: the bot subscribes
    to nothing else). Redis shares pub/sub among its databases; counting by database leaves out
    the instances of other tests on the same server."""
    redis = Redis.from_url(redis_url)
    try:
        db = str(redis.connection_pool.connection_kwargs.get("db", 0))
        clients = await redis.client_list()
        subscribed = [c for c in clients if str(c.get("db")) == db and int(c.get("sub", 0)) > 0]
        return len(subscribed)
    finally:
        await redis.aclose()


async def test_a_change_on_one_instance_is_seen_on_the_other_at_once(
    database_url: str, redis_url: str, fake: FakeTelegram, tmp_path: Path
) -> None:
    instances = await start_webhook_instances(database_url, redis_url, fake, tmp_path)
    ports, processes = list(instances), list(instances.values())
    admins, citizens = ports  # the admin's instance and the one the others talk to
    try:
        async with aiohttp.ClientSession() as http:
            await wait_healthy(http, *ports)

            async def both_listen() -> bool:
                return await listeners(redis_url) == len(ports)

            await wait_for(both_listen)  # the changes are announced to both from now on
            lb = Balancer(http, ports)

            async def say(port: int, person: int, text: str) -> str:
                assert await lb.deliver(port, fake.message_update(person, text)) == port
                return fake.last(person).text

            async def press(port: int, person: int, label: str) -> str:
                last = fake.last(person)
                update = fake.callback_update(
                    person, last.button(label)["callback_data"], last.message_id
                )
                assert await lb.deliver(port, update) == port
                return fake.last(person).text

            # A window closed on the admin's instance is closed for the next /start on the other.
            await say(admins, ADMIN, "/open_survey csi")
            assert "Вопрос 1 из" in await say(citizens, CITIZEN, "/start csi")
            await say(admins, ADMIN, "/close_survey 1")
            assert "Вопрос 1 из" in await say(citizens, NEWCOMER, "/start csi")  # cached open
            await press(admins, ADMIN, admin_texts.BUTTON_CONFIRM_CLOSE)  # the report follows
            assert admin_texts.window_closed(1, 0) in [c.text for c in fake.sent(ADMIN)]
            assert await say(citizens, LATECOMER, "/start csi") == survey_texts.NO_OPEN_SURVEY
            # Those who had begun are refused too (closing deleted their drafts, whatever the
            # cache holds).
            assert await press(citizens, CITIZEN, "8") == survey_texts.SURVEY_CLOSED_MEANWHILE

            # A window opened there is found by the next /start here (which had just cached
            # that none was open).
            assert "Окно №2" in await say(admins, ADMIN, "/open_survey csi")
            assert "Вопрос 1 из" in await say(citizens, LATECOMER, "/start csi")

            # A staff member added there is one here at once.
            assert await say(citizens, CLERK, "/appeals") == appeal_texts.NOT_STAFF
            await say(admins, ADMIN, f"/staff add {CLERK} Иванова А.А., специалист")
            assert await say(citizens, CLERK, "/appeals") != appeal_texts.NOT_STAFF
    finally:
        for process in processes:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            await process.wait()
