"""Report numbers straight from the SQL aggregates, with answers that differ between people
and between criteria, so that a formula applied in the wrong order gives a different number.
All expected values are computed by hand in the comments."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import event

from bot.app import Services, build_services
from bot.config import Settings
from bot.reports.csi import build_csi_report
from bot.reports.employee import ChoiceBlock, EmployeeReport, RecommendBlock, build_employee_report
from bot.surveys.questionnaire import Questionnaire
from tests.support.clock import FakeClock
from tests.support.report_data import add_responses

MIN_GROUP = 5


@pytest.fixture
async def services(settings: Settings, clock: FakeClock) -> AsyncIterator[Services]:
    built = build_services(settings, clock)
    yield built
    await built.close()


async def test_csi_means_first_then_product_and_overall_is_the_mean_of_criteria(
    services: Services,
) -> None:
    # "info" (score, importance): (10, 6), (6, 10), (8, 8) x 3.
    #   Means 8 and 8: CSI = 0.8 * 0.8 * 100 = 64.0.
    #   (Mean of per-person products would be (60 + 60 + 64 * 3) / 5 = 62.4.)
    # "documents": everyone (5, 10): CSI = 0.5 * 1.0 * 100 = 50.0.
    # Overall = (64 + 50) / 2 = 57.0.
    #   (Importance and score first averaged over criteria: 0.9 * 0.65 * 100 = 58.5.)
    pairs = [(10, 6), (6, 10), (8, 8), (8, 8), (8, 8)]
    people: list[dict[str, int | str]] = [
        {
            "info//score": score,
            "info//importance": importance,
            "documents//score": 5,
            "documents//importance": 10,
        }
        for score, importance in pairs
    ]
    view = await services.windows.open_window("csi")
    await add_responses(services, view.id, people)
    window = await services.windows.get(view.id)
    assert window is not None
    async with services.sessionmaker() as session:
        report = await build_csi_report(
            session, view.id, window.respondents, Questionnaire.from_json(window.questionnaire)
        )
    by_number = {c.number: c for c in report.criteria}
    assert [c.csi for c in report.criteria] == [pytest.approx(64.0), pytest.approx(50.0)]
    assert by_number[1].mean_score == pytest.approx(8.0)
    assert by_number[1].mean_importance == pytest.approx(8.0)
    assert report.overall == pytest.approx(57.0)


async def employee_report(services: Services, people: list[dict[str, int | str]]) -> EmployeeReport:
    view = await services.windows.open_window("employee")
    await add_responses(services, view.id, people)
    window = await services.windows.get(view.id)
    assert window is not None
    async with services.sessionmaker() as session:
        return await build_employee_report(
            session,
            view.id,
            window.respondents,
            Questionnaire.from_json(window.questionnaire),
            MIN_GROUP,
        )


def recommend_block(report: EmployeeReport) -> RecommendBlock:
    return next(b for b in report.blocks if isinstance(b, RecommendBlock))


async def test_enps_counts_6_as_detractor_and_8_as_neither(services: Services) -> None:
    # 10, 9 promote; 8, 7 neither; 6, 6, 1 detract: (2 - 3) / 7 * 100 = -14.29.
    # (Detractors 1-5 would give (2 - 1) / 7 * 100 = +14.29.)
    report = await employee_report(services, [{"recommend": v} for v in (10, 9, 8, 7, 6, 6, 1)])
    block = recommend_block(report)
    assert not block.hidden
    assert (block.promoters, block.detractors, block.answers) == (2, 3, 7)
    assert block.enps == pytest.approx(-100 / 7)
    assert block.mean == pytest.approx(47 / 7)


async def test_enps_block_is_hidden_below_the_minimum_group(services: Services) -> None:
    # Six people took part, only four answered the recommend question.
    people: list[dict[str, int | str]] = [{"recommend": v} for v in (10, 9, 3, 2)]
    people += [{"overall": "rather_yes"}, {"overall": "rather_yes"}]
    block = recommend_block(await employee_report(services, people))
    assert block.hidden and block.answers == 4
    assert (block.enps, block.mean, block.promoters, block.detractors) == (0.0, 0.0, 0, 0)


async def test_matrix_row_answered_by_four_is_hidden_in_a_window_of_five(
    services: Services,
) -> None:
    # Five people: all answer the "unit" row, only four the "office" row.
    people: list[dict[str, int | str]] = [
        {"colleagues/unit": "rather_yes", "colleagues/office": "rather_no"} for _ in range(4)
    ]
    people.append({"colleagues/unit": "rather_no"})
    report = await employee_report(services, people)
    assert report.respondents == 5
    block = next(
        b for b in report.blocks if isinstance(b, ChoiceBlock) and "между коллегами" in b.text
    )
    unit, office = block.rows
    assert not unit.hidden and unit.total == 5 and unit.satisfied_share == pytest.approx(0.8)
    assert office.hidden and office.counts == [] and office.satisfied_share is None
    assert all(row is not office for _, _, row in report.lowest)


async def test_report_aggregates_read_beside_the_writer_on_sqlite(services: Services) -> None:
    """On SQLite the writer is one connection on the event loop's thread: an aggregate of a big
    window run there would hold up every survey press for its half second. Reports read through
    connections of their own; on PostgreSQL the pool serves both."""
    people: list[dict[str, int | str]] = [
        {"info//score": 8, "info//importance": 9, "documents//score": 7, "documents//importance": 8}
    ] * MIN_GROUP
    view = await services.windows.open_window("csi")
    await add_responses(services, view.id, people)
    await services.windows.close_window(view.id)
    statements: dict[str, list[str]] = {"writer": [], "reader": []}

    def on(name: str) -> Callable[..., None]:
        def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
            statements[name].append(statement)

        return record

    sqlite = services.engine.dialect.name == "sqlite"
    assert (services.reader is not services.engine) == sqlite
    if sqlite:
        event.listen(services.engine.sync_engine, "before_cursor_execute", on("writer"))
        event.listen(services.reader.sync_engine, "before_cursor_execute", on("reader"))
    report = await services.reports.window_report(view.id)
    assert "ИУК" in report.text or "CSI" in report.text, report.text
    if sqlite:
        assert any("survey_answers" in s for s in statements["reader"]), statements
        assert not any("survey_answers" in s for s in statements["writer"]), statements["writer"]
