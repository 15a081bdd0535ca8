"""Typed words as commands, for messengers without Telegram's command menu (VK, MAX).

A citizen on VK or MAX types «начать», «опрос», «обращение», «статус 12» or «отмена» (or the
Telegram-style /start, /appeal, /status, /cancel); anything else is text for the dialog in
progress. Both adapters call `typed`, so the words mean the same on every messenger.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.appeals.model import Attachment
from bot.chat.citizen import CitizenChat
from bot.core.ports import Outcome, Person

START_WORDS = {"начать", "старт", "меню", "start", "/start"}
CANCEL_WORDS = {"отмена", "/cancel"}
# Plain words as the menu, mapped to the deep-link payloads `CitizenChat.start` understands.
WORD_PAYLOADS = {"опрос": None, "обращение": "appeal", "/appeal": "appeal"}
STATUS_WORDS = {"статус", "/status"}


async def typed(
    chat: CitizenChat, person: Person, text: str, attachments: Sequence[Attachment] = ()
) -> Outcome:
    word = text.strip().lower()
    command, _, argument = word.partition(" ")
    if command in START_WORDS:
        return await chat.start(person, argument.strip() or None)
    if word in CANCEL_WORDS:
        return await chat.cancel(person)
    if word in WORD_PAYLOADS:
        return await chat.start(person, WORD_PAYLOADS[word])
    if command in STATUS_WORDS:
        return await chat.status(person, argument.strip() or None)
    return await chat.text(person, text if text.strip() else None, attachments)
