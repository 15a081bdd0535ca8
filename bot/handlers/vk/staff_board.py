"""The VK staff conversation (VK_STAFF_CHAT_ID) as the appeals' `StaffBoard`, and the VK work
conversation (VK_EMPLOYEE_CHAT_ID) as the employee check."""

from __future__ import annotations

import logging

from bot.core.ports import Attachment, Reply
from bot.handlers.vk.client import VkClient, new_random_id
from bot.handlers.vk.delivery import ALBUM_LIMIT, VkMessenger
from bot.handlers.vk.render import vk_messages
from bot.texts import logs

log = logging.getLogger("bot.vk")


class VkStaffBoard:
    platform = "vk"

    def __init__(self, client: VkClient, messenger: VkMessenger, peer_id: int) -> None:
        self._client = client
        self._messenger = messenger
        self.peer_id = peer_id

    async def post(self, reply: Reply, attachments: list[Attachment] | None = None) -> str | None:
        """The card with the citizen's VK photos and documents attached; its number in the
        conversation (`conversation_message_id`), which a reply to it carries. Other
        messengers' file ids mean nothing to VK; the card counts them."""
        *head, card = vk_messages(reply)
        for message in head:
            await self._messenger.send_message(self.peer_id, message)
        files = [a.file_id for a in attachments or [] if a.platform == "vk"][:ALBUM_LIMIT]
        params: dict[str, object] = {
            "peer_ids": self.peer_id,
            "message": card.text,
            "random_id": new_random_id(),
        }
        if card.keyboard is not None:
            params["keyboard"] = card.keyboard
        if files:
            params["attachment"] = ",".join(files)
        sent = await self._client.call("messages.send", **params)
        return str(sent[0]["conversation_message_id"]) if sent else None


class VkMembership:
    """`MembershipCheck` for VK: is the person in the community's work conversation. The
    community must be in the conversation with access to its members."""

    platform = "vk"

    def __init__(self, client: VkClient, peer_id: int) -> None:
        self._client = client
        self._peer_id = peer_id

    async def is_member(self, user_id: int) -> bool:
        try:
            found = await self._client.call(
                "messages.getConversationMembers", peer_id=self._peer_id
            )
        except Exception as exc:
            log.warning(logs.VK_MEMBERS_FAILED, self._peer_id, exc)
            return False
        return any(item.get("member_id") == user_id for item in found.get("items", []))
