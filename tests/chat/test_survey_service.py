"""Taking a survey through the messenger-neutral survey service: buttons of older messages,
and what a stored response id may reveal."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.app import Services, build_services
from bot.config import Settings
from bot.core.ports import Button, Outcome, Person, Reply
from bot.db.models import SurveyResponse
from bot.texts import survey as texts
from tests.support.clock import FakeClock


@pytest.fixture
async def services(settings: Settings, clock: FakeClock) -> AsyncIterator[Services]:
    built = build_services(settings, clock)
    yield built
    await built.close()


def question(outcome: Outcome) -> Reply:
    """The reply carrying the current step's buttons."""
    return next(r for r in reversed(outcome.replies) if r.buttons)


def button(reply: Reply, label: str) -> Button:
    return next(b for row in reply.buttons for b in row if b.label == label)


async def test_back_on_an_older_message_is_refused(services: Services) -> None:
    await services.windows.open_window("csi")
    person = Person("tg", 500)
    first = question(await services.surveys.start(person, "csi"))  # criterion 1, score
    second = question(
        await services.surveys.handle_action(person, button(first, "8").action)  # type: ignore[arg-type]
    )  # criterion 1, importance
    third = question(
        await services.surveys.handle_action(person, button(second, "9").action)  # type: ignore[arg-type]
    )  # criterion 2, score
    stale = await services.surveys.handle_action(person, button(second, texts.BACK).action)
    assert stale is not None and stale.toast == texts.STALE_BUTTON and not stale.replies
    # The draft did not move: «Назад» on the current message goes back one step, to the
    # importance of criterion 1.
    back = await services.surveys.handle_action(person, button(third, texts.BACK).action)
    assert back is not None and back.toast is None
    assert question(back).text == second.text


async def complete(services: Services, person: Person) -> None:
    """Press the first button that moves on, until the survey is done."""
    outcome = await services.surveys.start(person, "csi")
    for _ in range(100):
        if any(r.text == texts.SURVEY_DONE for r in outcome.replies):
            return
        current = question(outcome)
        choice = next(b for row in current.buttons for b in row if b.label != texts.BACK)
        moved = await services.surveys.handle_action(person, choice.action)
        assert moved is not None
        outcome = moved
    raise AssertionError("the survey did not end")


async def test_response_ids_carry_no_time_and_no_order(services: Services) -> None:
    """uuid1 or a time-prefixed id would let anyone line responses up with the moments people
    were seen pressing the last button."""
    await services.windows.open_window("csi")
    # Finished surveys are released in groups of MIN_GROUP_SIZE (5): two groups here.
    for user in range(10):
        await complete(services, Person("tg", 1000 + user))
    async with services.sessionmaker() as session:
        ids = list(await session.scalars(select(SurveyResponse.id)))
    assert len(set(ids)) == 10 and all(len(i) >= 32 for i in ids)
    # Random ids agree in no position across ten responses (uuid4 in its version digit
    # only); uuid1 keeps version, clock sequence and node fixed, a time prefix its high digits.
    same = [p for p in range(min(map(len, ids))) if len({i[p] for i in ids}) == 1]
    assert len(same) <= 1, f"positions shared by every id: {same}"
