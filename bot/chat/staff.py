"""The staff's conversation about appeals, on every messenger: the buttons of an appeal card,
replies to a card, the answer preview, /answer, /redirect, /extend, /close, /appeals,
/register, `/report appeals`, `/export appeals`, and the admins' /staff.

An answer never reaches the citizen straight from the staff chat: whatever starts it (the
card's «Ответить», a reply to the card, `/answer N text`) ends in a preview with «Отправить» /
«Изменить» / «Отмена», and only «Отправить» sends it, signed with the staff member's name and
position. A reply finds its appeal by the stored message id of the card, not by its text.

Where a staff member is in a dialog (an answer being written, /register) is a JSON row keyed
by `Person.key`, like the citizen's appeal intake, so it survives a restart.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.appeals import render
from bot.appeals.metrics import Period, PeriodError, parse_period
from bot.appeals.model import KINDS, OFFLINE_CHANNELS, OPEN_STATES, OUTCOMES, AppealError
from bot.appeals.service import ANSWER_MAX, AppealService
from bot.chat.appeal_intake import TEXT_MAX
from bot.chat.roles import Roles
from bot.core.actions import Action, Scope, encode
from bot.core.ports import Button, Outcome, Person, Reply, text_then_charts
from bot.db.models import StaffDialog
from bot.reports.appeal_charts import appeals_analysis
from bot.reports.appeal_export import appeals_workbook
from bot.reports.chart_pool import ChartRenderer
from bot.surveys.windows import WindowError, parse_date
from bot.texts import appeals as texts

STAFF_COMMANDS = ("answer", "redirect", "extend", "close", "appeals", "register", "formal")
APPEALS_ARGUMENT = "appeals"
"""`/report appeals`, `/export appeals`: the staff's variant of an admin command."""


def parse_person(raw: str) -> Person | None:
    """`123` (a Telegram id, as ADMIN_IDS), or `vk:456`, `max:789`, `tg:123`."""
    return Person.from_key(raw if ":" in raw else f"tg:{raw}")


def _number_and_rest(args: str | None) -> tuple[int | None, str]:
    head, _, rest = (args or "").strip().partition(" ")
    head = head.lstrip("№")
    return (int(head) if head.isdigit() else None), rest.strip()


def _say(text: str) -> Outcome:
    return Outcome([Reply(text)])


class StaffChat:
    def __init__(
        self,
        roles: Roles,
        appeals: AppealService,
        sessionmaker: async_sessionmaker[AsyncSession],
        min_group_size: int,
        renderer: ChartRenderer,
    ) -> None:
        self._roles = roles
        self._renderer = renderer
        self._appeals = appeals
        self._sessionmaker = sessionmaker
        self._min_group = min_group_size

    # --- commands ---------------------------------------------------------------------------
    async def command(
        self, person: Person, name: str, args: str | None, display: str = ""
    ) -> Outcome | None:
        """A staff command; None if `name` (with `args`) is not one (an admin's or citizen's
        chat takes it)."""
        args = (args or "").strip()
        if name in ("report", "export") and args.split()[:1] == [APPEALS_ARGUMENT]:
            if not await self._roles.is_staff(person):
                return _say(texts.NOT_STAFF)
            return await (self._report if name == "report" else self._export)(args)
        if name == "staff":
            if not self._roles.is_admin(person):
                return _say(texts.NOT_ADMIN)
            return await self._staff(person, args)
        if name == "cancel":
            if await self._load(person) is None:
                return None
            await self._drop(person)
            return _say(texts.REGISTER_CANCELLED)
        if name not in STAFF_COMMANDS:
            return None
        if not await self._roles.is_staff(person):
            return _say(texts.NOT_STAFF)
        number, rest = _number_and_rest(args)
        if name == "answer":
            if number is None or not rest:
                return _say(texts.ANSWER_USAGE)
            return await self._preview(person, number, rest)
        if name == "redirect":
            if number is None or not rest:
                return _say(texts.REDIRECT_USAGE)
            return await self._redirect(person, number, rest)
        if name == "extend":
            if number is None or not rest:
                return _say(texts.EXTEND_USAGE)
            return await self._do(
                lambda: self._appeals.extend(number, person.user_id, rest),
                lambda v: texts.extended(
                    number, v.due_at.astimezone(self._appeals.tz).date(), v.citizen_notified
                ),
            )
        if name == "close":
            if number is None:
                return _say(texts.CLOSE_USAGE)
            return await self._do(
                lambda: self._appeals.close(number, person.user_id),
                lambda v: texts.closed(number, v.citizen_notified),
            )
        if name == "appeals":
            return await self._list(args or "open")
        if name == "formal":
            return await self._formal(number, rest)
        return await self._register_start(person)

    async def _do(self, change: Any, done: Any) -> Outcome:
        try:
            view = await change()
        except AppealError as exc:
            return _say(str(exc))
        return _say(done(view))

    def _today(self) -> date:
        return self._appeals.now().astimezone(self._appeals.tz).date()

    def _day(self, raw: str) -> date | None:
        """A date as staff type it: «сегодня», or as any date in the bot (`parse_date`)."""
        raw = raw.strip().lower()
        if raw in texts.TODAY_WORDS:
            return self._today()
        try:
            return parse_date(raw)
        except WindowError:
            return None

    async def _formal(self, number: int | None, rest: str) -> Outcome:
        """`/formal N номер дата`: the appeal was registered formally; the card shows it."""
        reg_number, _, raw_date = rest.rpartition(" ")
        reg_date = self._day(raw_date)
        if reg_date is None or number is None or not reg_number.strip():
            return _say(texts.FORMAL_USAGE)
        return await self._do(
            lambda: self._appeals.record_formal(number, reg_number, reg_date),
            texts.formal_recorded,
        )

    async def _list(self, which: str) -> Outcome:
        if which not in ("open", "overdue", "all"):
            return _say(texts.APPEALS_USAGE)
        views = await self._appeals.for_staff(which)
        now = self._appeals.now()
        lines = [texts.staff_line(v, self._appeals.tz, now) for v in views]
        return _say("\n".join(lines) if lines else texts.NOTHING_FOUND)

    def _period(self, args: str) -> Period | None:
        arg = args.split()[1:2]
        try:
            today = self._appeals.now().astimezone(self._appeals.tz).date()
            return parse_period(arg[0] if arg else None, today)
        except PeriodError:
            return None

    async def _report(self, args: str) -> Outcome:
        period = self._period(args)
        if period is None:
            return _say(texts.REPORT_USAGE)
        text, draw_charts = await appeals_analysis(
            self._appeals, period, self._min_group, self._renderer
        )
        return text_then_charts(text, draw_charts)

    async def _export(self, args: str) -> Outcome:
        """`/export appeals [PERIOD]`: the analysis and the register with personal data."""
        period = self._period(args)
        if period is None:
            return _say(texts.REPORT_USAGE)
        workbook = await appeals_workbook(self._appeals, period)
        return Outcome([Reply("", documents=(workbook,))])

    async def _staff(self, admin: Person, args: str) -> Outcome:
        """`/staff`, `/staff add ID Фамилия И.О., должность`, `/staff remove ID`."""
        verb, _, rest = args.partition(" ")
        if not verb:
            people = await self._appeals.staff()
            return _say(texts.staff_list([(m.person_key, m.signature) for m in people]))
        raw_id, _, signature = rest.strip().partition(" ")
        person = parse_person(raw_id)
        if verb not in ("add", "remove") or person is None:
            return _say(texts.STAFF_USAGE)
        if verb == "remove":
            removed = await self._appeals.remove_staff(person)
            await self._roles.changed(person)
            return _say(texts.staff_removed(person.key, removed))
        name, _, position = (s.strip() for s in signature.partition(","))
        added = await self._appeals.add_staff(person, admin, name or None, position or None)
        await self._roles.changed(person)
        member = await self._appeals.staff_member(person)
        return _say(texts.staff_added(person.key, added, member.signature if member else None))

    # --- buttons ----------------------------------------------------------------------------
    async def action(self, person: Person, pressed: Action, display: str = "") -> Outcome:
        """A `Scope.STAFF` (card, preview, complaint outcome) or `Scope.REGISTER` button."""
        if not await self._roles.is_staff(person):
            return Outcome(toast=texts.NOT_STAFF)
        if pressed.scope is Scope.REGISTER:
            return await self._register_pressed(person, pressed)
        number = pressed.number(0)
        if number is None:
            return Outcome(toast=texts.STALE)
        try:
            if pressed.verb == "take":
                await self._appeals.take(number, person.user_id)
                who = await self._signature(person) or display
                return _say(texts.taken(number, who))
            if pressed.verb == "answer":
                await self._save(person, {"step": "answer", "number": number})
                return _say(texts.ANSWER_PROMPT.format(number=number))
            if pressed.verb == "redirect":
                await self._save(person, {"step": "redirect", "number": number})
                return _say(texts.REDIRECT_PROMPT.format(number=number))
            if pressed.verb == "close":
                closed = await self._appeals.close(number, person.user_id)
                return _say(texts.closed(number, closed.citizen_notified))
            if pressed.verb == "outcome" and pressed.args[1:2] and pressed.args[1] in OUTCOMES:
                await self._appeals.set_outcome(number, pressed.args[1])
                return _say(texts.outcome_recorded(number, pressed.args[1]))
        except AppealError as exc:
            return Outcome(toast=str(exc))
        return await self._preview_pressed(person, pressed.verb, number)

    async def _preview_pressed(self, person: Person, verb: str, number: int) -> Outcome:
        dialog = await self._load(person)
        if dialog is None or dialog.get("number") != number or dialog["step"] != "preview":
            return Outcome(toast=texts.STALE)
        if verb == "abort":
            await self._drop(person)
            return Outcome([Reply(texts.ANSWER_ABORTED, edit=True)])
        if verb == "edit":
            await self._save(person, {"step": "answer", "number": number})
            return Outcome([Reply(texts.ANSWER_EDIT.format(number=number), edit=True)])
        if verb != "send":
            return Outcome(toast=texts.STALE)
        await self._drop(person)
        try:
            view = await self._appeals.answer(
                number, person.user_id, dialog["text"], await self._signature(person)
            )
        except AppealError as exc:
            return Outcome([Reply(str(exc), edit=True)])
        replies = [Reply(texts.answered(number, view.citizen_notified), edit=True)]
        if view.kind == "complaint":
            replies.append(render.staff_outcome_prompt(number))
        return Outcome(replies)

    # --- typed text -------------------------------------------------------------------------
    async def text(
        self, person: Person, text: str | None, reply_to: str | None = None
    ) -> Outcome | None:
        """Text from a staff member: a reply to an appeal's post in the staff chat (by its
        message id), or the next step of their dialog. None if it is neither: ordinary chat
        in the group, or a citizen's message in a private chat."""
        text = (text or "").strip()
        number = (
            await self._appeals.appeal_of_post(person.platform, reply_to)
            if reply_to is not None
            else None
        )
        if number is not None:
            if not await self._roles.is_staff(person):
                return _say(texts.NOT_STAFF)
            if not text:
                return None
            dialog = await self._load(person)
            if dialog is not None and dialog.get("step") == "redirect":
                await self._drop(person)
                return await self._redirect(person, dialog["number"], text)
            return await self._preview(person, number, text)
        dialog = await self._load(person)
        if dialog is None or not text:
            return None
        step = dialog["step"]
        if step == "answer":
            return await self._preview(person, dialog["number"], text)
        if step == "redirect":
            await self._drop(person)
            return await self._redirect(person, dialog["number"], text)
        if step == "register_text":
            return await self._register_text(person, dialog, text)
        if step == "register_date":
            return await self._register_date(person, dialog, text)
        return None

    async def _preview(self, person: Person, number: int, text: str) -> Outcome:
        if len(text) > ANSWER_MAX:
            return _say(texts.answer_too_long(len(text), ANSWER_MAX))
        try:
            view = await self._appeals.get(number)
        except AppealError as exc:
            return _say(str(exc))
        if view.state not in OPEN_STATES:
            return _say(texts.not_open(number, texts.STATE_NAMES[view.state]))
        await self._save(person, {"step": "preview", "number": number, "text": text})
        buttons = [
            [
                Button(texts.BUTTON_SEND, encode(Scope.STAFF, "send", number)),
                Button(texts.BUTTON_EDIT, encode(Scope.STAFF, "edit", number)),
                Button(texts.BUTTON_ABORT, encode(Scope.STAFF, "abort", number)),
            ]
        ]
        signature = await self._signature(person)
        return Outcome([Reply(texts.answer_preview(number, text, signature), buttons)])

    async def _redirect(self, person: Person, number: int, body: str) -> Outcome:
        return await self._do(
            lambda: self._appeals.redirect(number, person.user_id, body),
            lambda v: texts.redirected(number, v.redirected_to or "", v.citizen_notified),
        )

    async def _signature(self, person: Person) -> str | None:
        member = await self._appeals.staff_member(person)
        return member.signature if member is not None else None

    # --- /register: an appeal received by e-mail, post, phone... -------------------------------
    def _choice(self, field: str, options: list[tuple[str, str]]) -> list[list[Button]]:
        return [[Button(label, encode(Scope.REGISTER, field, value))] for value, label in options]

    async def _register_start(self, person: Person) -> Outcome:
        await self._save(person, {"step": "register_channel"})
        buttons = self._choice("channel", [(c, texts.CHANNEL_NAMES[c]) for c in OFFLINE_CHANNELS])
        return Outcome([Reply(texts.REGISTER_CHANNEL, buttons)])

    async def _register_pressed(self, person: Person, pressed: Action) -> Outcome:
        dialog = await self._load(person) or {}
        step, value = dialog.get("step"), pressed.rest
        if pressed.verb == "channel" and step == "register_channel" and value in OFFLINE_CHANNELS:
            dialog.update(step="register_kind", channel=value)
            await self._save(person, dialog)
            buttons = self._choice("kind", [(k, texts.KIND_NAMES[k]) for k in KINDS])
            return Outcome([Reply(texts.REGISTER_KIND, buttons)])
        if pressed.verb == "kind" and step == "register_kind" and value in KINDS:
            dialog.update(step="register_topic", kind=value)
            await self._save(person, dialog)
            topics = [(t.id, t.title) for t in self._appeals.classifier.topics]
            return Outcome([Reply(texts.REGISTER_TOPIC, self._choice("topic", topics))])
        if (
            pressed.verb == "topic"
            and step == "register_topic"
            and value in self._appeals.classifier
        ):
            dialog.update(step="register_text", topic=value)
            await self._save(person, dialog)
            return _say(texts.REGISTER_TEXT)
        return Outcome(toast=texts.STALE)

    async def _register_text(self, person: Person, dialog: dict[str, Any], text: str) -> Outcome:
        if len(text) > TEXT_MAX:
            return _say(texts.text_too_long(len(text), TEXT_MAX))
        dialog.update(step="register_date", text=text)
        await self._save(person, dialog)
        return _say(texts.REGISTER_DATE)

    async def _register_date(self, person: Person, dialog: dict[str, Any], raw: str) -> Outcome:
        received = self._day(raw)
        if received is None:
            return _say(texts.REGISTER_BAD_DATE)
        if received > self._today():
            return _say(texts.REGISTER_FUTURE_DATE)
        await self._drop(person)
        view = await self._appeals.register(
            dialog["channel"], dialog["kind"], dialog["topic"], dialog["text"], received
        )
        due = view.due_at.astimezone(self._appeals.tz).date()
        return _say(texts.registered(view.number, due))

    # --- storage ----------------------------------------------------------------------------
    async def _load(self, person: Person) -> dict[str, Any] | None:
        async with self._sessionmaker() as session:
            row = await session.get(StaffDialog, person.key)
            return dict(json.loads(row.data)) if row is not None else None

    async def _save(self, person: Person, dialog: dict[str, Any]) -> None:
        async with self._sessionmaker() as session, session.begin():
            await session.merge(
                StaffDialog(
                    person_key=person.key,
                    data=json.dumps(dialog, ensure_ascii=False),
                    updated_at=self._appeals.now(),
                )
            )

    async def _drop(self, person: Person) -> None:
        async with self._sessionmaker() as session, session.begin():
            await session.execute(delete(StaffDialog).where(StaffDialog.person_key == person.key))
