"""Reading warnings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.cases.models import Case
from supervision.rules.models import (
    Card,
    CardLevel,
    Warning,
    WarningAction,
    WarningLevel,
    WarningStatus,
)
from tenancy.grouping import grouped
from tenancy.scope import Scope, subtree


@dataclass(frozen=True)
class WarningFilter:
    division_code: str | None = None  # this division and below
    level: WarningLevel | None = None
    status: WarningStatus | None = None
    rule_kind: str | None = None
    raised_from: datetime | None = None
    raised_to: datetime | None = None
    department_code: str | None = None
    attention_code: str | None = None  # the division asked to act, exactly


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
    if flt.department_code:
        where.append(Warning.department_code == flt.department_code)
    if flt.attention_code:
        where.append(Warning.attention_code == flt.attention_code)
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


async def get_warning(*, session: AsyncSession, warning_id: int, scope: Scope) -> Warning | None:
    """One warning inside `scope`, or None."""
    query = select(Warning).where(Warning.id == warning_id)
    if (inside := scope.clause(Warning.division_code)) is not None:
        query = query.where(inside)
    return await session.scalar(query)


async def warnings_by_id(*, session: AsyncSession, ids: Sequence[int]) -> dict[int, Warning]:
    """Warnings by id (within the session's scope)."""
    rows = await session.scalars(select(Warning).where(Warning.id.in_(ids)))
    return {w.id: w for w in rows}


async def actions_by_warning(
    *, session: AsyncSession, warning_ids: Sequence[int]
) -> dict[int, list[WarningAction]]:
    """The handling steps of each warning, in the order they were taken."""
    rows = await session.scalars(
        select(WarningAction)
        .where(WarningAction.warning_id.in_(warning_ids))
        .order_by(WarningAction.at, WarningAction.id)
    )
    return grouped(rows, warning_ids, lambda a: a.warning_id)


async def cards_by_warning(
    *, session: AsyncSession, warning_ids: Sequence[int]
) -> dict[int, list[Card]]:
    """The cards issued on each warning, in the order they were issued."""
    rows = await session.scalars(
        select(Card).where(Card.warning_id.in_(warning_ids)).order_by(Card.issued_at, Card.id)
    )
    return grouped(rows, warning_ids, lambda c: c.warning_id)


@dataclass(frozen=True)
class CardFilter:
    division_code: str | None = None  # this division and below
    department_code: str | None = None
    level: CardLevel | None = None
    issued_from: datetime | None = None
    issued_to: datetime | None = None


async def list_cards(
    *,
    session: AsyncSession,
    scope: Scope,
    flt: CardFilter,
    after_id: int | None,
    limit: int,
) -> tuple[list[Card], int]:
    """A page of cards within `scope`, newest first, and how many match."""
    where = []
    if (inside := scope.clause(Card.division_code)) is not None:
        where.append(inside)
    if flt.division_code:
        where.append(subtree(Card.division_code, flt.division_code))
    if flt.department_code:
        where.append(Card.department_code == flt.department_code)
    if flt.level:
        where.append(Card.level == flt.level)
    if flt.issued_from:
        where.append(Card.issued_at >= flt.issued_from)
    if flt.issued_to:
        where.append(Card.issued_at < flt.issued_to)
    total = await session.scalar(select(func.count()).select_from(Card).where(*where))
    query = select(Card).where(*where)
    if after_id is not None:
        query = query.where(Card.id < after_id)
    rows = await session.scalars(query.order_by(Card.id.desc()).limit(limit))
    return list(rows), total or 0
