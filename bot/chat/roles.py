"""Who may do what: admins come from the ADMINS setting (an account per messenger), staff
from `/staff add`; an admin may also do everything staff do."""

from __future__ import annotations

from collections.abc import Iterable

from bot.appeals.service import AppealService
from bot.core.ports import Person


class Roles:
    def __init__(self, admins: Iterable[Person], appeals: AppealService) -> None:
        self.admins = frozenset(admins)
        self._appeals = appeals

    def is_admin(self, person: Person) -> bool:
        return person in self.admins

    async def is_staff(self, person: Person) -> bool:
        return person in self.admins or await self._appeals.is_staff(person)

    async def role(self, person: Person) -> str:
        """ "admin", "staff" or "citizen": which /help and command menu the person gets."""
        if self.is_admin(person):
            return "admin"
        return "staff" if await self._appeals.is_staff(person) else "citizen"
