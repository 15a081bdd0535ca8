"""A private chat on a messenger without Telegram's command menu (VK, MAX): typed words and
slash commands as calls to the neutral conversations.

A citizen types «начать», «опрос», «обращение», «статус 12» or «отмена» (or the Telegram-style
/start, /appeal, /status, /cancel, /remind_me, /stop_reminders); an admin types the same
commands as in Telegram (/open_survey csi, /report 3, /export 3...); anything else is text for
the dialog in progress. Presses go to the admins' dialog for its buttons, to the citizen's for
the rest.
Every such adapter calls `PrivateChat`, so words and buttons mean the same on every messenger.
Staff commands (/answer 3 ..., /register) and the steps of a staff dialog work there too, and
`StaffRoom` is the staff group chat of such a messenger (VK_STAFF_CHAT_ID, MAX_STAFF_CHAT_ID).

Instead of Telegram's command menu, the replies to /start and /help carry the person's role
menu (`roles.menu`): buttons whose press (`Scope.COMMAND`) runs the command as if typed. Only a
press carries that action, so typed text is never taken for a menu button.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.chat.admin import AdminChat
from bot.chat.citizen import CitizenChat
from bot.chat.reminders import ReminderChat
from bot.chat.roles import Roles, help_for, menu
from bot.chat.staff import StaffChat
from bot.core.actions import Scope, parse
from bot.core.ports import Attachment, Outcome, Person, Reply
from bot.texts import survey as survey_texts
from bot.texts.appeals import STALE
from bot.texts.help import MENU_NOTE

START_WORDS = {"начать", "старт", "меню", "start", "/start"}
CANCEL_WORDS = {"отмена", "/cancel"}
# Plain words as the menu, mapped to the deep-link payloads `CitizenChat.start` understands.
WORD_PAYLOADS = {"опрос": None, "обращение": "appeal", "/appeal": "appeal"}
STATUS_WORDS = {"статус", "/status"}
PRIVACY_WORDS = {"/privacy", "согласие", "персональные данные"}
FORGET_WORDS = {"/forget", "отозвать согласие"}
HELP_WORDS = {"помощь", "справка", "/help"}
REMIND_WORDS = {"/remind_me"}
STOP_REMINDING_WORDS = {"/stop_reminders"}


def command_of(text: str) -> tuple[str, str] | None:
    """`/report 3` -> ("report", "3"); None for text that is not a slash command. Arguments
    keep their case (a date; a questionnaire's name is matched anyway)."""
    text = text.strip()
    if not text.startswith("/"):
        return None
    head, _, args = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    return (name, args.strip()) if name else None


class PrivateChat:
    def __init__(
        self,
        citizen: CitizenChat,
        admin: AdminChat | None = None,
        staff: StaffChat | None = None,
        roles: Roles | None = None,
        reminders: ReminderChat | None = None,
    ) -> None:
        self.citizen = citizen
        self._admin = admin
        self._staff = staff
        self._roles = roles
        self._reminders = reminders

    async def start(self, person: Person, payload: str | None = None) -> Outcome:
        """The messenger's own start button or a deep link with its payload; a plain start
        brings the role menu (a deep link leads straight into what it opens)."""
        outcome = await self.citizen.start(person, payload)
        return outcome if payload else await self._with_menu(person, outcome)

    async def _with_menu(self, person: Person, outcome: Outcome) -> Outcome:
        """The person's role menu on the first reply, which VK and MAX show their own way."""
        if self._roles is None:
            return outcome
        first, *rest = outcome.replies or [Reply(MENU_NOTE)]
        shown = replace(first, menu=menu(await self._roles.role(person)))
        return replace(outcome, replies=[shown, *rest])

    async def text(
        self, person: Person, text: str, attachments: Sequence[Attachment] = ()
    ) -> Outcome:
        word = text.strip().lower()
        command, _, argument = word.partition(" ")
        slash = command_of(text)
        if self._roles is not None and (word in HELP_WORDS or (slash and slash[0] == "help")):
            return await self._with_menu(person, await help_for(self._roles, person))
        if slash is not None:
            name, raw_argument = slash
            outcome = None
            if self._admin is not None:
                outcome = await self._admin.command(person, name, raw_argument)
            if outcome is None and self._staff is not None:
                outcome = await self._staff.command(person, name, raw_argument, person.key)
            if outcome is not None:
                return outcome
        elif self._staff is not None and not attachments:
            outcome = await self._staff.text(person, text)
            if outcome is not None:
                return outcome
        if command in START_WORDS:
            return await self.start(person, argument.strip() or None)
        if word in CANCEL_WORDS:
            return await self.citizen.cancel(person)
        if word in PRIVACY_WORDS:
            return await self.citizen.privacy()
        if word in FORGET_WORDS:
            return await self.citizen.forget(person)
        if word in WORD_PAYLOADS:
            return await self.citizen.start(person, WORD_PAYLOADS[word])
        if command in STATUS_WORDS:
            return await self.citizen.status(person, argument.strip() or None)
        if self._reminders is not None and word in REMIND_WORDS:
            return await self._reminders.subscribe(person)
        if self._reminders is not None and word in STOP_REMINDING_WORDS:
            return await self._reminders.unsubscribe(person)
        return await self.citizen.text(person, text if text.strip() else None, attachments)

    async def press(self, person: Person, data: str) -> Outcome:
        pressed = parse(data)
        if pressed is not None and pressed.scope is Scope.COMMAND:
            return await self.text(person, "/" + " ".join((pressed.verb, *pressed.args)))
        if self._admin is not None and pressed is not None and pressed.scope is Scope.ADMIN:
            return await self._admin.action(person, pressed)
        if self._staff is not None and pressed is not None and pressed.scope in STAFF_SCOPES:
            return await self._staff.action(person, pressed, person.key)
        return await self.citizen.action(person, data)


STAFF_SCOPES = (Scope.STAFF, Scope.REGISTER)


async def route_press(
    chat: PrivateChat, room: StaffRoom | None, person: Person, data: str | None
) -> Outcome:
    """A button press on VK or MAX: in the staff group chat when `room` is given, else in the
    person's private chat; a press that carries no payload is a stale button."""
    if not data:
        return Outcome(toast=survey_texts.STALE_BUTTON)
    if room is not None:
        return await room.press(person, data)
    return await chat.press(person, data)


class StaffRoom:
    """A staff group chat: staff commands, buttons of appeal cards and answer previews, and
    replies to an appeal's post (by the message id the messenger gives it). Everything else is
    the colleagues' own chat and gets no answer."""

    def __init__(self, staff: StaffChat) -> None:
        self._staff = staff

    async def text(
        self, person: Person, text: str, reply_to: str | None, display: str | None = None
    ) -> Outcome:
        """`display`: the name the messenger shows for the person (Telegram gives one), for
        the staff chat's notes; their account otherwise."""
        slash = command_of(text)
        if slash is not None:
            name, argument = slash
            outcome = await self._staff.command(person, name, argument, display or person.key)
        else:
            outcome = await self._staff.text(person, text, reply_to)
        return outcome if outcome is not None else Outcome()

    async def press(self, person: Person, data: str, display: str | None = None) -> Outcome:
        pressed = parse(data)
        if pressed is None or pressed.scope not in STAFF_SCOPES:
            return Outcome(toast=STALE)
        return await self._staff.action(person, pressed, display or person.key)
