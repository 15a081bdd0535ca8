"""Messages the bot starts itself, fanned out to every messenger the body runs.

Survey invitations go to every outlet of their audience (Telegram channel or work chat, MAX
channel...) with that messenger's own deep link under the post, and to every community inviter
(the VK wall); reminders reach each person on their own messenger; reports reach every admin on
theirs. The composition root registers each messenger, outlet and inviter once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Protocol

from bot.chat.messengers import Messengers
from bot.core.ports import Button, Delivery, Outlet, Person, Picture, Reply, split_text
from bot.texts import logs

log = logging.getLogger(__name__)


class CommunityInviter(Protocol):
    """A place that invites citizens itself and tells the admins how it went (the VK wall:
    posted, failed, or the text to post by hand)."""

    async def invite(self, title: str, kind: str) -> str:
        """Invite, and return the note for the admins (HTML)."""
        ...


def admin_replies(text: str, pictures: Sequence[Picture] = ()) -> list[Reply]:
    """A report as messages: the text (split when long), the pictures after its last part."""
    parts = split_text(text) or [""]
    *head, last = parts
    return [*(Reply(p) for p in head), Reply(last, pictures=tuple(pictures))]


class Fanout:
    """`bot.core.ports.Notifications` over every registered messenger and outlet."""

    def __init__(self, messengers: Messengers, admins: Iterable[Person]) -> None:
        self._messengers = messengers
        self.admins = sorted(admins, key=lambda p: (p.platform, p.user_id))
        self._outlets: list[Outlet] = []
        self.inviters: list[CommunityInviter] = []

    def add_outlet(self, outlet: Outlet) -> None:
        self._outlets.append(outlet)

    def add_inviter(self, inviter: CommunityInviter) -> None:
        self.inviters.append(inviter)

    async def link(self, kind: str) -> str | None:
        for messenger in self._messengers.all():
            link = await messenger.link(kind)
            if link is not None:
                return link
        return None

    async def post(self, audience: str, text: str, button: str, kind: str) -> bool:
        posted = False
        for outlet in self._outlets:
            if outlet.audience != audience:
                continue
            messenger = self._messengers.get(outlet.platform)
            link = await messenger.link(kind) if messenger is not None else None
            try:
                posted |= await outlet.post(text, Button(button, url=link) if link else None)
            except Exception:
                log.exception(logs.OUTLET_POST_FAILED, outlet.platform, audience)
        return posted

    async def invite_communities(self, title: str, kind: str) -> list[str]:
        """The notes of every community inviter, for the admin who opened the survey."""
        return [await inviter.invite(title, kind) for inviter in self.inviters]

    def reachable_admins(self) -> list[Person]:
        """The admins on a messenger this process runs: whom `to_admins` writes to."""
        return [a for a in self.admins if self._messengers.get(a.platform) is not None]

    async def to_admins(self, text: str, pictures: Sequence[Picture] = ()) -> None:
        """Raises when no admin could be reached, so the caller's claim is released and the
        message retried later instead of being lost."""
        replies = admin_replies(text, pictures)
        results = [await self._deliver(a, replies) for a in self.reachable_admins()]
        if results and Delivery.SENT not in results:
            raise ConnectionError("no admin could be reached")

    async def to_admin(self, admin: Person, text: str, pictures: Sequence[Picture] = ()) -> None:
        """One admin's copy, as `to_admins` sends it; raises unless its text arrived, so the
        outbox retries this admin alone."""
        delivery = await self._deliver(admin, admin_replies(text, pictures))
        if delivery is not Delivery.SENT:
            raise ConnectionError(f"admin not reached: {delivery.value}")

    async def _deliver(self, admin: Person, replies: list[Reply]) -> Delivery:
        messenger = self._messengers.get(admin.platform)
        if messenger is None:
            raise LookupError(f"no messenger for platform {admin.platform!r}")
        return await messenger.deliver(admin.user_id, replies)

    async def to_people(
        self, people: list[Person], text: str, button: str, kind: str
    ) -> list[Person]:
        blocked = []
        for person in people:
            messenger = self._messengers.get(person.platform)
            if messenger is None:
                continue
            link = await messenger.link(kind)
            buttons = [[Button(button, url=link)]] if link else []
            if await messenger.deliver(person.user_id, [Reply(text, buttons)]) is Delivery.BLOCKED:
                blocked.append(person)
        return blocked
