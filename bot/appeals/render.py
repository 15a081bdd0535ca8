"""Appeal messages as messenger-neutral replies with their buttons.

Citizen buttons are `Scope.APPEAL` actions (the intake dialog), staff buttons `Scope.STAFF`
actions (the staff conversation); both on any messenger.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.appeals.model import AppealView
from bot.core.actions import Scope, encode
from bot.core.ports import Button, Reply
from bot.texts import appeals as texts

RATE = "rate"
FOLLOWUP = "follow"


def citizen_taken(view: AppealView) -> Reply:
    return Reply(texts.citizen_taken(view.number))


def citizen_answer(view: AppealView) -> Reply:
    rows: list[list[Button]] = []
    if view.rating is None:
        rows.append(
            [Button(str(n), encode(Scope.APPEAL, RATE, view.number, n)) for n in range(1, 6)]
        )
    if view.followup_text is None:
        rows.append([Button(texts.BUTTON_FOLLOWUP, encode(Scope.APPEAL, FOLLOWUP, view.number))])
    return Reply(texts.citizen_answer(view.number, view.answer_text or "", view.executor), rows)


def citizen_redirected(view: AppealView) -> Reply:
    return Reply(texts.citizen_redirected(view.number, view.redirected_to or ""))


def citizen_extended(view: AppealView, tz: ZoneInfo) -> Reply:
    return Reply(
        texts.citizen_extended(
            view.number, view.due_at.astimezone(tz).date(), view.extension_reason or ""
        )
    )


def citizen_outcome(view: AppealView) -> Reply:
    return Reply(texts.citizen_outcome(view.number, view.outcome or "", view.answer_text))


def citizen_closed(view: AppealView) -> Reply:
    return Reply(texts.citizen_closed(view.number))


def staff_buttons(number: int) -> list[list[Button]]:
    return [
        [
            Button(texts.BUTTON_TAKE, encode(Scope.STAFF, "take", number)),
            Button(texts.BUTTON_ANSWER, encode(Scope.STAFF, "answer", number)),
        ],
        [
            Button(texts.BUTTON_REDIRECT, encode(Scope.STAFF, "redirect", number)),
            Button(texts.BUTTON_CLOSE, encode(Scope.STAFF, "close", number)),
        ],
    ]


def staff_card(view: AppealView, topic_title: str, tz: ZoneInfo) -> Reply:
    return Reply(texts.staff_card(view, topic_title, tz), staff_buttons(view.number))


def staff_followup(view: AppealView) -> Reply:
    return Reply(
        texts.staff_followup(view.number, view.followup_text or ""), staff_buttons(view.number)
    )


def staff_outcome_prompt(number: int) -> Reply:
    return Reply(
        texts.outcome_prompt(number),
        [
            [
                Button(
                    texts.OUTCOME_NAMES["satisfied"],
                    encode(Scope.STAFF, "outcome", number, "satisfied"),
                ),
                Button(
                    texts.OUTCOME_NAMES["refused"],
                    encode(Scope.STAFF, "outcome", number, "refused"),
                ),
            ]
        ],
    )
