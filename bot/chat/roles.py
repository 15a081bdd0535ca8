"""Who may do what: admins come from the ADMINS setting (an account per messenger), staff
from `/staff add`; an admin may also do everything staff do."""

from __future__ import annotations

from collections.abc import Iterable

from bot.appeals.service import AppealService
from bot.core.actions import Scope, encode
from bot.core.ports import Button, CommandMenu, Menu, Outcome, Person, Reply
from bot.texts import help as help_texts

MENU_ROW = 2
"""Buttons per row: Russian labels stay readable on a phone."""


class Roles:
    def __init__(self, admins: Iterable[Person], appeals: AppealService) -> None:
        self.admins = frozenset(admins)
        self._appeals = appeals
        self.menus: dict[str, CommandMenu] = {}
        """Per-person command menus by platform (Telegram's), set when a role changes."""

    def is_admin(self, person: Person) -> bool:
        return person in self.admins

    async def is_staff(self, person: Person) -> bool:
        return person in self.admins or await self._appeals.is_staff(person)

    async def people(self, platform: str) -> list[Person]:
        """Admins and staff on one messenger, for its per-person command menus."""
        found = {p for p in self.admins if p.platform == platform}
        for member in await self._appeals.staff():
            person = Person.from_key(member.person_key)
            if person is not None and person.platform == platform:
                found.add(person)
        return sorted(found, key=lambda p: p.user_id)

    async def role(self, person: Person) -> str:
        """ "admin", "staff" or "citizen": which /help and command menu the person gets."""
        if self.is_admin(person):
            return "admin"
        return "staff" if await self._appeals.is_staff(person) else "citizen"

    async def changed(self, person: Person) -> None:
        """After `/staff add` or `/staff remove`: the person's messenger shows the menu of
        their new role now rather than at the next start."""
        menu = self.menus.get(person.platform)
        if menu is not None:
            await menu.show(person, await self.role(person))


def menu(role: str) -> Menu:
    """The role's commands as buttons whose press runs the command (`Scope.COMMAND`)."""
    buttons = [
        Button(label, encode(Scope.COMMAND, *line.split()))
        for label, line in help_texts.menu_for(role)
    ]
    return Menu(role, [buttons[i : i + MENU_ROW] for i in range(0, len(buttons), MENU_ROW)])


async def help_for(roles: Roles, person: Person) -> Outcome:
    """/help: what this person may do, by role."""
    return Outcome([Reply(help_texts.help_text(await roles.role(person)))])
