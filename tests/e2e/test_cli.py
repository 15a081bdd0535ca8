"""`python -m bot ...`: settings errors, the no-token path, migrate, and the demo."""

from __future__ import annotations

import io
import os
import re
import sqlite3
from pathlib import Path

import pytest

from bot import __main__ as cli
from bot.devtools.demo import run_demo
from tests.support.cli import run_cli


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"ADMIN_IDS": "12,abc"}, "ADMIN_IDS"),
        ({"BOT_TOKEN": "not-a-token"}, "BOT_TOKEN"),
        ({"TIMEZONE": "Mars/Olympus"}, "TIMEZONE"),
        ({"MIN_GROUP_SIZE": "0"}, "MIN_GROUP_SIZE"),
    ],
)
def test_bad_setting_is_one_clear_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    name: str,
) -> None:
    """In-process, so that four settings cost no four interpreter start-ups; the subprocess
    path (exit status 2, stderr) is the next test's."""
    monkeypatch.chdir(tmp_path)
    for key in [k for k in os.environ if k.isupper() and k not in {"PATH", "HOME", "LANG"}]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert cli.main(["migrate"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and name in lines[0], lines


def test_bad_setting_from_env_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("ADMIN_IDS=me\n")
    result = run_cli(tmp_path, "migrate")
    assert result.returncode == 2 and "ADMIN_IDS" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_migrate_creates_data_dir_and_schema(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "migrate")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "data" / "bot.db") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"survey_windows", "survey_answers", "alembic_version"} <= tables


def test_run_without_token_explains_and_offers_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    ran: list[bool] = []
    monkeypatch.setattr("bot.devtools.demo.run_demo", lambda out: ran.append(True))
    assert cli.main(["run"]) == 0
    out = capsys.readouterr().out
    assert "@BotFather" in out and "python -m bot demo" in out and ran == [True]


def test_demo_prints_a_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    run_demo(out, citizens=6, employees=5)
    text = out.getvalue()
    assert "Житель нажал «" in text
    assert "Респондентов: 6" in text
    # Every role had its turn, with progress lines and Russian plural agreement.
    assert "… прошли опрос: 5 из 6 жителей" in text and "Опрос прошли 6 жителей." in text
    assert "… ответили 5 из 5 сотрудников" in text and "5 одноразовых ссылок" in text
    enps = re.search(r"eNPS: ([+−]?\d+(?:,\d)?) \(доля 9–10", text)
    assert enps is not None  # a computed value of the employee report, not a label
    assert "Бот жителю: 📬 Ответ на обращение №1" in text
    assert "Петрова А. С., ведущий специалист" in text.split("Бот жителю:")[1]  # signed
    assert re.search(r"Всего поступило: 1\b", text)
    saved = {p.name for p in (tmp_path / "demo-output").iterdir()}
    assert {"okno-1.xlsx", "okno-2.xlsx", "karta-boley-okno-1.xlsx", "csi.png"} <= saved
    assert any(n.startswith("employee-") for n in saved)
    assert any(n.startswith("appeals_") and n.endswith(".xlsx") for n in saved)
    # The numbers agree with each other: the overall index is the mean of the criteria as
    # printed (to rounding), every criterion was answered by all six, and the level word
    # matches the value.
    overall = re.search(r"Общий индекс CSI: (\d+,\d) — (\w+)", text)
    assert overall is not None
    criteria = re.findall(r"^\d+\. .+ — (\d+,\d) \(\d+ %, ответов: (\d+)\)$", text, re.M)
    assert len(criteria) == 10 and all(n == "6" for _, n in criteria)
    values = [float(v.replace(",", ".")) for v, _ in criteria]
    shown = float(overall[1].replace(",", "."))
    assert abs(shown - sum(values) / len(values)) <= 0.06
    level = "высокий" if shown > 71 else "низкий" if shown < 70 else "пограничное"
    assert overall[2] == level


def test_the_command_line_speaks_russian(capsys: pytest.CaptureFixture[str]) -> None:
    """argparse's own words too: the usage line, the headings and its errors."""
    with pytest.raises(SystemExit) as shown:
        cli.main(["--help"])
    assert shown.value.code == 0
    printed = capsys.readouterr().out
    assert "использование: python -m bot" in printed and "показать эту справку" in printed
    assert "usage" not in printed and "show this help" not in printed
    with pytest.raises(SystemExit) as refused:
        cli.main(["export"])
    assert refused.value.code == 2
    error = capsys.readouterr().err
    assert "ошибка: не хватает аргументов: target" in error and "error" not in error
