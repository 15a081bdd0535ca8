"""Citizens writing to the VK community: the same `CitizenChat` calls as in Telegram.

`message_new` carries typed text, a deep link's `ref` (`vk.me/<group>?ref=csi`), the payload
of VK's own "Начать" button, or a press of a menu button (its label as the text, its action in
the payload: the action runs, never the label as typed text); `message_event` is a press of one
of our callback buttons.
"""

from __future__ import annotations

import json
import logging
import re
from functools import partial
from typing import Any

from bot.appeals.model import Attachment
from bot.chat.words import PrivateChat, StaffRoom, command_of, route_press
from bot.core.ports import Outcome, Person, Reply, send_outcome
from bot.handlers.vk.client import VkClient
from bot.handlers.vk.delivery import VkMessenger
from bot.handlers.vk.render import action_of
from bot.texts import help as help_texts
from bot.texts import logs

log = logging.getLogger("bot.vk")

CHAT_PEER_START = 2_000_000_000
"""Peer ids from here on are group conversations; the bot talks to citizens privately only."""

SNACKBAR_LIMIT = 90


MENTION = re.compile(r"^\[(club|public)\d+\|[^\]]*\][,:]?\s*")
"""VK prefixes a message addressed to the community in a conversation with its mention."""


class VkCitizen:
    """Private chats with the community, and the staff conversation if there is one."""

    def __init__(
        self,
        chat: PrivateChat,
        client: VkClient,
        messenger: VkMessenger,
        staff_room: StaffRoom | None = None,
        staff_peer: int | None = None,
    ) -> None:
        self._chat = chat
        self._client = client
        self._messenger = messenger
        self._staff_room = staff_room
        self._staff_peer = staff_peer

    async def handle(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        obj = event.get("object") or {}
        if kind == "message_new":
            await self._message(obj.get("message") or {})
        elif kind == "message_event":
            await self._pressed(obj)

    async def _message(self, message: dict[str, Any]) -> None:
        peer_id, user_id = int(message.get("peer_id", 0)), int(message.get("from_id", 0))
        # /id in a conversation: its peer id, for VK_STAFF_CHAT_ID and VK_EMPLOYEE_CHAT_ID.
        if peer_id >= CHAT_PEER_START and command_of(
            MENTION.sub("", str(message.get("text") or ""))
        ) == ("id", ""):
            await self._messenger.send(peer_id, [Reply(help_texts.chat_id_text(peer_id))])
            return
        if self._staff_room is not None and peer_id == self._staff_peer and user_id > 0:
            reply = message.get("reply_message") or {}
            from_bot = int(reply.get("from_id", 0)) < 0
            replied = reply.get("conversation_message_id") if from_bot else None
            reply_to = str(replied) if replied is not None else None
            text = MENTION.sub("", str(message.get("text") or ""))
            outcome = await self._staff_room.text(Person("vk", user_id), text, reply_to)
            await send_outcome(partial(self._messenger.send, peer_id), outcome)
            return
        if not 0 < user_id == peer_id < CHAT_PEER_START:
            return
        outcome = await self._route(Person("vk", user_id), message)
        await send_outcome(partial(self._messenger.send, peer_id), outcome)

    async def _route(self, person: Person, message: dict[str, Any]) -> Outcome:
        ref = message.get("ref")
        if ref:
            return await self._chat.start(person, str(ref))
        if _is_start_button(message.get("payload")):
            return await self._chat.start(person)
        pressed = action_of(message.get("payload"))
        if pressed is not None:
            return await self._chat.press(person, pressed)
        text = str(message.get("text") or "")
        return await self._chat.text(person, text, attachments_of(message))

    async def _pressed(self, obj: dict[str, Any]) -> None:
        user_id, peer_id = int(obj.get("user_id", 0)), int(obj.get("peer_id", 0))
        in_staff_room = self._staff_room is not None and peer_id == self._staff_peer
        if not (in_staff_room or 0 < user_id == peer_id < CHAT_PEER_START):
            return
        room = self._staff_room if in_staff_room else None
        outcome = await route_press(
            self._chat, room, Person("vk", user_id), action_of(obj.get("payload"))
        )
        await self._answer_event(obj, outcome.toast)
        await send_outcome(partial(self._messenger.send, peer_id), outcome)

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
            log.exception(logs.VK_PRESS_ANSWER_FAILED, obj.get("event_id"))


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
