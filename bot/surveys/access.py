"""Who may take an internal (employee) survey, decided without recording who took it.

Two ways in, either is enough: membership of the body's work chat, asked of the messenger
when the person starts (`MembershipCheck`, implemented by each adapter: Telegram uses
getChatMember), or a one-time invitation code from `/invite_codes`. Only keyed hashes of
*unused* codes are stored; a code's row is deleted in the same transaction that creates the
person's draft, and nothing notes who used it, so neither way leaves a link between a person
and their answers.
"""

from __future__ import annotations

import re
import secrets

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.ports import MembershipCheck, Person, Reply
from bot.db.models import EmployeeInvite
from bot.surveys.anonymity import Anonymizer
from bot.texts import employee as texts

INVITE_PREFIX = "emp_"
"""Deep-link payload of an invitation: `/start emp_<code>`."""
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
"""No 0/o, 1/l/i: a code may be read out or typed from paper."""
CODE_LENGTH = 10
CODE_SHAPE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
MAX_CODES_PER_REQUEST = 100


class EmployeeAccess:
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], anonymizer: Anonymizer
    ) -> None:
        self._sessionmaker = sessionmaker
        self._anon = anonymizer
        self._checks: dict[str, MembershipCheck] = {}

    def register(self, check: MembershipCheck) -> None:
        """Adapters register their membership check when the work chat is configured."""
        self._checks[check.platform] = check

    async def create_codes(self, count: int) -> list[str]:
        codes = [
            "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)) for _ in range(count)
        ]
        async with self._sessionmaker() as session, session.begin():
            await session.execute(
                insert(EmployeeInvite), [{"code_hash": self._anon.invite_hash(c)} for c in codes]
            )
        return codes

    async def unused_codes(self) -> int:
        async with self._sessionmaker() as session:
            return int(await session.scalar(select(func.count()).select_from(EmployeeInvite)) or 0)

    async def admit(self, session: AsyncSession, person: Person, code: str | None) -> Reply | None:
        """None when the person may start; otherwise the polite refusal to show. A member of
        the work chat keeps their code for later; a code is spent only when it lets someone in.
        """
        check = self._checks.get(person.platform)
        if check is not None and await check.is_member(person.user_id):
            return None
        if code is None:
            return Reply(texts.NOT_EMPLOYEE)
        if CODE_SHAPE.fullmatch(code) and await self._redeem(session, code):
            return None
        return Reply(texts.INVITE_INVALID)

    async def _redeem(self, session: AsyncSession, code: str) -> bool:
        """Delete the code's row; exactly one of two people racing with one code wins."""
        result = await session.execute(
            delete(EmployeeInvite).where(EmployeeInvite.code_hash == self._anon.invite_hash(code))
        )
        return result.rowcount == 1
