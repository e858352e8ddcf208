"""Service functions for accounts and grants. Every change bumps the policy version."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from policies.enforcer import GrantEntry
from policies.models import Account, AccountKind, Grant, PolicyVersion
from policies.roles import Role
from tenancy.codes import tier_of
from tenancy.models import Division


class GrantError(ValueError):
    code = "GRANT_ERROR"


class UnknownRole(GrantError):
    code = "UNKNOWN_ROLE"


class UnknownDivision(GrantError):
    code = "UNKNOWN_DIVISION"


class GrantNotFound(GrantError):
    code = "GRANT_NOT_FOUND"


async def ensure_account(
    *, session: AsyncSession, subject: str, kind: AccountKind, display_name: str
) -> Account:
    """The account of `subject`, created if missing."""
    account = await session.get(Account, subject)
    if account is None:
        account = Account(subject=subject, kind=kind, display_name=display_name)
        session.add(account)
        await session.flush()
    return account


async def grant_role(
    *, session: AsyncSession, subject: str, role: str, division_code: str
) -> Grant:
    """Give `subject` the `role` at a division (and so below it); idempotent."""
    if role not in Role.__members__.values():
        raise UnknownRole(f"unknown role {role!r}; roles: {', '.join(Role)}")
    if role == Role.PUBLIC:
        raise UnknownRole("the public role is held by everyone and is never granted")
    tier_of(division_code)
    if await session.get(Division, division_code) is None:
        raise UnknownDivision(f"no division {division_code}")
    existing = await session.scalar(
        select(Grant).where(
            Grant.subject == subject,
            Grant.role == role,
            Grant.division_code == division_code,
        )
    )
    if existing is not None:
        return existing
    grant = Grant(subject=subject, role=role, division_code=division_code)
    session.add(grant)
    await session.flush()
    await bump_version(session=session)
    return grant


async def revoke_role(
    *, session: AsyncSession, subject: str, role: str, division_code: str
) -> None:
    """Take a grant away."""
    result = await session.execute(
        delete(Grant).where(
            Grant.subject == subject,
            Grant.role == role,
            Grant.division_code == division_code,
        )
    )
    if result.rowcount == 0:
        raise GrantNotFound(f"{subject} holds no {role} grant at {division_code}")
    await bump_version(session=session)


async def bump_version(*, session: AsyncSession) -> None:
    """Record that the policies changed, in the same transaction as the change."""
    result = await session.execute(
        update(PolicyVersion).where(PolicyVersion.id == 1).values(version=PolicyVersion.version + 1)
    )
    if result.rowcount == 0:
        session.add(PolicyVersion(id=1, version=1))
        await session.flush()


async def get_version(*, session: AsyncSession) -> int:
    """The current policy version (0 before any grant)."""
    return await session.scalar(select(PolicyVersion.version).where(PolicyVersion.id == 1)) or 0


async def list_grant_entries(*, session: AsyncSession) -> list[GrantEntry]:
    """Every grant the session's scope lets it see, as enforcer entries."""
    rows = await session.execute(select(Grant.subject, Grant.role, Grant.division_code))
    return [GrantEntry(*row) for row in rows]
