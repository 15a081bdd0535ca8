"""Sending messenger-neutral replies to a VK user.

`Reply.edit` is sent as a new message rather than `messages.edit`: a question's keyboard may
span two VK messages (see render.py), which one edit could not replace, and a new message keeps
the conversation readable in VK's mobile client, where edited messages stay up the history.
"""

from __future__ import annotations

from bot.core.ports import Reply
from bot.handlers.vk.client import VkClient, new_random_id
from bot.handlers.vk.render import VkMessage, vk_messages


class VkMessenger:
    """VK side of `bot.chat.messengers.Messengers`: also how the VK adapter answers users."""

    platform = "vk"

    def __init__(self, client: VkClient) -> None:
        self._client = client

    async def send(self, user_id: int, replies: list[Reply]) -> None:
        for reply in replies:
            for message in vk_messages(reply):
                await self.send_message(user_id, message)

    async def send_message(self, peer_id: int, message: VkMessage) -> int:
        """messages.send with a `random_id` chosen once, so client retries cannot duplicate."""
        params: dict[str, object] = {
            "peer_id": peer_id,
            "message": message.text,
            "random_id": new_random_id(),
        }
        if message.keyboard is not None:
            params["keyboard"] = message.keyboard
        return int(await self._client.call("messages.send", **params))
