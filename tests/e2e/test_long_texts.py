"""Every message arrives or the sender is told: texts over Telegram's 4,096 characters are
split, and staff learn when a citizen's notice did not arrive."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from aiogram.exceptions import TelegramBadRequest

from bot.config import Settings
from bot.devtools.fake_telegram import TEXT_LIMIT, FakeTelegram, visible_length
from bot.devtools.harness import RunningBot
from bot.handlers.vk.client import new_random_id
from bot.texts import appeals as texts
from bot.texts import survey as survey_texts
from tests.support.appeals import STAFF_CHAT, file_appeal
from tests.support.clock import FakeClock
from tests.support.database import ADMIN

CITIZEN = 520


async def test_fake_refuses_messages_over_the_limit_like_telegram(staffed: RunningBot) -> None:
    with pytest.raises(TelegramBadRequest, match="too long"):
        await staffed.bot.send_message(CITIZEN, "я" * (TEXT_LIMIT + 1))
    # Counted as Telegram does: markup is not text.
    await staffed.bot.send_message(CITIZEN, "<b>" + "я" * TEXT_LIMIT + "</b>")


async def test_long_extension_reason_reaches_the_citizen_in_parts(staffed: RunningBot) -> None:
    number = await file_appeal(staffed, CITIZEN)
    reason = ("Требуется запрос в другой орган. " * 130)[:4080]
    staffed.fake.clear()
    await staffed.say(ADMIN, f"/extend {number} {reason}")
    told = [c for c in staffed.fake.sent(CITIZEN) if c.method == "sendMessage"]
    assert len(told) >= 2 and all(visible_length(c.params) <= TEXT_LIMIT for c in told)
    assert reason.strip()[-50:] in "".join(c.text for c in told).replace("\n", " ")
    assert not any(c.method.endswith(":400") for c in staffed.fake.calls)
    assert "Заявитель уведомлён" in staffed.fake.last(ADMIN).text


async def test_staff_told_when_the_notice_failed(staffed: RunningBot) -> None:
    number = await file_appeal(staffed, CITIZEN)
    staffed.fake.blocked.add(CITIZEN)
    await staffed.say(ADMIN, f"/extend {number} Нужен запрос в другой орган")
    confirmation = staffed.fake.last(ADMIN).text
    assert "не доставлено" in confirmation and "уведомлён" not in confirmation
    await staffed.say(ADMIN, f"/close {number}")
    assert staffed.fake.last(ADMIN).text == texts.closed(number, False)


async def test_digest_of_many_overdue_appeals_is_split(
    staffed: RunningBot, clock: FakeClock
) -> None:
    appeals = staffed.services.appeals
    for n in range(200):
        await appeals.register(
            "post", "appeal", "other", f"Письмо номер {n} о справке", date(2026, 12, 1)
        )
    clock.advance(days=40)
    staffed.fake.clear()
    text = await appeals.daily_digest()
    assert text is not None and len(text) > TEXT_LIMIT
    posted = [c for c in staffed.fake.sent(STAFF_CHAT) if c.method == "sendMessage"]
    assert len(posted) >= 2 and all(visible_length(c.params) <= TEXT_LIMIT for c in posted)
    assert not any(c.method.endswith(":400") for c in staffed.fake.calls)
    assert all(f"№{n}" in "".join(c.text for c in posted) for n in range(1, 201))


def test_vk_random_ids_use_the_signed_64_bit_range() -> None:
    ids = [new_random_id() for _ in range(2000)]
    assert 0 not in ids and len(set(ids)) == len(ids)
    assert all(-(2**63) <= i < 2**63 for i in ids)
    assert any(i < 0 for i in ids) and any(abs(i) >= 2**40 for i in ids)


ODD_YAML = """\
id: csi
title: Опрос <новый> & важный
audience: external
working_days: 10
intro: "Ответы < 5 минут & анонимно. <script>"
questions:
  - id: mood
    kind: rating
    text: Оценка <общая>
    low_label: <плохо>
    high_label: хорошо & быстро
"""


async def test_custom_questionnaire_text_is_escaped(
    settings: Settings, fake: FakeTelegram, clock: FakeClock, tmp_path: Path
) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "csi.yaml").write_text(ODD_YAML, encoding="utf-8")
    odd = settings.model_copy(update={"questionnaires_dir": folder})
    async with RunningBot(odd, fake, clock) as bot:
        await bot.say(ADMIN, "/open_survey csi")
        await bot.say(CITIZEN, "/start csi")
        assert not any(c.method.endswith(":400") for c in fake.calls)
        intro, question = fake.sent(CITIZEN)[-2:]
        assert "Ответы &lt; 5 минут &amp; анонимно. &lt;script&gt;" in intro.text
        assert "&lt;плохо&gt;" in question.text
        await bot.press(CITIZEN, "7")
        assert fake.last(CITIZEN).text == survey_texts.SURVEY_DONE


async def test_fake_refuses_unparsable_html_like_telegram(staffed: RunningBot) -> None:
    with pytest.raises(TelegramBadRequest, match="parse entities"):
        await staffed.bot.send_message(CITIZEN, "a < b")
