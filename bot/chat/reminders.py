"""A person agrees to (or declines) private reminders about employee surveys; shared by every
messenger adapter."""

from __future__ import annotations

from bot.core.ports import Outcome, Person, Reply
from bot.surveys.reminders import ReminderList
from bot.texts import schedule as texts


class ReminderChat:
    def __init__(self, subscribers: ReminderList) -> None:
        self._subscribers = subscribers

    async def subscribe(self, person: Person) -> Outcome:
        await self._subscribers.subscribe(person)
        return Outcome([Reply(texts.SUBSCRIBED)])

    async def unsubscribe(self, person: Person) -> Outcome:
        removed = await self._subscribers.unsubscribe(person)
        return Outcome([Reply(texts.UNSUBSCRIBED if removed else texts.NOT_SUBSCRIBED)])
