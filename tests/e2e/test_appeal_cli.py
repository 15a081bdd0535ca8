"""`python -m bot purge` and `python -m bot digest`, the cron-friendly appeal jobs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import __main__ as cli
from bot.app import build_services
from bot.config import Settings
from bot.db.models import Appeal
from bot.devtools.fake_telegram import FakeTelegram
from tests.support.appeals import STAFF_CHAT


def overdue_appeal() -> Appeal:
    registered = datetime.now(UTC) - timedelta(days=40)
    return Appeal(
        channel="post",
        kind="appeal",
        topic="other",
        text="письмо",
        state="registered",
        received_at=registered,
        registered_at=registered,
        due_at=registered + timedelta(days=30),
        redirect_due_at=registered + timedelta(days=7),
    )


async def test_digest_command_posts_to_staff_chat(settings: Settings, fake: FakeTelegram) -> None:
    staffed = settings.model_copy(
        update={"tg_staff_chat_id": STAFF_CHAT, "telegram_api_url": fake.base_url}
    )
    assert await cli.run_digest(staffed) is False
    assert fake.sent(STAFF_CHAT) == []
    services = build_services(staffed)
    async with services.sessionmaker() as session, session.begin():
        session.add(overdue_appeal())
    await services.close()
    assert await cli.run_digest(staffed) is True
    assert "Просрочено: 1" in fake.last(STAFF_CHAT).text


def test_purge_and_digest_commands(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.delenv("TG_STAFF_CHAT_ID", raising=False)
    assert cli.main(["purge"]) == 0
    assert "Обезличено обращений с истёкшим сроком хранения: 0" in capsys.readouterr().out
    assert cli.main(["digest"]) == 2
    assert "TG_STAFF_CHAT_ID" in capsys.readouterr().err
