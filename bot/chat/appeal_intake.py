"""The citizen's appeal dialog, shared by Telegram and VK: kind, topic, text, attachments,
name and e-mail, consent, registration; plus /status, rating and the follow-up question.

The dialog state is a JSON row keyed by `Person.key` (it is not anonymous: an appeal must be
answered), so a half-written appeal survives a restart. Every call is one short transaction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.appeals import render
from bot.appeals.model import KINDS, AppealError, Attachment
from bot.appeals.service import LOW_RATING, AppealService
from bot.body import Body
from bot.core.actions import Action, Scope, encode
from bot.core.ports import Button, Outcome, Person, Reply
from bot.db.models import AppealIntake as IntakeRow
from bot.sanitize import is_invisible
from bot.texts import appeals as texts
from bot.texts import privacy

MENU_ACTION = encode(Scope.MENU, "appeal")
KIND = "kind"
TOPIC = "topic"
TEXT_DONE = encode(Scope.APPEAL, "text_done")
FILES_DONE = encode(Scope.APPEAL, "files_done")
USE_CONTACT = encode(Scope.APPEAL, "contact_ok")
CHANGE_CONTACT = encode(Scope.APPEAL, "contact_change")
SKIP_EMAIL = encode(Scope.APPEAL, "email_skip")
CONSENT = encode(Scope.APPEAL, "consent")
CANCEL = encode(Scope.APPEAL, "cancel")
BACK = encode(Scope.APPEAL, "back")
OFFER_YES = encode(Scope.APPEAL, "offer_yes")
OFFER_NO = encode(Scope.APPEAL, "offer_no")
REASON_SKIP = encode(Scope.APPEAL, "reason_skip")
OFFER_MIN = 20
"""Shorter typed text outside any dialog ("8", "привет") gets the menu's hint, not an offer."""

TEXT_MIN = 10
TEXT_MAX = 3000  # with the card's header it still fits one Telegram message (4096)
MAX_FILES = 5
MAX_FILE_MB = 20  # what a Telegram bot may download later (getFile limit)
AFTER_ANSWER = ("followup", "reason", "offer")
"""Short one-question states that a new appeal or a survey simply replaces."""
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Draft:
    # kind, topic, text, files, contact, name, email, consent; followup and reason (after an
    # answer); offer (typed text waiting for "send it as an appeal?")
    step: str = "kind"
    kind: str | None = None
    topic: str | None = None
    parts: list[str] = field(default_factory=list)
    files: list[list[Any]] = field(default_factory=list)
    name: str | None = None
    email: str | None = None
    number: int | None = None  # the appeal a follow-up question or a reason refers to
    paused: bool = False
    trail: list[str] = field(default_factory=list)
    """The steps passed, so «Назад» returns to the one before."""

    @property
    def text(self) -> str:
        return "\n\n".join(self.parts)


class AppealIntake:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        appeals: AppealService,
        body: Body | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._appeals = appeals
        self.body = body or Body()

    # --- entry points ---------------------------------------------------------------------
    async def start(self, person: Person) -> Outcome:
        """/appeal, /start appeal, the menu button; resumes a paused draft where it stopped."""
        draft = await self._load(person)
        if draft is not None and draft.step not in AFTER_ANSWER:
            draft.paused = False
            await self._save(person, draft)
            return Outcome([await self._prompt(person, draft)])
        draft = Draft()
        await self._save(person, draft)
        return Outcome([await self._prompt(person, draft)])

    async def pause(self, person: Person, when: Callable[[], Awaitable[bool]]) -> bool:
        """Another dialog (a survey) takes the person's typed text until they come back, if
        `when` says it does; asked only when there is an appeal to pause, so nearly every
        citizen's start costs one read, not two."""
        draft = await self._load(person)
        if draft is None or draft.paused or not await when():
            return False
        if draft.step in AFTER_ANSWER:
            await self._drop(person)
            return False
        draft.paused = True
        await self._save(person, draft)
        return True

    async def cancel(self, person: Person) -> bool:
        draft = await self._load(person)
        if draft is None or draft.paused:
            return False
        await self._drop(person)
        return True

    async def forget(self, person: Person) -> tuple[int, int]:
        """Drop the person's draft and anonymise their finished appeals; (anonymised, open)."""
        await self._drop(person)
        return await self._appeals.forget(person)

    async def status(self, person: Person, arg: str | None) -> Outcome:
        arg = (arg or "").strip().lstrip("№")
        number = int(arg) if arg.isdigit() else None
        views = await self._appeals.of_person(person, number)
        if not views:
            return Outcome(
                [Reply(texts.not_found(number) if number is not None else texts.NO_APPEALS)]
            )
        tz = self._appeals.tz
        lines = [texts.STATUS_HEADER, *(texts.status_line(v, tz) for v in views)]
        replies = [Reply("\n".join(lines))]
        if number is not None and views[0].answer_text and views[0].state != "redirected":
            replies.append(render.citizen_answer(views[0]))
        return Outcome(replies)

    # --- input ------------------------------------------------------------------------------
    async def action(self, person: Person, pressed: Action) -> Outcome:
        """A `Scope.APPEAL` button."""
        if pressed.verb == render.RATE:
            return await self._rate(person, pressed)
        if pressed.verb == render.FOLLOWUP:
            number = pressed.number(0)
            if number is None:
                return Outcome(toast=texts.STALE)
            current = await self._load(person)
            if current is not None and current.step not in AFTER_ANSWER:
                return Outcome(toast=texts.FINISH_DRAFT_FIRST)
            await self._save(person, Draft(step="followup", number=number))
            return Outcome([Reply(texts.FOLLOWUP_ASK.format(number=number))])
        draft = await self._load(person)
        if draft is None or draft.paused:
            return Outcome(toast=texts.STALE)
        if pressed.encode() == CANCEL:
            await self._drop(person)
            return Outcome([Reply(texts.INTAKE_CANCELLED, edit=True)])
        action = pressed.encode()
        if action == BACK:
            return await self._back(person, draft)
        if draft.step == "offer":
            return await self._offer_answered(person, draft, action)
        if draft.step == "reason" and action == REASON_SKIP:
            await self._drop(person)
            return Outcome([Reply(texts.RATED, edit=True)])
        before = draft.step
        outcome = await self._pressed(person, draft, pressed)
        if draft.step != before:
            draft.trail.append(before)
            await self._save(person, draft)
        return outcome

    async def text(
        self, person: Person, text: str | None, attachments: Sequence[Attachment] = ()
    ) -> Outcome | None:
        """Typed text and/or files; None if the person is not (actively) in this dialog."""
        draft = await self._load(person)
        if draft is None or draft.paused:
            return None
        text = (text or "").strip()
        if text and is_invisible(text) and draft.step in ("followup", "text", "name", "email"):
            return Outcome([Reply(texts.TEXT_INVISIBLE), await self._prompt(person, draft)])
        if draft.step == "offer":
            # Typed on: the offer lapses and the text goes wherever it would have gone.
            await self._drop(person)
            return None
        if draft.step == "followup":
            return await self._followup(person, draft, text)
        if draft.step == "reason":
            return await self._reason(person, draft, text)
        if text.casefold() in texts.BACK_WORDS and not attachments:
            return await self._back(person, draft)
        before = draft.step
        if draft.step == "text":
            if attachments:
                return Outcome([Reply(texts.FILE_WRONG_STEP)])
            return await self._add_text(person, draft, text)
        if draft.step == "files":
            return await self._add_files(person, draft, attachments)
        if draft.step == "name" and text:
            if not 2 <= len(text) <= 200:
                return Outcome([Reply(texts.NAME_BAD)])
            draft.name, draft.step = text, "email"
        elif draft.step == "email" and text:
            if len(text) > 200 or not EMAIL.match(text):
                return Outcome([Reply(texts.EMAIL_BAD)])
            draft.email, draft.step = text, "consent"
        else:
            return Outcome([Reply(texts.PRESS_BUTTON), await self._prompt(person, draft)])
        draft.trail.append(before)
        await self._save(person, draft)
        return Outcome([await self._prompt(person, draft)])

    async def offer(self, person: Person, text: str, *, in_survey: bool = False) -> Reply | None:
        """Typed text nobody was waiting for: offer to send it as an appeal, the text kept
        for the intake; None (no offer) for a short text or one too long for an appeal."""
        text = text.strip()
        if not OFFER_MIN <= len(text) <= TEXT_MAX:
            return None
        current = await self._load(person)
        if current is not None and current.step not in (*AFTER_ANSWER, "offer"):
            return None  # a paused appeal draft is not overwritten
        await self._save(person, Draft(step="offer", parts=[text]))
        note = f"\n\n{texts.OFFER_IN_SURVEY}" if in_survey else ""
        return Reply(
            texts.offer(text) + note,
            [
                [Button(texts.BUTTON_OFFER_YES, OFFER_YES)],
                [Button(texts.BUTTON_OFFER_NO, OFFER_NO)],
            ],
        )

    async def _offer_answered(self, person: Person, draft: Draft, action: str) -> Outcome:
        if action == OFFER_YES:
            draft.step = "kind"
            await self._save(person, draft)
            return Outcome([await self._prompt(person, draft)])
        await self._drop(person)
        if action == OFFER_NO:
            return Outcome([Reply(texts.OFFER_DECLINED, edit=True)])
        return Outcome(toast=texts.STALE)

    async def _back(self, person: Person, draft: Draft) -> Outcome:
        """«Назад»: the previous step, with what was entered there kept."""
        if not draft.trail:
            return Outcome([await self._prompt(person, draft)])
        draft.step = draft.trail.pop()
        await self._save(person, draft)
        return Outcome([await self._prompt(person, draft)])

    async def _reason(self, person: Person, draft: Draft, text: str) -> Outcome:
        return await self._about_answered(
            person, draft, text, self._appeals.explain_rating, texts.RATING_REASON_THANKS
        )

    async def _about_answered(
        self,
        person: Person,
        draft: Draft,
        text: str,
        record: Callable[[Person, int, str], Awaitable[object]],
        thanks: str,
    ) -> Outcome:
        """A text about an appeal already answered (a follow-up, a low rating's reason): one
        message, kept with the appeal by `record`."""
        if not text:
            return Outcome([Reply(texts.NO_TEXT_YET)])
        if len(text) > TEXT_MAX:
            return Outcome([Reply(texts.text_too_long(len(text), TEXT_MAX))])
        assert draft.number is not None
        await self._drop(person)
        try:
            await record(person, draft.number, text)
        except AppealError as exc:
            return Outcome([Reply(str(exc))])
        return Outcome([Reply(thanks)])

    # --- steps ------------------------------------------------------------------------------
    async def _pressed(self, person: Person, draft: Draft, pressed: Action) -> Outcome:
        action = pressed.encode()
        if draft.step == "kind" and pressed.verb == KIND:
            kind = pressed.rest
            if kind not in KINDS:
                return Outcome(toast=texts.STALE)
            draft.kind, draft.step = kind, "topic"
        elif draft.step == "topic" and pressed.verb == TOPIC:
            topic = pressed.rest
            if topic not in self._appeals.classifier:
                return Outcome(toast=texts.STALE)
            draft.topic, draft.step = topic, "text"
        elif draft.step == "text" and action == TEXT_DONE:
            if len(draft.text) < TEXT_MIN:
                return Outcome([Reply(texts.TEXT_TOO_SHORT.format(min=TEXT_MIN))])
            draft.step = "files"
        elif draft.step == "files" and action == FILES_DONE:
            draft.step = "contact"
            contact = await self._appeals.contact(person)
            if contact is None:
                draft.step = "name"
            else:
                draft.name, draft.email = contact.name, contact.email
        elif draft.step == "contact" and action in (USE_CONTACT, CHANGE_CONTACT):
            draft.step = "consent" if action == USE_CONTACT else "name"
        elif draft.step == "email" and action == SKIP_EMAIL:
            draft.email, draft.step = None, "consent"
        elif draft.step == "consent" and action == CONSENT:
            return await self._submit(person, draft)
        else:
            return Outcome(toast=texts.STALE)
        await self._save(person, draft)
        return Outcome([await self._prompt(person, draft)])

    async def _add_text(self, person: Person, draft: Draft, text: str) -> Outcome:
        if not text:
            return Outcome([Reply(texts.NO_TEXT_YET), await self._prompt(person, draft)])
        length = len(draft.text) + (2 if draft.parts else 0) + len(text)
        if length > TEXT_MAX:
            return Outcome([Reply(texts.text_too_long(length, TEXT_MAX))])
        draft.parts.append(text)
        await self._save(person, draft)
        return Outcome(
            [Reply(texts.text_collected(length, TEXT_MAX), [[_done(TEXT_DONE)], [_cancel()]])]
        )

    async def _add_files(
        self, person: Person, draft: Draft, attachments: Sequence[Attachment]
    ) -> Outcome:
        if not attachments:
            return Outcome([Reply(texts.NOT_A_FILE)])
        if len(draft.files) + len(attachments) > MAX_FILES:
            return Outcome([Reply(texts.FILES_LIMIT.format(count=MAX_FILES))])
        if any(a.size is not None and a.size > MAX_FILE_MB * 1024 * 1024 for a in attachments):
            return Outcome([Reply(texts.FILE_TOO_BIG.format(mb=MAX_FILE_MB))])
        draft.files += [[a.platform, a.kind, a.file_id] for a in attachments]
        await self._save(person, draft)
        return Outcome(
            [
                Reply(
                    texts.file_received(len(draft.files), MAX_FILES),
                    [[_done(FILES_DONE)], [_cancel()]],
                )
            ]
        )

    async def _submit(self, person: Person, draft: Draft) -> Outcome:
        assert draft.kind and draft.topic and draft.name
        view = await self._appeals.file(
            person,
            draft.kind,
            draft.topic,
            draft.text,
            draft.name,
            draft.email,
            [Attachment(p, k, f) for p, k, f in draft.files],
        )
        await self._drop(person)
        due = view.due_at.astimezone(self._appeals.tz).date()
        return Outcome([Reply(texts.filed(view.number, view.kind, due), edit=True)])

    async def _followup(self, person: Person, draft: Draft, text: str) -> Outcome:
        thanks = texts.FOLLOWUP_SENT.format(number=draft.number)
        return await self._about_answered(person, draft, text, self._appeals.followup, thanks)

    async def _rate(self, person: Person, pressed: Action) -> Outcome:
        number, rating = pressed.number(0), pressed.number(1)
        if number is None or rating is None:
            return Outcome(toast=texts.STALE)
        try:
            view = await self._appeals.rate(person, number, rating)
        except AppealError as exc:
            return Outcome(toast=str(exc))
        answer = replace(render.citizen_answer(view), edit=True)
        current = await self._load(person)
        if rating > LOW_RATING or (current is not None and current.step not in AFTER_ANSWER):
            return Outcome([answer], toast=texts.RATED)
        await self._save(person, Draft(step="reason", number=view.number))
        skip = [[Button(texts.BUTTON_SKIP, REASON_SKIP)]]
        return Outcome([answer, Reply(texts.ASK_RATING_REASON, skip)], toast=texts.RATED)

    async def _prompt(self, person: Person, draft: Draft) -> Reply:
        if draft.step == "kind":
            buttons = [[Button(texts.KIND_NAMES[k], encode(Scope.APPEAL, KIND, k))] for k in KINDS]
            formal = Button(privacy.BUTTON_FORMAL, url=self.body.formal_appeal_url)
            return Reply(
                f"{privacy.intake_intro(self.body)}\n\n{texts.ASK_KIND}",
                [*buttons, [formal], [_cancel()]],
            )
        if draft.step == "topic":
            buttons = [
                [Button(t.title, encode(Scope.APPEAL, TOPIC, t.id))]
                for t in self._appeals.classifier.topics
            ]
            return Reply(texts.ASK_TOPIC, [*buttons, _back_cancel()])
        if draft.step == "text":
            assert draft.kind is not None
            ask = texts.ask_text(draft.kind, TEXT_MIN, TEXT_MAX)
            if draft.parts:
                carried = texts.TEXT_CARRIED.format(length=len(draft.text), maximum=TEXT_MAX)
                return Reply(f"{ask}\n\n{carried}", [[_done(TEXT_DONE)], _back_cancel()])
            return Reply(ask, [_back_cancel()])
        if draft.step == "files":
            label = texts.BUTTON_DONE if draft.files else texts.BUTTON_NO_FILES
            return Reply(
                texts.ASK_FILES.format(count=MAX_FILES, mb=MAX_FILE_MB),
                [[Button(label, FILES_DONE)], _back_cancel()],
            )
        if draft.step == "contact":
            assert draft.name is not None
            return Reply(
                texts.confirm_contact(draft.name, draft.email),
                [
                    [
                        Button(texts.BUTTON_USE_CONTACT, USE_CONTACT),
                        Button(texts.BUTTON_CHANGE_CONTACT, CHANGE_CONTACT),
                    ],
                    _back_cancel(),
                ],
            )
        if draft.step == "name":
            return Reply(texts.ASK_NAME, [_back_cancel()])
        if draft.step == "email":
            return Reply(texts.ASK_EMAIL, [[Button(texts.BUTTON_SKIP, SKIP_EMAIL)], _back_cancel()])
        if draft.step == "followup":
            return Reply(texts.FOLLOWUP_ASK.format(number=draft.number))
        if draft.step == "reason":
            return Reply(texts.ASK_RATING_REASON, [[Button(texts.BUTTON_SKIP, REASON_SKIP)]])
        if draft.step == "offer":
            return Reply(texts.offer(draft.text))
        return Reply(
            f"{privacy.consent(self.body)}\n\n{privacy.CONSENT_PRESS}",
            [[Button(texts.BUTTON_CONSENT, CONSENT)], _back_cancel()],
        )

    # --- storage ----------------------------------------------------------------------------
    async def _load(self, person: Person) -> Draft | None:
        async with self._sessionmaker() as session:
            row = await session.get(IntakeRow, person.key)
            return Draft(**json.loads(row.data)) if row is not None else None

    async def _save(self, person: Person, draft: Draft) -> None:
        async with self._sessionmaker() as session, session.begin():
            await session.merge(
                IntakeRow(
                    person_key=person.key,
                    data=json.dumps(vars(draft), ensure_ascii=False),
                    updated_at=self._appeals.now(),
                )
            )

    async def _drop(self, person: Person) -> None:
        async with self._sessionmaker() as session, session.begin():
            await session.execute(delete(IntakeRow).where(IntakeRow.person_key == person.key))


def _done(action: str) -> Button:
    return Button(texts.BUTTON_DONE, action)


def _cancel() -> Button:
    return Button(texts.BUTTON_CANCEL, CANCEL)


def _back_cancel() -> list[Button]:
    return [Button(texts.BUTTON_BACK, BACK), _cancel()]
