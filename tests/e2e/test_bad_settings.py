"""Every bad setting stops `python -m bot` with ONE Russian line naming the setting, exit 2.

Each case is a real subprocess. Most fail before the heavy modules are imported (the settings,
the files they name, the database), so they cost a second or two each; a refused token needs
the whole bot (tens of seconds on a busy machine), and an unreachable API is driven in-process.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot import __main__ as cli
from bot.devtools.fake_telegram import FakeTelegram
from bot.devtools.fake_vk import FakeVk
from tests.support.cli import run_cli, run_cli_async, without_root_overrides
from tests.support.database import postgres_url

NO_TELEGRAM = "http://127.0.0.1:1"
"""Nothing listens on port 1: `run` needs a messenger, and these fail before reaching it."""
RUN_ENV = {"BOT_TOKEN": "123456:TEST", "TELEGRAM_API_URL": NO_TELEGRAM}


def closed_port() -> int:
    """A port nothing listens on (taken from the system, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def assert_one_line(result_code: int, stderr: str, *needles: str) -> str:
    line = stderr.strip()
    assert result_code == 2, stderr
    assert "\n" not in line and "Traceback" not in line, stderr
    for needle in needles:
        assert needle in line, line
    return line


def questionnaire(body: bytes) -> Callable[[Path], dict[str, str]]:
    def setup(folder: Path) -> dict[str, str]:
        (folder / "forms").mkdir()
        (folder / "forms" / "csi.yaml").write_bytes(body)
        return {"QUESTIONNAIRES_DIR": "forms"}

    return setup


def file_setting(name: str, body: bytes) -> Callable[[Path], dict[str, str]]:
    def setup(folder: Path) -> dict[str, str]:
        (folder / "file.yaml").write_bytes(body)
        return {name: "file.yaml"}

    return setup


def data_is_a_file(folder: Path) -> dict[str, str]:
    (folder / "data").write_text("not a folder")
    return {}


def data_read_only(folder: Path) -> dict[str, str]:
    (folder / "data").mkdir(mode=0o555)
    return {}


def secret_not_hex(folder: Path) -> dict[str, str]:
    (folder / "data").mkdir()
    (folder / "data" / "anon_secret").write_text("это не секрет\n")
    return {}


def secret_folder_read_only(folder: Path) -> dict[str, str]:
    (folder / "keys").mkdir(mode=0o555)
    return {"ANON_SECRET_FILE": "keys/anon_secret"}


def env(**values: str) -> Callable[[Path], dict[str, str]]:
    return lambda folder: values


CP1251 = "id: csi\ntitle: Опрос\n".encode("cp1251")

CASES = [
    # (command, setup, the setting named, a word of the advice)
    ("migrate", env(DATABASE_URL="nonsense"), "DATABASE_URL", "sqlite+aiosqlite:///"),
    ("migrate", env(DATABASE_URL="sqlite:///data/bot.db"), "DATABASE_URL", "sqlite+aiosqlite://"),
    (
        "migrate",
        env(DATABASE_URL="postgresql://postgres@127.0.0.1:5432/bot"),
        "DATABASE_URL",
        "postgresql+asyncpg://",
    ),
    (
        "migrate",
        lambda _: {"DATABASE_URL": f"postgresql+asyncpg://bot@127.0.0.1:{closed_port()}/bot"},
        "DATABASE_URL",
        "недоступен",
    ),
    ("migrate", data_is_a_file, "DATABASE_URL", "папку «data»"),
    ("migrate", data_read_only, "DATABASE_URL", "право записи"),
    ("migrate", env(ANON_SECRET="short"), "ANON_SECRET", "token_urlsafe"),
    ("run", secret_not_hex, "ANON_SECRET_FILE", "шестнадцатеричных"),
    ("run", secret_folder_read_only, "ANON_SECRET_FILE", "право записи"),
    ("run", questionnaire(b"- a list\n- not a mapping\n"), "QUESTIONNAIRES_DIR", "словарь"),
    ("run", questionnaire(CP1251), "QUESTIONNAIRES_DIR", "UTF-8"),
    (
        "run",
        file_setting("CALENDAR_OVERRIDES", b"days_off:\n  - 2026-02-30\n"),
        "CALENDAR_OVERRIDES",
        "2026-02-30",
    ),
    (
        "run",
        file_setting("CALENDAR_OVERRIDES", "days_off: [] # выходные\n".encode("cp1251")),
        "CALENDAR_OVERRIDES",
        "UTF-8",
    ),
    (
        "run",
        file_setting(
            "APPEAL_TOPICS_FILE", "topics:\n- {id: other, title: Другое}\n".encode("cp1251")
        ),
        "APPEAL_TOPICS_FILE",
        "UTF-8",
    ),
]
IDS = [
    "db-nonsense",
    "db-sync-sqlite",
    "db-sync-postgresql",
    "db-closed-port",
    "data-is-a-file",
    "data-read-only",
    "secret-too-short",
    "secret-file-not-hex",
    "secret-file-unwritable",
    "questionnaire-not-a-mapping",
    "questionnaire-not-utf8",
    "calendar-impossible-date",
    "calendar-not-utf8",
    "topics-not-utf8",
]


@pytest.mark.parametrize(("command", "setup", "name", "advice"), CASES, ids=IDS)
def test_a_bad_setting_is_one_line_and_exit_2(
    tmp_path: Path,
    command: str,
    setup: Callable[[Path], dict[str, str]],
    name: str,
    advice: str,
) -> None:
    settings = setup(tmp_path)
    result = run_cli(tmp_path, command, preexec=without_root_overrides, **(RUN_ENV | settings))
    line = assert_one_line(result.returncode, result.stderr, advice)
    assert line.startswith(f"Ошибка в настройке {name}: "), line


@pytest.mark.skipif(postgres_url() is None, reason="needs TEST_POSTGRES_URL (a PostgreSQL server)")
def test_a_missing_postgresql_database_is_one_line(tmp_path: Path) -> None:
    server = make_url(postgres_url() or "")
    missing = server.set(database=f"{server.database}_missing_{os.getpid()}")
    result = run_cli(tmp_path, "migrate", DATABASE_URL=missing.render_as_string(False))
    line = assert_one_line(result.returncode, result.stderr, "DATABASE_URL", "createdb")
    assert f"нет базы «{missing.database}»" in line


async def test_telegram_refusing_the_token_is_one_line(tmp_path: Path, fake: FakeTelegram) -> None:
    code, err = await run_cli_async(
        tmp_path, "run", BOT_TOKEN="123456:REVOKED", TELEGRAM_API_URL=fake.base_url
    )
    line = assert_one_line(code, err, "BOT_TOKEN", "@BotFather")
    assert line.startswith("Telegram не принял токен (Unauthorized)"), line
    assert [c.method for c in fake.calls] == ["getMe:401"]


async def test_vk_refusing_the_token_is_one_line(tmp_path: Path, fake_vk: FakeVk) -> None:
    code, err = await run_cli_async(
        tmp_path,
        "run",
        VK_GROUP_TOKEN="revoked",
        VK_GROUP_ID=str(fake_vk.group_id),
        VK_API_URL=fake_vk.base_url,
    )
    line = assert_one_line(code, err, "VK_GROUP_TOKEN", "[5]")
    assert line.startswith("ВКонтакте не принял настройки"), line
    assert fake_vk.longpoll_servers_given == 0


@pytest.mark.parametrize(
    ("settings", "name"),
    [
        ({"BOT_TOKEN": "123456:TEST", "TELEGRAM_API_URL": "{url}"}, "TELEGRAM_API_URL"),
        ({"VK_GROUP_TOKEN": "t", "VK_GROUP_ID": "5", "VK_API_URL": "{url}"}, "VK_API_URL"),
        ({"MAX_BOT_TOKEN": "t", "MAX_API_URL": "{url}"}, "MAX_API_URL"),
    ],
    ids=["telegram", "vk", "max"],
)
def test_an_unreachable_api_at_start_is_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    settings: dict[str, str],
    name: str,
) -> None:
    """In-process `main(["run"])`, the whole path but the interpreter's start: three more
    subprocesses importing the whole bot would cost minutes on a busy machine, and the exit
    status of the same `SettingsError` is what the subprocess tests above prove."""
    url = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.chdir(tmp_path)
    for key in [k for k in os.environ if k.isupper() and k not in {"PATH", "HOME", "LANG"}]:
        monkeypatch.delenv(key)
    for key, value in settings.items():
        monkeypatch.setenv(key, value.format(url=url))
    code = cli.main(["run"])
    line = assert_one_line(code, capsys.readouterr().err, url, "Connection refused")
    assert line.startswith(f"Ошибка в настройке {name}: не удалось связаться"), line
