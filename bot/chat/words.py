"""A private chat on a messenger without Telegram's command menu (VK, MAX): typed words and
slash commands as calls to the neutral conversations.

A citizen types «начать», «опрос», «обращение», «статус 12» or «отмена» (or the Telegram-style
/start, /appeal, /status, /cancel); an admin types the same commands as in Telegram
(/open_survey csi, /report 3, /export 3...); anything else is text for the dialog in
progress. Presses go to the admins' dialog for its buttons, to the citizen's for the rest.
Every such adapter calls `PrivateChat`, so words and buttons mean the same on every messenger.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.chat.admin import AdminChat
from bot.chat.citizen import CitizenChat
from bot.core.actions import Scope, parse
from bot.core.ports import Attachment, Outcome, Person

START_WORDS = {"начать", "старт", "меню", "start", "/start"}
CANCEL_WORDS = {"отмена", "/cancel"}
# Plain words as the menu, mapped to the deep-link payloads `CitizenChat.start` understands.
WORD_PAYLOADS = {"опрос": None, "обращение": "appeal", "/appeal": "appeal"}
STATUS_WORDS = {"статус", "/status"}
PRIVACY_WORDS = {"/privacy", "согласие", "персональные данные"}
FORGET_WORDS = {"/forget", "отозвать согласие"}


class PrivateChat:
    def __init__(self, citizen: CitizenChat, admin: AdminChat | None = None) -> None:
        self.citizen = citizen
        self._admin = admin

    async def start(self, person: Person, payload: str | None = None) -> Outcome:
        """The messenger's own start button or a deep link with its payload."""
        return await self.citizen.start(person, payload)

    async def text(
        self, person: Person, text: str, attachments: Sequence[Attachment] = ()
    ) -> Outcome:
        word = text.strip().lower()
        command, _, argument = word.partition(" ")
        if self._admin is not None and command.startswith("/"):
            # Arguments keep their case (a date, a questionnaire's name is matched anyway).
            raw_argument = text.strip().partition(" ")[2]
            outcome = await self._admin.command(person, command[1:], raw_argument)
            if outcome is not None:
                return outcome
        if command in START_WORDS:
            return await self.citizen.start(person, argument.strip() or None)
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
        return await self.citizen.text(person, text if text.strip() else None, attachments)

    async def press(self, person: Person, data: str) -> Outcome:
        pressed = parse(data)
        if self._admin is not None and pressed is not None and pressed.scope is Scope.ADMIN:
            return await self._admin.action(person, pressed)
        return await self.citizen.action(person, data)
