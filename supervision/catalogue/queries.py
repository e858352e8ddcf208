"""Reading the catalogue: who sees which powers, lists, versions and history.

The catalogue is not under the subtree scope: published powers are public, and
a power of a city applies to its districts. What a reader sees is therefore
decided here: everything published, plus every version of the powers inside the
reader's own part of the tree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select, text, true
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.catalogue.models import Power, PowerStatus, PowerVersion
from supervision.catalogue.spec import Category
from supervision.organisation import Department
from tenancy.codes import lineage
from tenancy.scope import Scope, subtree


@dataclass(frozen=True)
class Readership:
    """Published powers for all; every status inside `scope` (empty for the public)."""

    scope: Scope = Scope()

    def powers(self):
        inside = self.scope.clause(Power.division_code)
        published = Power.status == PowerStatus.PUBLISHED
        return (
            published
            if inside is None and not self.scope.unrestricted
            else (True if inside is None else or_(published, inside))
        )

    def versions(self):
        inside = self.scope.clause(PowerVersion.division_code)
        if inside is None:
            return true()
        return or_(
            and_(
                PowerVersion.status == PowerStatus.PUBLISHED,
                PowerVersion.effective_from.is_not(None),
            ),
            inside,
        )


_CUSTOM_PLANS = text("SET LOCAL plan_cache_mode = force_custom_plan")


@dataclass(frozen=True)
class PowerFilter:
    division_code: str | None = None  # this division and below
    applicable_to: str | None = None  # this division and the ones above it
    department_code: str | None = None
    category: Category | None = None
    status: PowerStatus | None = None
    search: str | None = None


def _conditions(flt: PowerFilter) -> list:
    conditions = []
    if flt.division_code:
        conditions.append(subtree(Power.division_code, flt.division_code))
    if flt.applicable_to:
        conditions.append(Power.division_code.in_(lineage(flt.applicable_to)))
    if flt.department_code:
        conditions.append(
            Power.department_id
            == select(Department.id).where(Department.code == flt.department_code).scalar_subquery()
        )
    if flt.category:
        conditions.append(Power.category == flt.category)
    if flt.status:
        conditions.append(Power.status == flt.status)
    if flt.search and flt.search.strip():
        text = flt.search.strip()
        by_name = Power.name.contains(text, autoescape=True)
        if text.isascii() and text.isalnum():
            conditions.append(or_(Power.code.startswith(text, autoescape=True), by_name))
        else:
            conditions.append(by_name)
    return conditions


async def list_powers(
    *,
    session: AsyncSession,
    readership: Readership,
    flt: PowerFilter,
    after_id: int | None,
    limit: int,
) -> tuple[list[tuple[int, PowerVersion]], int]:
    """A page of (power id, current version), by id, and how many match in all."""
    where = [readership.powers(), *_conditions(flt)]
    if flt.search and session.bind.dialect.name == "postgresql":
        # A cached generic plan cannot see the search pattern, so it never uses the
        # trigram index; plan this transaction's searches with their real values.
        await session.execute(_CUSTOM_PLANS)
    total = await session.scalar(select(func.count()).select_from(Power).where(*where))
    query = (
        select(Power.id, PowerVersion)
        .join(PowerVersion, PowerVersion.id == Power.current_version_id)
        .where(*where)
    )
    if after_id is not None:
        query = query.where(Power.id > after_id)
    rows = await session.execute(query.order_by(Power.id).limit(limit))
    return [(power_id, version) for power_id, version in rows], total or 0


async def get_power(
    *, session: AsyncSession, readership: Readership, code: str, version: int | None = None
) -> PowerVersion | None:
    """A version of a power (the current one when `version` is None), if the reader may see it."""
    if version is None:
        query = (
            select(PowerVersion)
            .join(Power, Power.current_version_id == PowerVersion.id)
            .where(Power.code == code, readership.powers())
        )
    else:
        query = select(PowerVersion).where(
            PowerVersion.code == code, PowerVersion.version == version, readership.versions()
        )
    return await session.scalar(query)


async def power_history(
    *, session: AsyncSession, readership: Readership, code: str
) -> list[PowerVersion]:
    """Every version of a power the reader may see, oldest first."""
    rows = await session.scalars(
        select(PowerVersion)
        .where(PowerVersion.code == code, readership.versions())
        .order_by(PowerVersion.version)
    )
    return list(rows)


async def powers_by_id(*, session: AsyncSession, ids: Sequence[int]) -> dict[int, Power]:
    """Powers by id."""
    rows = await session.scalars(select(Power).where(Power.id.in_(ids)))
    return {p.id: p for p in rows}


async def versions_by_id(
    *, session: AsyncSession, readership: Readership, ids: Sequence[int]
) -> dict[int, PowerVersion]:
    """Versions by id, those the reader may see."""
    rows = await session.scalars(
        select(PowerVersion).where(PowerVersion.id.in_(ids), readership.versions())
    )
    return {v.id: v for v in rows}
