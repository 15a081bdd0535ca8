"""The bot explains itself: /help per role, the Telegram command menu per scope, /id in a
group, and /plan without advice for a half-year already over."""

from __future__ import annotations

import json
from typing import Any

from bot.devtools.harness import RunningBot
from bot.handlers.telegram.menu import publish_commands
from bot.texts import help as help_texts
from tests.support.database import ADMIN

CITIZEN = 42
CLERK = 700
GROUP = -1009876


async def test_help_lists_what_each_role_may_do(running: RunningBot) -> None:
    await running.say(CITIZEN, "/help")
    citizen = running.fake.last(CITIZEN).text
    assert "/appeal" in citizen and "/answer" not in citizen and "/open_survey" not in citizen
    await running.say(ADMIN, f"/staff add {CLERK} Иванова А.А., ведущий специалист")
    await running.say(CLERK, "/help")
    staff = running.fake.last(CLERK).text
    assert "/answer" in staff and "/register" in staff and "/open_survey" not in staff
    await running.say(ADMIN, "/help")
    admin = running.fake.last(ADMIN).text
    assert "/open_survey" in admin and "/staff" in admin and "/answer" in admin


async def test_command_menu_per_scope(running: RunningBot) -> None:
    await running.say(ADMIN, f"/staff add {CLERK} Иванова А.А., ведущий специалист")
    assert running.bot is not None
    await publish_commands(running.bot, running.services.roles)
    menus: dict[object, set[str]] = {}
    for call in running.fake.calls:
        if call.method == "setMyCommands":
            scope = _parsed(call.params.get("scope"))
            menus[scope.get("chat_id", "default")] = {
                c["command"] for c in _parsed(call.params["commands"])
            }
    default, admin, clerk = menus["default"], menus[ADMIN], menus[CLERK]
    assert "appeal" in default and "answer" not in default
    assert "answer" in clerk and "open_survey" not in clerk
    assert {"open_survey", "close_survey", "staff", "answer"} <= admin


def _parsed(raw: object) -> Any:
    return json.loads(raw) if isinstance(raw, str) else raw


async def test_id_in_a_group_says_its_id(running: RunningBot) -> None:
    await running.say(CITIZEN, "/id", chat_id=GROUP)
    assert running.fake.last(GROUP).text == help_texts.chat_id_text(GROUP)


async def test_plan_gives_no_advice_for_a_half_year_that_has_passed(running: RunningBot) -> None:
    await running.say(ADMIN, "/open_survey csi")
    await running.say(ADMIN, "/plan")  # 24.12.2026: the first half-year is over
    plan = running.fake.last(ADMIN).text
    assert "1-е полугодие 2026 окна нет" not in plan
    assert "Оценка удовлетвор" in plan  # the line names its questionnaire, not its code
