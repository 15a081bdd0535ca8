"""A real `python -m bot run` told to stop (SIGTERM, as systemd does) in the middle of a burst of
survey presses: whatever it had accepted is finished - every person gets their next question and
their answer is kept - and it exits 0 with its Russian stop line.

"Accepted" differs by mode. A webhook request is answered only after its update was handled
(bot/webhooks.py), so the instance must not cut the requests in flight; new ones are refused and
go to the other instance. A long poll confirms the updates it took before they are handled
(aiogram handles them as tasks), so Telegram will not send them again: the stopping process is
their only chance."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import aiohttp
import pytest

from bot.config import Settings
from bot.devtools.fake_max import FakeMax
from bot.devtools.fake_telegram import FakeTelegram
from bot.devtools.fake_vk import FakeVk
from bot.texts import console, logs
from tests.support.database import ADMIN, postgres_url
from tests.support.instances import (
    Balancer,
    start_instance,
    start_webhook_instances,
    wait_healthy,
    wait_refusing,
    wait_started,
)
from tests.support.polled import (
    TELEGRAM_HELD,
    Polled,
    PolledMax,
    PolledTelegram,
    PolledVk,
)
from tests.support.waits import CEILING, wait_until

PEOPLE = 12
HELD = TELEGRAM_HELD


def first_question_press(fake: FakeTelegram, person: int) -> dict[str, object]:
    last = fake.last(person)
    assert "Вопрос 1 из" in last.text, last.text
    return fake.callback_update(person, last.button("8")["callback_data"], last.message_id)


def shown_question(fake: FakeTelegram, person: int) -> str:
    return fake.last(person).text.partition("\n")[0]


async def stopped(process: asyncio.subprocess.Process, log: Path) -> str:
    """The exit of a process sent SIGTERM: status 0, the log with our stop line and no update
    cut short."""
    await asyncio.wait_for(process.wait(), CEILING)
    printed = log.read_text(encoding="utf-8", errors="replace")
    assert process.returncode == 0, printed[-3000:]
    assert logs.UPDATES_CUT_AT_STOP.partition("%")[0] not in printed, printed[-3000:]
    return printed


@pytest.mark.skipif(
    not (postgres_url() and os.environ.get("TEST_REDIS_URL")),
    reason="TEST_POSTGRES_URL and TEST_REDIS_URL are not set",
)
async def test_a_stopped_webhook_instance_answers_every_request_in_flight(
    database_url: str, redis_url: str, fake: FakeTelegram, tmp_path: Path
) -> None:
    processes = await start_webhook_instances(database_url, redis_url, fake, tmp_path)
    ports = list(processes)
    stopping, staying = ports
    try:
        async with aiohttp.ClientSession() as http:
            await wait_healthy(http, *ports)
            lb = Balancer(http, ports)
            people = range(900, 900 + PEOPLE)
            await lb.deliver(staying, fake.message_update(ADMIN, "/open_survey csi"))
            for person in people:
                await lb.deliver(staying, fake.message_update(person, "/start csi"))

            fake.holds.hold(HELD)
            presses = [
                asyncio.create_task(
                    lb.post(stopping, lb.numbered(first_question_press(fake, person)))
                )
                for person in people
            ]
            await wait_until(lambda: fake.holds.held(HELD) == PEOPLE)
            processes[stopping].send_signal(signal.SIGTERM)
            await wait_refusing(http, stopping)
            # A newcomer's update is not taken by the stopping instance: the other one has it.
            assert await lb.deliver(stopping, fake.message_update(950, "/start csi")) == staying
            assert "Вопрос 1 из" in fake.last(950).text
            fake.holds.release(HELD)

            assert await asyncio.gather(*presses) == [200] * PEOPLE
            printed = await stopped(processes[stopping], tmp_path / f"bot-{stopping}.log")
            assert console.STOPPING in printed
            assert all(shown_question(fake, p).startswith("Вопрос 2 из") for p in people)
            # The answers were stored: the next press, on the other instance, goes on from there.
            for person in people:
                last = fake.last(person)
                press = fake.callback_update(
                    person, last.button("9")["callback_data"], last.message_id
                )
                await lb.deliver(staying, press)
                assert shown_question(fake, person).startswith("Вопрос 3 из")
    finally:
        for process in processes.values():
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            await process.wait()


@pytest.fixture(params=["telegram", "vk", "max"])
def polled(
    request: pytest.FixtureRequest, fake: FakeTelegram, fake_vk: FakeVk, fake_max: FakeMax
) -> Polled:
    """Each messenger alone in its process (VK and MAX with Telegram off)."""
    messengers = {
        "telegram": PolledTelegram(fake),
        "vk": PolledVk(fake_vk),
        "max": PolledMax(fake_max),
    }
    return messengers[request.param]


async def test_a_stopped_polling_bot_finishes_the_updates_it_took(
    settings: Settings, polled: Polled, tmp_path: Path
) -> None:
    log = tmp_path / "bot.log"
    process = await start_instance(
        settings.database_url, None, polled.telegram, log, **polled.env()
    )
    try:
        await wait_started(process, log, polled.polling)
        people = range(900, 900 + PEOPLE)
        await polled.say(ADMIN, "/open_survey csi", until="Окно №1")
        for person in people:
            await polled.say(person, "/start csi", until="Вопрос 1 из")

        polled.holds.hold(polled.held)
        for person in people:  # each returns once the bot confirmed the poll that carried it
            await polled.press(person, "8")
        await wait_until(lambda: polled.holds.held(polled.held) == (polled.at_once or PEOPLE))
        process.send_signal(signal.SIGTERM)
        # The pollers have ended and the process waits for the updates in hand (a process
        # that cut them short finds none in hand and exits).
        in_hand = logs.UPDATES_IN_HAND_AT_STOP % PEOPLE
        await wait_until(
            lambda: process.returncode is not None or in_hand in log.read_text(encoding="utf-8")
        )
        assert in_hand in log.read_text(encoding="utf-8"), log.read_text(encoding="utf-8")[-3000:]
        polled.holds.release(polled.held)

        printed = await stopped(process, log)
        assert console.POLLING_STOPPING in printed
        assert [polled.question(p) for p in people] == [2] * PEOPLE
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        await process.wait()
