"""Admins and staff on VK: commands in a private chat with the community, and the staff
conversation (VK_STAFF_CHAT_ID), each a call to `AdminChat` / `StaffChat`, as in Telegram."""

from __future__ import annotations

import re
from typing import Any

from bot.chat.admin import AdminChat
from bot.chat.staff import StaffChat
from bot.core.actions import Action, Scope
from bot.core.ports import Outcome, Person

MENTION = re.compile(r"^\[(club|public)\d+\|[^\]]*\][,:]?\s*")
"""VK prefixes a message addressed to the community in a conversation with its mention."""


def command_of(text: str) -> tuple[str, str] | None:
    """`/report 3` -> ("report", "3"); None for text that is not a command."""
    text = MENTION.sub("", text.strip())
    if not text.startswith("/"):
        return None
    head, _, args = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    return (name, args.strip()) if name else None


class VkOffice:
    def __init__(
        self, admin: AdminChat, staff: StaffChat, group_id: int, staff_peer: int | None
    ) -> None:
        self._admin = admin
        self._staff = staff
        self._group_id = group_id
        self._staff_peer = staff_peer

    def in_staff_chat(self, peer_id: int) -> bool:
        return self._staff_peer is not None and peer_id == self._staff_peer

    async def message(
        self, person: Person, peer_id: int, message: dict[str, Any]
    ) -> Outcome | None:
        """An admin or staff message; None if it is the citizen's (private chats only)."""
        private = peer_id == person.user_id
        in_staff = self.in_staff_chat(peer_id)
        if not (private or in_staff):
            return None
        text = str(message.get("text") or "")
        command = command_of(text)
        if command is not None:
            name, args = command
            outcome = await self._admin.command(person, name, args) if private else None
            if outcome is None:
                outcome = await self._staff.command(person, name, args, person.key)
            return outcome if outcome is not None or private else Outcome()
        reply = message.get("reply_message") or {}
        from_bot = reply.get("from_id") == -self._group_id
        reply_to = reply.get("conversation_message_id") if in_staff and from_bot else None
        outcome = await self._staff.text(person, MENTION.sub("", text), reply_to)
        return outcome if outcome is not None or private else Outcome()

    async def pressed(self, person: Person, action: Action) -> Outcome | None:
        if action.scope is Scope.ADMIN:
            return await self._admin.action(person, action)
        if action.scope in (Scope.STAFF, Scope.REGISTER):
            return await self._staff.action(person, action, person.key)
        return None
