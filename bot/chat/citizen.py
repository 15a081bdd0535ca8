"""The citizen's side of the conversation, shared by Telegram and VK.

A transport adapter turns an update into one of these calls (start with a deep-link payload,
a pressed button's action, typed text) and sends back the replies of the returned Outcome.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat.replies import Button, Outcome, Reply
from bot.identity import Person
from bot.surveys.access import INVITE_PREFIX, EmployeeAccess
from bot.surveys.service import SurveyService
from bot.surveys.windows import WindowService
from bot.texts import survey as texts

MENU_SURVEY_PREFIX = "menu:survey:"


class CitizenChat:
    def __init__(
        self, surveys: SurveyService, windows: WindowService, access: EmployeeAccess
    ) -> None:
        self._surveys = surveys
        self._windows = windows
        self._access = access

    async def start(self, person: Person, payload: str | None = None) -> Outcome:
        """`/start` or a deep link (`/start csi`, `/start employee`, an invitation
        `/start emp_<code>`; VK `ref=...`)."""
        if payload and payload in self._external_kinds():
            return await self._surveys.start(person, payload)
        if payload and payload.startswith(INVITE_PREFIX):
            return await self._start_internal(person, None, payload.removeprefix(INVITE_PREFIX))
        if payload and payload in self._internal_kinds():
            return await self._start_internal(person, payload, None)
        return await self.menu()

    async def _start_internal(self, person: Person, kind: str | None, code: str | None) -> Outcome:
        """An employee survey, behind the employee check; an invitation opens whichever
        internal survey is running."""
        if kind is None:
            running = await self._windows.open_kinds("internal")
            if not running:
                return Outcome([Reply(texts.NO_OPEN_SURVEY)])
            kind = running[0]

        async def admit(session: AsyncSession) -> Reply | None:
            return await self._access.admit(session, person, code)

        return await self._surveys.start(person, kind, admit)

    async def menu(self) -> Outcome:
        kinds = await self._windows.open_kinds("external")
        if not kinds:
            return Outcome([Reply(texts.WELCOME_NOTHING_OPEN)])
        buttons = [
            [
                Button(
                    texts.MENU_SURVEY if len(kinds) == 1 else self._title(kind),
                    MENU_SURVEY_PREFIX + kind,
                )
            ]
            for kind in kinds
        ]
        return Outcome([Reply(texts.WELCOME, buttons)])

    async def action(self, person: Person, action: str) -> Outcome:
        if action.startswith(MENU_SURVEY_PREFIX):
            kind = action.removeprefix(MENU_SURVEY_PREFIX)
            if kind in self._external_kinds():
                return await self._surveys.start(person, kind)
        outcome = await self._surveys.handle_action(person, action)
        return outcome if outcome is not None else Outcome(toast=texts.STALE_BUTTON)

    async def text(self, person: Person, text: str | None) -> Outcome:
        """Typed text, or None for anything that is not text (sticker, photo, voice...)."""
        outcome = await self._surveys.handle_text(person, text)
        return outcome if outcome is not None else Outcome([Reply(texts.UNKNOWN_INPUT)])

    async def cancel(self, person: Person) -> Outcome:
        cancelled = await self._surveys.cancel(person)
        return Outcome([Reply(texts.SURVEY_CANCELLED if cancelled else texts.NOTHING_TO_CANCEL)])

    def _external_kinds(self) -> set[str]:
        return {k for k, q in self._windows.questionnaires.items() if q.audience == "external"}

    def _internal_kinds(self) -> set[str]:
        return {k for k, q in self._windows.questionnaires.items() if q.audience == "internal"}

    def _title(self, kind: str) -> str:
        return self._windows.questionnaires[kind].title
