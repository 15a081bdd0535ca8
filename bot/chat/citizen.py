"""The citizen's side of the conversation, shared by Telegram and VK.

A transport adapter turns an update into one of these calls (start with a deep-link payload,
a pressed button's action, typed text) and sends back the replies of the returned Outcome.

Typed text goes to the appeal dialog while the person is in it; text nobody was waiting for
(outside any dialog, or a long text where a survey expects a number) is offered as an appeal
("Отправить это как обращение?"), so nothing a person writes is thrown away. Starting a survey
pauses the appeal draft (kept, resumed by /appeal), so a survey's typed answers never land in
an appeal and a half-written appeal is never lost. Buttons carry their own prefix and reach
their dialog whatever is in progress.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from bot.appeals.model import Attachment
from bot.body import Body
from bot.chat.appeal_intake import MENU_ACTION as MENU_APPEAL
from bot.chat.appeal_intake import AppealIntake
from bot.core.actions import Scope, encode, parse
from bot.core.ports import Button, Outcome, Person, Reply
from bot.sanitize import clean_text
from bot.surveys.access import INVITE_PREFIX, EmployeeAccess
from bot.surveys.service import SurveyService
from bot.surveys.windows import WindowService
from bot.texts import appeals as appeal_texts
from bot.texts import privacy
from bot.texts import survey as texts

MENU_SURVEY = "survey"
APPEAL_PAYLOAD = "appeal"


class CitizenChat:
    def __init__(
        self,
        surveys: SurveyService,
        windows: WindowService,
        access: EmployeeAccess,
        appeals: AppealIntake | None = None,
        body: Body | None = None,
    ) -> None:
        self._surveys = surveys
        self._windows = windows
        self._access = access
        self.appeals = appeals
        self.body = body or Body()

    async def start(self, person: Person, payload: str | None = None) -> Outcome:
        """`/start` or a deep link (`/start csi`, `/start appeal`, `/start employee`, an
        invitation `/start emp_<code>`; VK `ref=...`). Someone whose survey was left
        unfinished when it closed is told first that those answers counted nowhere."""
        outcome = await self._start(person, payload)
        if await self._surveys.lapsed(person):
            return Outcome([Reply(texts.SURVEY_CLOSED_MEANWHILE), *outcome.replies], outcome.toast)
        return outcome

    async def _start(self, person: Person, payload: str | None) -> Outcome:
        if payload == APPEAL_PAYLOAD and self.appeals is not None:
            return await self.appeals.start(person)
        if payload and payload in self._external_kinds():
            return await self._start_survey(person, payload)
        if payload and payload.startswith(INVITE_PREFIX):
            return await self._start_internal(person, None, payload.removeprefix(INVITE_PREFIX))
        if payload and payload in self._internal_kinds():
            return await self._start_internal(person, payload, None)
        unfinished = await self._surveys.unfinished(person)
        return unfinished if unfinished is not None else await self.menu()

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

        return await self._pausing_appeal(person, await self._surveys.start(person, kind, admit))

    async def menu(self) -> Outcome:
        kinds = await self._windows.open_kinds("external")
        appeal_row = (
            [[Button(appeal_texts.MENU_APPEAL, MENU_APPEAL)]] if self.appeals is not None else []
        )
        if not kinds:
            return Outcome([Reply(texts.welcome_nothing_open(self.body.short), appeal_row)])
        buttons = [
            [
                Button(
                    texts.MENU_SURVEY if len(kinds) == 1 else self._title(kind),
                    encode(Scope.MENU, MENU_SURVEY, kind),
                )
            ]
            for kind in kinds
        ]
        return Outcome([Reply(texts.welcome(self.body.short), buttons + appeal_row)])

    async def action(self, person: Person, action: str) -> Outcome:
        pressed = parse(action)
        if self.appeals is not None and pressed is not None:
            if action == MENU_APPEAL:
                return await self.appeals.start(person)
            if pressed.scope is Scope.APPEAL:
                return await self.appeals.action(person, pressed)
        if (
            pressed is not None
            and pressed.scope is Scope.MENU
            and pressed.verb == MENU_SURVEY
            and pressed.rest in self._external_kinds()
        ):
            return await self._start_survey(person, pressed.rest)
        outcome = await self._surveys.handle_action(person, action)
        return outcome if outcome is not None else Outcome(toast=texts.STALE_BUTTON)

    async def text(
        self, person: Person, text: str | None, attachments: Sequence[Attachment] = ()
    ) -> Outcome:
        """Typed text (or a caption), None for anything that is not text (sticker, voice...);
        photos and documents come as `attachments`, which only the appeal dialog takes."""
        text = clean_text(text) if text is not None else None
        if self.appeals is not None:
            outcome = await self.appeals.text(person, text, attachments)
            if outcome is not None:
                return outcome
        outcome = await self._surveys.handle_text(person, None if attachments else text)
        if self.appeals is not None and text and not attachments:
            if outcome is None:
                offer = await self.appeals.offer(person, text)
                if offer is not None:
                    return Outcome([offer])
            elif outcome.replies and outcome.replies[0].text == texts.HINT_RATING:
                # A long text where a number was expected: the survey keeps its place, and
                # what the person wrote may still become an appeal.
                offer = await self.appeals.offer(person, text, in_survey=True)
                if offer is not None:
                    return Outcome([*outcome.replies, offer], outcome.toast)
        return outcome if outcome is not None else Outcome([Reply(texts.UNKNOWN_INPUT)])

    async def status(self, person: Person, arg: str | None) -> Outcome:
        """`/status [N]`: the person's own appeals only."""
        if self.appeals is None:
            return Outcome([Reply(texts.UNKNOWN_INPUT)])
        return await self.appeals.status(person, arg)

    async def privacy(self) -> Outcome:
        """`/privacy`: the personal-data consent, with the operator, at any time."""
        return Outcome([Reply(privacy.consent(self.body))])

    async def forget(self, person: Person) -> Outcome:
        """`/forget`: the consent withdrawn; the person's personal data in appeals goes as the
        retention purge would take it (surveys hold none)."""
        if self.appeals is None:
            return Outcome([Reply(privacy.forgotten(0, 0))])
        anonymised, still_open = await self.appeals.forget(person)
        return Outcome([Reply(privacy.forgotten(anonymised, still_open))])

    async def cancel(self, person: Person) -> Outcome:
        if self.appeals is not None and await self.appeals.cancel(person):
            return Outcome([Reply(appeal_texts.INTAKE_CANCELLED)])
        cancelled = await self._surveys.cancel(person)
        return Outcome([Reply(texts.SURVEY_CANCELLED if cancelled else texts.NOTHING_TO_CANCEL)])

    async def _start_survey(self, person: Person, kind: str) -> Outcome:
        return await self._pausing_appeal(person, await self._surveys.start(person, kind))

    async def _pausing_appeal(self, person: Person, outcome: Outcome) -> Outcome:
        """A survey that did start takes typed text from here on, so a half-written appeal
        waits for /appeal; a refused start (no survey open, not an employee) leaves it be."""
        if self.appeals is not None and await self.appeals.pause(
            person, lambda: self._surveys.in_survey(person)
        ):
            return Outcome([Reply(appeal_texts.APPEAL_PAUSED), *outcome.replies], outcome.toast)
        return outcome

    def _external_kinds(self) -> set[str]:
        return {k for k, q in self._windows.questionnaires.items() if q.audience == "external"}

    def _internal_kinds(self) -> set[str]:
        return {k for k, q in self._windows.questionnaires.items() if q.audience == "internal"}

    def _title(self, kind: str) -> str:
        return self._windows.questionnaires[kind].title
