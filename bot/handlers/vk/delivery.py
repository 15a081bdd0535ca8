"""Sending messenger-neutral replies to VK: text with keyboards, pictures uploaded as message
photos, documents as message documents.

`Reply.edit` is sent as a new message rather than `messages.edit`: a question's keyboard may
span two VK messages (see render.py), which one edit could not replace, and a new message keeps
the conversation readable in VK's mobile client, where edited messages stay up the history.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from vk_api.exceptions import ApiError

from bot.core.ports import Delivery, Document, Picture, Reply
from bot.handlers.vk.client import VkClient, new_random_id
from bot.handlers.vk.render import VkMessage, vk_messages
from bot.texts import logs

log = logging.getLogger("bot.vk")

ALBUM_LIMIT = 10
"""VK takes up to 10 attachments per message."""
BLOCKED_ERRORS = {7, 900, 901, 902}
"""Permission denied, the user blacklisted the community, has not allowed its messages, or
privacy settings forbid them: the person is unreachable, not the bot broken."""


class VkMessenger:
    """VK as a `bot.core.ports.Messenger`: also how the VK adapter answers users and chats."""

    platform = "vk"

    def __init__(self, client: VkClient, screen_name: str) -> None:
        self._client = client
        self.screen_name = screen_name

    async def send(self, user_id: int, replies: list[Reply]) -> None:
        """`user_id` is any peer id: a person, or a community conversation (2000000000+)."""
        for reply in replies:
            for message in vk_messages(reply) if reply.text or reply.buttons else []:
                await self.send_message(user_id, message)
            await self._pictures(user_id, reply.pictures)
            for document in reply.documents:
                await self._document(user_id, document)

    async def deliver(self, user_id: int, replies: list[Reply]) -> Delivery:
        try:
            await self.send(user_id, replies)
        except ApiError as exc:
            if exc.code in BLOCKED_ERRORS:
                return Delivery.BLOCKED
            log.warning(logs.VK_MESSAGE_REFUSED, user_id, exc)
            return Delivery.FAILED
        except Exception as exc:
            log.warning(logs.VK_MESSAGE_FAILED, user_id, exc)
            return Delivery.FAILED
        return Delivery.SENT

    async def link(self, payload: str) -> str | None:
        return f"https://vk.me/{self.screen_name}?ref={payload}"

    async def send_message(self, peer_id: int, message: VkMessage, attachment: str = "") -> int:
        """messages.send with a `random_id` chosen once, so client retries cannot duplicate."""
        params: dict[str, object] = {
            "peer_id": peer_id,
            "message": message.text,
            "random_id": new_random_id(),
        }
        if message.keyboard is not None:
            params["keyboard"] = message.keyboard
        if attachment:
            params["attachment"] = attachment
        return int(await self._client.call("messages.send", **params))

    async def _pictures(self, peer_id: int, pictures: Sequence[Picture]) -> None:
        for start in range(0, len(pictures), ALBUM_LIMIT):
            ids = [await self._photo(peer_id, p) for p in pictures[start : start + ALBUM_LIMIT]]
            await self.send_message(peer_id, VkMessage(""), ",".join(ids))

    async def _photo(self, peer_id: int, picture: Picture) -> str:
        server = await self._client.call("photos.getMessagesUploadServer", peer_id=peer_id)
        uploaded = await self._client.upload(
            server["upload_url"], "photo", f"{picture.name}.png", picture.png
        )
        saved = await self._client.call(
            "photos.saveMessagesPhoto",
            server=uploaded["server"],
            photo=uploaded["photo"],
            hash=uploaded["hash"],
        )
        return _attachment_id("photo", saved[0])

    async def _document(self, peer_id: int, document: Document) -> None:
        server = await self._client.call(
            "docs.getMessagesUploadServer", type="doc", peer_id=peer_id
        )
        uploaded = await self._client.upload(
            server["upload_url"], "file", document.filename, document.data
        )
        saved = await self._client.call("docs.save", file=uploaded["file"], title=document.filename)
        await self.send_message(
            peer_id, VkMessage(document.caption), _attachment_id("doc", saved["doc"])
        )


def _attachment_id(kind: str, item: dict[str, object]) -> str:
    key = f"_{item['access_key']}" if item.get("access_key") else ""
    return f"{kind}{item['owner_id']}_{item['id']}{key}"
