"""Reading warnings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.cases.models import Case
from supervision.rules.models import Warning, WarningLevel, WarningStatus
from tenancy.scope import Scope, subtree


@dataclass(frozen=True)
class WarningFilter:
    division_code: str | None = None  # this division and below
    level: WarningLevel | None = None
    status: WarningStatus | None = None
    rule_kind: str | None = None
    raised_from: datetime | None = None
    raised_to: datetime | None = None


async def list_warnings(
    *,
    session: AsyncSession,
    scope: Scope,
    flt: WarningFilter,
    after_id: int | None,
    limit: int,
) -> tuple[list[Warning], int]:
    """A page of warnings within `scope`, newest first, and how many match."""
    where = []
    if (inside := scope.clause(Warning.division_code)) is not None:
        where.append(inside)
    if flt.division_code:
        where.append(subtree(Warning.division_code, flt.division_code))
    if flt.level:
        where.append(Warning.level == flt.level)
    if flt.status:
        where.append(Warning.status == flt.status)
    if flt.rule_kind:
        where.append(Warning.kind == flt.rule_kind)
    if flt.raised_from:
        where.append(Warning.raised_at >= flt.raised_from)
    if flt.raised_to:
        where.append(Warning.raised_at < flt.raised_to)
    total = await session.scalar(select(func.count()).select_from(Warning).where(*where))
    query = select(Warning).where(*where)
    if after_id is not None:
        query = query.where(Warning.id < after_id)
    rows = await session.scalars(query.order_by(Warning.id.desc()).limit(limit))
    return list(rows), total or 0


async def cases_by_number(*, session: AsyncSession, numbers: Sequence[str]) -> dict[str, Case]:
    """Cases by number (within the session's scope)."""
    rows = await session.scalars(select(Case).where(Case.number.in_(numbers)))
    return {c.number: c for c in rows}
