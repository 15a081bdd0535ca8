"""Taking a survey: start, answer, go back, cancel, submit, with drafts kept in the database.

Every call is one short transaction, so a survey in progress survives any restart of the bot:
the next message simply finds the draft where the last one left it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from functools import lru_cache

from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.body import Body
from bot.core.ports import Button, Outcome, Person, Reply
from bot.db.models import (
    SurveyLapsedDraft,
    SurveyParticipation,
    SurveyWindow,
)
from bot.db.session import is_lock_error, retry_on_lock
from bot.surveys import drafts
from bot.surveys.anonymity import Anonymizer
from bot.surveys.flow import Draft, InvalidAnswer, SurveyFlow
from bot.surveys.questionnaire import Questionnaire
from bot.surveys.release import ResponseRelease
from bot.surveys.render import (
    BACK_VALUE,
    CONTINUE,
    RESTART,
    parse_resume_action,
    parse_step_action,
    render_step,
    resume_action,
)
from bot.surveys.windows import WindowService
from bot.texts import logs
from bot.texts import survey as texts

log = logging.getLogger(__name__)

Admit = Callable[[AsyncSession], Awaitable[Reply | None]]
"""Decides, inside the transaction that creates a new draft, whether the person may start;
returns the refusal to show, or None. Internal surveys pass the employee check here."""


@lru_cache(maxsize=32)
def flow_for(snapshot: str) -> SurveyFlow:
    """The flow of a window's questionnaire snapshot (parsed once per snapshot)."""
    return SurveyFlow(Questionnaire.from_json(snapshot))


class SurveyService:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        windows: WindowService,
        anonymizer: Anonymizer,
        release: ResponseRelease,
        body: Body | None = None,
    ) -> None:
        self._body = body or Body()
        self._sessionmaker = sessionmaker
        self._windows = windows
        self._anon = anonymizer
        self._release = release

    async def start(self, person: Person, kind: str, admit: Admit | None = None) -> Outcome:
        """Begin or resume; `admit` is asked only when a new draft would be created, so a
        person resuming their survey is not checked (or charged an invitation) again."""
        window = await self._windows.open_for(kind)
        if window is None:
            return Outcome([Reply(texts.NO_OPEN_SURVEY)])
        key = self._anon.draft_key(person)
        async with self._sessionmaker() as session, session.begin():
            if await self._took_part(session, window, person):
                return Outcome([Reply(texts.ALREADY_TOOK_PART)])
            stored = await drafts.read(session, key)
            draft = self._unseal(key, stored)
            flow = flow_for(window.questionnaire)
            if draft is not None and draft.window_id == window.id and draft.history:
                return Outcome([self._resume_question(flow, draft)])
            if draft is None or draft.window_id != window.id:
                refusal = await admit(session) if admit is not None else None
                if refusal is not None:
                    return Outcome([refusal])
                draft = Draft(window.id)
                await self._save(session, key, draft, stored=stored is not None)
            step = flow.current_step(draft)
            assert step is not None, "a saved draft always has a next step"
            intro = Reply(
                texts.survey_intro(
                    self._body.full, flow.questionnaire.intro, flow.estimated_minutes()
                )
            )
            return Outcome([intro, render_step(flow, draft, step)])

    async def lapsed(self, person: Person) -> bool:
        """Whether the person's survey was left unfinished when its window closed (and not yet
        told so); asking forgets it."""
        async with self._sessionmaker() as session, session.begin():
            return await self._pop_lapsed(session, self._anon.draft_key(person))

    @staticmethod
    async def _pop_lapsed(session: AsyncSession, key: str) -> bool:
        result = await session.execute(
            delete(SurveyLapsedDraft).where(SurveyLapsedDraft.person_key == key)
        )
        return bool(result.rowcount)

    async def unfinished(self, person: Person) -> Outcome | None:
        """For a bare /start: a survey under way is offered to continue or start over."""
        key = self._anon.draft_key(person)
        async with self._sessionmaker() as session:
            draft = self._unseal(key, await drafts.read(session, key))
            if draft is None or not draft.history:
                return None
            window = await session.get(SurveyWindow, draft.window_id)
            if window is None or self._windows.state(window) != "open":
                return None
            return Outcome([self._resume_question(flow_for(window.questionnaire), draft)])

    @staticmethod
    def _resume_question(flow: SurveyFlow, draft: Draft) -> Reply:
        step = flow.current_step(draft)
        assert step is not None
        position, total = flow.progress(draft, step)
        return Reply(
            texts.resume_question(position, total),
            [
                [Button(texts.CONTINUE, resume_action(draft.window_id, CONTINUE))],
                [Button(texts.RESTART, resume_action(draft.window_id, RESTART))],
            ],
        )

    async def _resume(self, person: Person, window_id: int, choice: str) -> Outcome:
        """ "Продолжить" shows the question the person stopped at; "Начать заново" drops the
        answers so far (they were never stored anywhere else)."""
        key = self._anon.draft_key(person)
        async with self._sessionmaker() as session, session.begin():
            draft = self._unseal(key, await drafts.read(session, key))
            window = await session.get(SurveyWindow, window_id)
            if draft is None or draft.window_id != window_id or window is None:
                return Outcome(toast=texts.STALE_BUTTON)
            if self._windows.state(window) != "open":
                await drafts.remove(session, key)
                return Outcome([Reply(texts.SURVEY_CLOSED_MEANWHILE, edit=True)])
            flow = flow_for(window.questionnaire)
            if choice == RESTART:
                draft = Draft(window_id)
                await self._save(session, key, draft, stored=True)
            step = flow.current_step(draft)
            assert step is not None
            return Outcome([render_step(flow, draft, step, edit=True)])

    async def in_survey(self, person: Person) -> bool:
        """Whether the person has a survey under way (so their typed text belongs to it)."""
        async with self._sessionmaker() as session:
            return await drafts.read(session, self._anon.draft_key(person)) is not None

    async def cancel(self, person: Person) -> bool:
        async with self._sessionmaker() as session, session.begin():
            return await drafts.remove(session, self._anon.draft_key(person))

    async def handle_action(self, person: Person, action: str) -> Outcome | None:
        """A pressed survey button; None if the action is not a survey's."""
        resume = parse_resume_action(action)
        if resume is not None:
            return await self._resume(person, *resume)
        parsed = parse_step_action(action)
        if parsed is None:
            return None
        window_id, index, value = parsed
        return await self._advance(person, window_id=window_id, index=index, button=value)

    async def handle_text(self, person: Person, text: str | None) -> Outcome | None:
        """Typed input (None for a sticker, photo...); None if the person is not in a survey."""
        return await self._advance(person, text=text)

    async def _advance(
        self,
        person: Person,
        *,
        window_id: int | None = None,
        index: int | None = None,
        button: str | None = None,
        text: str | None = None,
    ) -> Outcome | None:
        try:
            outcome, finished_window = await retry_on_lock(
                lambda: self._advance_once(person, window_id, index, button, text)
            )
        except OperationalError as exc:
            if not is_lock_error(exc):
                raise
            log.error(logs.SURVEY_ANSWER_NOT_SAVED, exc.orig)
            # Nothing of this press was written (one transaction), so pressing again is safe.
            return Outcome([Reply(texts.PRESS_AGAIN)], toast=texts.PRESS_AGAIN_TOAST)
        if finished_window is not None:
            await self._release_pending(finished_window)
        return outcome

    async def _release_pending(self, window_id: int) -> None:
        """After a survey is finished (already committed, so never lost): release the window's
        pending surveys if there are enough. A failure here waits for the next one or the
        close."""

        async def release() -> int:
            async with self._sessionmaker() as session, session.begin():
                return await self._release.release(session, window_id)

        try:
            released = await retry_on_lock(release)
        except OperationalError as exc:
            log.warning(logs.SURVEYS_NOT_RELEASED, exc.orig)
            return
        if released:
            await self._release.scrub()

    async def _advance_once(
        self,
        person: Person,
        window_id: int | None,
        index: int | None,
        button: str | None,
        text: str | None,
    ) -> tuple[Outcome | None, int | None]:
        """One press or message as one transaction; also the window whose survey it finished."""
        pressed = button is not None
        key = self._anon.draft_key(person)
        async with self._sessionmaker() as session, session.begin():
            stored = await drafts.read(session, key)
            if stored is None:
                if await self._pop_lapsed(session, key):
                    return Outcome([Reply(texts.SURVEY_CLOSED_MEANWHILE)]), None
                if not pressed:
                    return None, None
                # Closing a window deletes its drafts; the button still names the window.
                window = await session.get(SurveyWindow, window_id)
                if window is not None and self._windows.state(window) == "closed":
                    return Outcome([Reply(texts.SURVEY_CLOSED_MEANWHILE)]), None
                return Outcome(toast=texts.STALE_BUTTON), None
            draft = self._unseal(key, stored)
            if draft is None:
                await drafts.remove(session, key)
                return Outcome([Reply(texts.DRAFT_LOST)]), None
            if pressed and draft.window_id != window_id:
                return Outcome(toast=texts.STALE_BUTTON), None
            window = await self._windows.cached(session, draft.window_id)
            if window is None or self._windows.state(window) != "open":
                await drafts.remove(session, key)
                return Outcome([Reply(texts.SURVEY_CLOSED_MEANWHILE)]), None
            flow = flow_for(window.questionnaire)
            step = flow.current_step(draft)
            assert step is not None
            if pressed and button == BACK_VALUE:
                if index != step.index or not flow.back(draft):
                    return Outcome(toast=texts.STALE_BUTTON), None
            else:
                if pressed and index != step.index:
                    return Outcome(toast=texts.STALE_BUTTON), None
                try:
                    if not pressed and text is None:
                        raise InvalidAnswer(texts.HINT_NOT_TEXT)
                    flow.answer(draft, step, button=button, text=text)
                except InvalidAnswer as exc:
                    return Outcome([Reply(str(exc)), render_step(flow, draft, step)]), None
            following = flow.current_step(draft)
            if following is None:
                # The cached row may be seconds old: the submission checks the window afresh.
                window = await session.get(SurveyWindow, draft.window_id)
                if window is None or self._windows.state(window) != "open":
                    await drafts.remove(session, key)
                    return Outcome([Reply(texts.SURVEY_CLOSED_MEANWHILE)]), None
                return await self._submit(session, key, window, flow, draft, person, pressed)
            await self._save(session, key, draft, stored=True)
            return Outcome([render_step(flow, draft, following, edit=pressed)]), None

    async def _submit(
        self,
        session: AsyncSession,
        key: str,
        window: SurveyWindow,
        flow: SurveyFlow,
        draft: Draft,
        person: Person,
        pressed: bool,
    ) -> tuple[Outcome, int | None]:
        """The mark, the finished survey (pending, see release.py) and the draft's deletion are
        one transaction: all of them are written, or none."""
        assert window.salt is not None, "an open window always has its salt"
        try:
            async with session.begin_nested():
                session.add(
                    SurveyParticipation(
                        window_id=window.id,
                        token=self._anon.participation_token(window.salt, person),
                    )
                )
                await session.flush()
        except IntegrityError:
            await drafts.remove(session, key)
            return Outcome([Reply(texts.ALREADY_TOOK_PART)]), None
        await drafts.remove(session, key)
        session.add(self._release.seal(window.id, [vars(r) for r in flow.records(draft)]))
        return Outcome([Reply(texts.SURVEY_DONE, edit=pressed)]), window.id

    async def _took_part(self, session: AsyncSession, window: SurveyWindow, person: Person) -> bool:
        if window.salt is None:
            return False
        token = self._anon.participation_token(window.salt, person)
        return bool(
            await session.scalar(
                select(
                    exists().where(
                        SurveyParticipation.window_id == window.id,
                        SurveyParticipation.token == token,
                    )
                )
            )
        )

    def _unseal(self, key: str, stored: drafts.StoredDraft | None) -> Draft | None:
        """The draft, or None: none stored, or one this secret cannot open (DRAFT_LOST)."""
        if stored is None:
            return None
        data = self._anon.unseal(key, stored.payload)
        return Draft.from_dict(data) if data is not None else None

    async def _save(self, session: AsyncSession, key: str, draft: Draft, *, stored: bool) -> None:
        """Seal the draft into its row (`stored`: already read in this transaction, so updated;
        a merge would read it a second time) or into a new one."""
        payload = self._anon.seal(key, draft.to_dict())
        await drafts.write(session, key, draft.window_id, payload, stored=stored)
