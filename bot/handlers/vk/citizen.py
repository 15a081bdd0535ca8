"""Citizens writing to the VK community: the same `CitizenChat` calls as in Telegram.

`message_new` carries typed text, a deep link's `ref` (`vk.me/<group>?ref=csi`) or the payload
of VK's own "Начать" button; `message_event` is a press of one of our callback buttons.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from bot.appeals.model import Attachment
from bot.chat.citizen import CitizenChat
from bot.core.actions import parse
from bot.core.ports import Outcome, Person
from bot.handlers.vk.client import VkClient
from bot.handlers.vk.delivery import VkMessenger
from bot.handlers.vk.office import VkOffice
from bot.handlers.vk.render import action_of
from bot.texts import survey as survey_texts

log = logging.getLogger("bot.vk")

CHAT_PEER_START = 2_000_000_000
"""Peer ids from here on are group conversations; the bot talks to citizens privately only."""

START_WORDS = {"начать", "старт", "меню", "start", "/start"}
CANCEL_WORDS = {"отмена", "/cancel"}
# Plain words as the menu, mapped to the deep-link payloads `CitizenChat.start` understands.
WORD_PAYLOADS = {"опрос": None, "обращение": "appeal", "/appeal": "appeal"}
STATUS_WORDS = {"статус", "/status"}
SNACKBAR_LIMIT = 90


class VkCitizen:
    """Every VK update: admins' and staff's go to `VkOffice` first, the rest is citizens'."""

    def __init__(
        self, chat: CitizenChat, client: VkClient, messenger: VkMessenger, office: VkOffice
    ) -> None:
        self._chat = chat
        self._client = client
        self._messenger = messenger
        self._office = office

    async def handle(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        obj = event.get("object") or {}
        if kind == "message_new":
            await self._message(obj.get("message") or {})
        elif kind == "message_event":
            await self._pressed(obj)

    async def _message(self, message: dict[str, Any]) -> None:
        peer_id, user_id = int(message.get("peer_id", 0)), int(message.get("from_id", 0))
        if user_id <= 0:
            return
        person = Person("vk", user_id)
        outcome = await self._office.message(person, peer_id, message)
        if outcome is None:
            if not 0 < user_id == peer_id < CHAT_PEER_START:
                return
            outcome = await self._route(person, message)
        await self._messenger.send(peer_id, outcome.replies)

    async def _route(self, person: Person, message: dict[str, Any]) -> Outcome:
        ref = message.get("ref")
        if ref:
            return await self._chat.start(person, str(ref))
        if _is_start_button(message.get("payload")):
            return await self._chat.start(person)
        text = str(message.get("text") or "")
        word = text.strip().lower()
        command, _, argument = word.partition(" ")
        if command in START_WORDS:
            return await self._chat.start(person, argument.strip() or None)
        if word in CANCEL_WORDS:
            return await self._chat.cancel(person)
        if word in WORD_PAYLOADS:
            return await self._chat.start(person, WORD_PAYLOADS[word])
        if command in STATUS_WORDS:
            return await self._chat.status(person, argument.strip() or None)
        attachments = attachments_of(message)
        return await self._chat.text(person, text if text.strip() else None, attachments)

    async def _pressed(self, obj: dict[str, Any]) -> None:
        user_id, peer_id = int(obj.get("user_id", 0)), int(obj.get("peer_id", 0))
        private = 0 < user_id == peer_id < CHAT_PEER_START
        if not (private or self._office.in_staff_chat(peer_id)):
            return
        person = Person("vk", user_id)
        action = action_of(obj.get("payload"))
        pressed = parse(action)
        outcome = await self._office.pressed(person, pressed) if pressed is not None else None
        if outcome is None:
            outcome = (
                await self._chat.action(person, action)
                if action is not None and private
                else Outcome(toast=survey_texts.STALE_BUTTON)
            )
        await self._answer_event(obj, outcome.toast)
        await self._messenger.send(peer_id, outcome.replies)

    async def _answer_event(self, obj: dict[str, Any], toast: str | None) -> None:
        """Stops the button's spinner; a toast shows as VK's snackbar."""
        params: dict[str, Any] = {
            "event_id": obj.get("event_id"),
            "user_id": obj.get("user_id"),
            "peer_id": obj.get("peer_id"),
        }
        if toast:
            params["event_data"] = json.dumps(
                {"type": "show_snackbar", "text": toast[:SNACKBAR_LIMIT]}, ensure_ascii=False
            )
        try:
            await self._client.call("messages.sendMessageEventAnswer", **params)
        except Exception:
            # An expired event (the user waited too long) must not cost them the reply itself.
            log.exception("VK: could not answer the button press %s", obj.get("event_id"))


def attachments_of(message: dict[str, Any]) -> list[Attachment]:
    """Photos and documents as VK's own ids (`photo<owner>_<id>_<key>`), like Telegram file ids:
    referenced, never downloaded."""
    found: list[Attachment] = []
    for item in message.get("attachments") or []:
        kind = item.get("type")
        body = item.get(kind) or {}
        if kind not in {"photo", "doc"} or "id" not in body:
            continue
        key = f"_{body['access_key']}" if body.get("access_key") else ""
        file_id = f"{kind}{body.get('owner_id', 0)}_{body['id']}{key}"
        found.append(
            Attachment("vk", "photo" if kind == "photo" else "document", file_id, body.get("size"))
        )
    return found


def _is_start_button(raw: object) -> bool:
    """VK's own "Начать" button sends `{"command":"start"}`."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return False
    return isinstance(raw, dict) and raw.get("command") == "start"
