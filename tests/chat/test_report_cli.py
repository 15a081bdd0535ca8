"""`python -m bot export` and `painmap` write the same files admins get in Telegram."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.__main__ import main
from bot.app import build_services
from bot.config import Settings
from bot.texts import export as texts
from tests.support.report_data import add_responses, person


async def _seed(settings: Settings) -> int:
    services = build_services(settings)
    try:
        view = await services.windows.open_window("csi")
        await add_responses(services, view.id, [person(n, 9) for n in (4, 5, 6, 9, 10)])
        # A citizen window's rows are exported once it is closed (INTERIM_RESULTS=false).
        await services.windows.close_window(view.id)
        return view.id
    finally:
        await services.close()


@pytest.fixture
def window_id(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("ANON_SECRET", "test-secret-test-secret")
    return asyncio.run(_seed(settings))


def test_export_xlsx_csv_painmap_and_accounting(window_id: int, tmp_path: Path) -> None:
    assert main(["export", str(window_id), "--out", str(tmp_path / "w.xlsx")]) == 0
    assert texts.RESPONSES_SHEET in load_workbook(tmp_path / "w.xlsx").sheetnames

    assert main(["export", str(window_id), "--csv"]) == 0
    with (tmp_path / f"okno-{window_id}.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert len(rows) == 6 and sorted(r[0] for r in rows[1:]) == ["10", "4", "5", "6", "9"]

    assert main(["painmap", str(window_id), "--out", str(tmp_path / "p.xlsx")]) == 0
    assert load_workbook(tmp_path / "p.xlsx").active.cell(5, 1).value == 1

    assert main(["export", "accounting", "2026"]) == 0
    assert (tmp_path / "forma-ucheta-2026.xlsx").exists()


def test_unknown_window_is_an_error(window_id: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(window_id + 1)]) == 1
    assert "не найдено" in capsys.readouterr().err
