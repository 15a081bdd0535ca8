"""MAX updates as calls to the neutral conversations (`PrivateChat`: citizens and admins in a
private chat with the bot), the same calls as from Telegram and VK.

`bot_started` is the «Начать» button or a deep link (`max.ru/<bot>?start=csi`, its payload);
`message_created` in a dialog is typed text, a picture or a file; `message_callback` is a press
of one of our callback buttons, acknowledged through `POST /answers`, which also replaces the
pressed message when the reply is an edit and shows a toast as MAX's notification.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import partial
from typing import Any

from bot.chat.words import PrivateChat, StaffRoom, route_press
from bot.core.ports import Attachment, Outcome, Person, send_outcome
from bot.handlers.max.client import MaxApiError
from bot.handlers.max.delivery import MaxMessenger
from bot.handlers.max.render import max_messages
from bot.texts import logs

log = logging.getLogger("bot.max")

DIALOG = "dialog"


def user_of(update: dict[str, Any]) -> dict[str, Any]:
    """Who caused the update: the sender, the presser, or the person who started the bot."""
    kind = update.get("update_type")
    if kind == "message_created":
        return (update.get("message") or {}).get("sender") or {}
    if kind == "message_callback":
        return (update.get("callback") or {}).get("user") or {}
    return update.get("user") or {}


def replied_mid(update: dict[str, Any]) -> str | None:
    """The `mid` of the message this one replies to (`message.link` of type `reply`); a
    forwarded message is not a reply."""
    link = (update.get("message") or {}).get("link") or {}
    if link.get("type") != "reply":
        return None
    mid = (link.get("message") or {}).get("mid")
    return str(mid) if mid else None


def chat_type_of(update: dict[str, Any]) -> str | None:
    message = update.get("message") or {}
    return (message.get("recipient") or {}).get("chat_type")


class MaxUpdates:
    """`handle(update)` for the long poll; group chats are not conversations with the bot."""

    def __init__(
        self,
        chat: PrivateChat,
        messenger: MaxMessenger,
        staff_room: StaffRoom | None = None,
        staff_chat_id: int | None = None,
    ) -> None:
        self._chat = chat
        self._messenger = messenger
        self._staff_room = staff_room if staff_chat_id is not None else None
        self._staff_chat_id = staff_chat_id

    async def handle(self, update: dict[str, Any]) -> None:
        kind = update.get("update_type")
        user = user_of(update)
        user_id = int(user.get("user_id") or 0)
        if user_id <= 0 or user.get("is_bot"):
            return
        person = Person("max", user_id)
        if kind == "bot_started":
            payload = update.get("payload")
            outcome = await self._chat.start(person, str(payload) if payload else None)
            await send_outcome(partial(self._messenger.send, user_id), outcome)
        elif kind == "message_created" and chat_type_of(update) == DIALOG:
            body = (update.get("message") or {}).get("body") or {}
            outcome = await self._chat.text(
                person, str(body.get("text") or ""), attachments_of(body)
            )
            await send_outcome(partial(self._messenger.send, user_id), outcome)
        elif kind == "message_created" and self._in_staff_room(update):
            assert self._staff_room is not None and self._staff_chat_id is not None
            body = (update.get("message") or {}).get("body") or {}
            outcome = await self._staff_room.text(
                person, str(body.get("text") or ""), replied_mid(update)
            )
            await send_outcome(partial(self._messenger.send_to_chat, self._staff_chat_id), outcome)
        elif kind == "message_callback" and (
            chat_type_of(update) == DIALOG or self._in_staff_room(update)
        ):
            callback = update.get("callback") or {}
            room = self._staff_room if chat_type_of(update) != DIALOG else None
            outcome = await route_press(
                self._chat, room, person, str(callback.get("payload") or "")
            )
            recipient = (
                {"chat_id": self._staff_chat_id}
                if room is not None and self._staff_chat_id is not None
                else {"user_id": user_id}
            )
            await answer_press(
                self._messenger, recipient, str(callback.get("callback_id")), outcome
            )

    def _in_staff_room(self, update: dict[str, Any]) -> bool:
        """A message or press in MAX_STAFF_CHAT_ID."""
        message = update.get("message") or {}
        chat_id = (message.get("recipient") or {}).get("chat_id")
        return (
            self._staff_room is not None
            and chat_id is not None
            and (int(chat_id) == self._staff_chat_id)
        )


async def answer_press(
    messenger: MaxMessenger, recipient: dict[str, int], callback_id: str, outcome: Outcome
) -> None:
    """Acknowledge a press with POST /answers: the first reply marked `edit` replaces the
    pressed message, the toast shows as a notification; the other replies follow as messages."""
    edit = next((r for r in outcome.replies if r.edit and len(max_messages(r)) == 1), None)
    answer: dict[str, Any] = {}
    if edit is not None:
        answer["message"] = max_messages(edit)[0].body()
    if outcome.toast:
        answer["notification"] = outcome.toast
    edited = False
    if answer:
        try:
            await messenger.client.call(
                "POST",
                "/answers",
                params={"callback_id": callback_id},
                body=answer,
                repeatable=True,
            )
            edited = edit is not None
        except MaxApiError as exc:
            # An expired press (the person waited too long) must not cost them the reply.
            log.warning(logs.MAX_PRESS_ANSWER_FAILED, callback_id, exc)
    rest = [r for r in outcome.replies if not (edited and r is edit)]
    await send_outcome(partial(messenger.send_replies, recipient), replace(outcome, replies=rest))


def attachments_of(body: dict[str, Any]) -> list[Attachment]:
    """Pictures and files by their MAX token, which lets the bot send the same attachment on
    (to the staff chat) without downloading it."""
    found: list[Attachment] = []
    for item in body.get("attachments") or []:
        kind = item.get("type")
        payload = item.get("payload") or {}
        token = payload.get("token")
        if kind not in {"image", "file"} or not token:
            continue
        found.append(
            Attachment(
                "max", "photo" if kind == "image" else "document", str(token), item.get("size")
            )
        )
    return found
