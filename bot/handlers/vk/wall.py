"""Survey invitations for the VK community: a wall post, or the text for the admins to post.

Posting on a community wall needs a user token of a community admin (`VK_USER_TOKEN`, scope
`wall`): community tokens cannot call wall.post.
"""

from __future__ import annotations

import logging
import secrets

from bot.body import UNNAMED_BODY
from bot.handlers.vk.client import VkClient
from bot.texts import logs
from bot.texts import vk as texts
from bot.texts.common import plain_text

log = logging.getLogger("bot.vk")


class VkInvitations:
    def __init__(
        self, group_id: int, screen_name: str, wall: VkClient | None, body: str = UNNAMED_BODY
    ) -> None:
        self._body = body
        self._group_id = group_id
        self._screen_name = screen_name
        self._wall = wall

    def link(self, kind: str) -> str:
        """The deep link that opens the survey in the community chat (`ref` in message_new)."""
        return f"https://vk.me/{self._screen_name}?ref={kind}"

    async def post(self, text: str, kind: str) -> bool:
        """Post `text` (HTML is flattened) with the survey's VK link on the community wall.
        False if there is no wall token or VK refused, so the caller hands the text over."""
        if self._wall is None:
            return False
        try:
            await self._wall.call(
                "wall.post",
                owner_id=-self._group_id,
                from_group=1,
                message=f"{plain_text(text)}\n\n{self.link(kind)}",
                guid=secrets.token_hex(16),  # VK drops a repeated guid: retries post once
            )
        except Exception:
            log.exception(logs.VK_WALL_POST_FAILED)
            return False
        return True

    async def invite(self, title: str, kind: str) -> str:
        """Invite the community to a survey just opened; the admin's note either way (HTML)."""
        link = self.link(kind)
        if await self.post(texts.wall_invitation(title, self._body), kind):
            return texts.vk_posted(link)
        if self._wall is not None:
            return texts.vk_post_failed(link)
        return texts.vk_manual(title, link, self._body)
