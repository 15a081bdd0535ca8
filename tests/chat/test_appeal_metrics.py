"""Appeal metrics of a hand-built quarter, the period parser, and the personal-data purge."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.app import Services, build_services
from bot.appeals.metrics import PeriodError, parse_period
from bot.config import Settings
from bot.db.models import Appeal, AppealAttachment, AppealContact, AppealIntake
from bot.texts import appeals as texts
from tests.support.clock import FakeClock

DAY = 86400
Q1_START_UTC = datetime(2025, 12, 31, 21, 30, tzinfo=UTC)  # 1 Jan 2026 00:30 Moscow


@pytest.fixture
async def services(settings: Settings, clock: FakeClock) -> AsyncIterator[Services]:
    clock.set(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    built = build_services(settings, clock)
    yield built
    await built.close()


def appeal(
    received: datetime,
    channel: str,
    kind: str,
    topic: str,
    *,
    answer_days: float | None = None,
    redirect_days: float | None = None,
    outcome: str | None = None,
    rating: int | None = None,
) -> Appeal:
    row = Appeal(
        channel=channel,
        kind=kind,
        topic=topic,
        text="текст",
        state="registered",
        platform="tg",
        user_id=42,
        name="Петров Пётр",
        email="p@example.ru",
        received_at=received,
        registered_at=received,
        due_at=received + timedelta(days=30),
        redirect_due_at=received + timedelta(days=7),
        outcome=outcome,
        rating=rating,
    )
    if answer_days is not None:
        row.state = "answered"
        row.answered_at = received + timedelta(days=answer_days)
        row.answer_seconds = round(answer_days * DAY)
        row.answer_text = "ответ"
    if redirect_days is not None:
        row.state = "redirected"
        row.redirected_at = received + timedelta(days=redirect_days)
        row.redirect_seconds = round(redirect_days * DAY)
        row.redirected_to = "другой орган"
    return row


async def test_quarter_metrics_match_hand_computed_numbers(services: Services) -> None:
    feb = datetime(2026, 2, 10, 9, 0, tzinfo=UTC)
    async with services.sessionmaker() as session, session.begin():
        session.add_all(
            [
                appeal(Q1_START_UTC, "telegram", "appeal", "services", answer_days=1),
                appeal(
                    feb,
                    "telegram",
                    "complaint",
                    "staff",
                    answer_days=2,
                    outcome="satisfied",
                    rating=5,
                ),
                appeal(
                    feb, "email", "complaint", "staff", answer_days=4, outcome="refused", rating=2
                ),
                appeal(feb, "phone", "appeal", "services", answer_days=35),  # overdue
                appeal(feb, "post", "complaint", "deadlines", redirect_days=3),
                # Outside Q1 in Moscow time, though inside it in UTC / next to it:
                appeal(datetime(2026, 3, 31, 21, 30, tzinfo=UTC), "vk", "appeal", "other"),
                appeal(datetime(2025, 12, 31, 20, 30, tzinfo=UTC), "vk", "appeal", "other"),
            ]
        )
    metrics = await services.appeals.metrics(parse_period("2026Q1", date(2026, 6, 1)))

    assert metrics.total == 5
    assert metrics.by_channel == [("telegram", 2), ("email", 1), ("phone", 1), ("post", 1)]
    assert metrics.by_kind == [("complaint", 3), ("appeal", 2)]
    assert metrics.by_topic == [("services", 2), ("staff", 2), ("deadlines", 1)]
    # Answer times 1, 2, 4, 35 days: mean 10.5; median (2 + 4) / 2 = 3;
    # 90th percentile at rank 0.9 * 3 = 2.7: 4 + 0.7 * (35 - 4) = 25.7 days.
    assert metrics.answer.count == 4
    assert metrics.answer.mean == pytest.approx(10.5 * DAY)
    assert metrics.answer.median == pytest.approx(3 * DAY)
    assert metrics.answer.p90 == pytest.approx(25.7 * DAY)
    assert (metrics.redirect.count, metrics.redirect.median) == (1, 3 * DAY)
    assert metrics.late_redirects == 0
    assert (metrics.complaints, metrics.satisfied, metrics.refused) == (3, 1, 1)
    assert metrics.overdue == 1
    assert (metrics.rated, metrics.rating_mean, metrics.rating_satisfied) == (2, 3.5, 1)

    text = texts.metrics_text(metrics, services.appeals.classifier.title)
    assert "Telegram: 2 (40 %)" in text and "Электронная почта: 1 (20 %)" in text
    assert "медиана: 3,0 дн. (72,0 ч)" in text
    assert "удовлетворено: 1 (33 %)" in text and "отказано: 1 (33 %)" in text
    assert "Работа сотрудников: 2 (40 %)" in text
    # One late answer among all five appeals of the period (not among the four answered).
    assert "Нарушен срок ответа</b>: 1 (20 %)" in text


async def test_odd_count_median_is_the_middle_value(services: Services) -> None:
    feb = datetime(2026, 2, 10, 9, 0, tzinfo=UTC)
    async with services.sessionmaker() as session, session.begin():
        session.add_all(
            [appeal(feb, "telegram", "appeal", "other", answer_days=d) for d in (9, 1, 5)]
        )
    metrics = await services.appeals.metrics(parse_period("2026", date(2026, 6, 1)))
    # Sorted 1, 5, 9: median 5; p90 at rank 1.8: 5 + 0.8 * 4 = 8.2.
    assert metrics.answer.median == pytest.approx(5 * DAY)
    assert metrics.answer.p90 == pytest.approx(8.2 * DAY)


@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("2026Q3", "2026Q3", date(2026, 7, 1), date(2026, 10, 1)),
        ("2026Q4", "2026Q4", date(2026, 10, 1), date(2027, 1, 1)),
        ("2026H1", "2026H1", date(2026, 1, 1), date(2026, 7, 1)),
        ("2026h2", "2026H2", date(2026, 7, 1), date(2027, 1, 1)),
        ("2026", "2026", date(2026, 1, 1), date(2027, 1, 1)),
        (None, "2026Q2", date(2026, 4, 1), date(2026, 7, 1)),
    ],
)
def test_period_parser(text: str | None, label: str, start: date, end: date) -> None:
    period = parse_period(text, date(2026, 5, 15))
    assert (period.label, period.start, period.end) == (label, start, end)


@pytest.mark.parametrize("bad", ["2026Q5", "Q1", "26", "2026-1"])
def test_period_parser_refuses(bad: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(bad, date(2026, 5, 15))


async def test_purge_anonymises_after_retention_term(services: Services, clock: FakeClock) -> None:
    old = appeal(
        datetime(2020, 1, 10, 9, 0, tzinfo=UTC),
        "telegram",
        "appeal",
        "other",
        answer_days=3,
        rating=5,
    )
    old.state, old.closed_at = "closed", datetime(2021, 5, 31, 9, 0, tzinfo=UTC)
    old.user_id = 43
    recent = appeal(
        datetime(2021, 5, 1, 9, 0, tzinfo=UTC), "telegram", "appeal", "other", answer_days=3
    )
    recent.state, recent.closed_at = "closed", datetime(2021, 6, 2, 9, 0, tzinfo=UTC)
    async with services.sessionmaker() as session, session.begin():
        session.add_all([old, recent])
        await session.flush()
        session.add(
            AppealAttachment(appeal_number=old.number, platform="tg", kind="photo", file_id="x")
        )
        session.add_all(
            [
                AppealContact(person_key="tg:43", name="Петров Пётр"),
                AppealContact(person_key="tg:42", name="Петров Пётр"),
                AppealIntake(
                    person_key="tg:44", data="{}", updated_at=datetime(2026, 4, 1, tzinfo=UTC)
                ),
                AppealIntake(
                    person_key="tg:45", data="{}", updated_at=datetime(2026, 5, 20, tzinfo=UTC)
                ),
            ]
        )
    assert await services.appeals.purge() == 1  # now 1 June 2026: cut-off 1 June 2021
    assert await services.appeals.purge() == 0
    async with services.sessionmaker() as session:
        purged = await session.get(Appeal, old.number)
        kept = await session.get(Appeal, recent.number)
        assert purged is not None and kept is not None
        assert (purged.name, purged.email, purged.user_id) == (None, None, None)
        assert purged.text == texts.PURGED and purged.answer_text == texts.PURGED
        assert (purged.rating, purged.answer_seconds) == (5, 3 * DAY)  # metrics survive
        assert await session.get(AppealAttachment, 1) is None
        assert kept.name == "Петров Пётр"
        assert await session.get(AppealContact, "tg:43") is None
        assert await session.get(AppealContact, "tg:42") is not None
        assert await session.get(AppealIntake, "tg:44") is None  # abandoned two months ago
        assert await session.get(AppealIntake, "tg:45") is not None
