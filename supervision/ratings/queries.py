"""Reading ratings (for supervisors and department heads, inside their part of the tree)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.cases.models import Case
from supervision.ratings.models import Rating
from supervision.ratings.service import RectificationStatus
from tenancy.scope import Scope, subtree


@dataclass(frozen=True)
class RatingFilter:
    division_code: str | None = None  # this division and below
    department_code: str | None = None
    level: int | None = None
    rated_from: datetime | None = None  # inclusive
    rated_to: datetime | None = None  # exclusive
    open_rectification: bool | None = None  # True: awaiting the callback; False: not
    overdue_rectification: bool | None = None  # True: still open past its due time


async def list_ratings(
    *,
    session: AsyncSession,
    scope: Scope,
    flt: RatingFilter,
    after_id: int | None,
    limit: int,
    now: datetime,
) -> tuple[list[Rating], int]:
    """A page of ratings within `scope`, newest first, and how many match."""
    where = []
    if (inside := scope.clause(Rating.division_code)) is not None:
        where.append(inside)
    if flt.division_code:
        where.append(subtree(Rating.division_code, flt.division_code))
    if flt.department_code:
        where.append(Rating.department_code == flt.department_code)
    if flt.level is not None:
        where.append(Rating.level == flt.level)
    if flt.rated_from is not None:
        where.append(Rating.rated_at >= flt.rated_from)
    if flt.rated_to is not None:
        where.append(Rating.rated_at < flt.rated_to)
    is_open = Rating.rectification_status == RectificationStatus.OPEN.value
    if flt.open_rectification is True:
        where.append(is_open)
    elif flt.open_rectification is False:
        where.append(Rating.rectification_status.is_(None) | ~is_open)
    overdue = is_open & (Rating.rectification_due_at < now)
    if flt.overdue_rectification is True:
        where.append(overdue)
    elif flt.overdue_rectification is False:
        where.append(Rating.rectification_status.is_(None) | ~overdue)
    total = await session.scalar(select(func.count()).select_from(Rating).where(*where))
    query = select(Rating).where(*where)
    if after_id is not None:
        query = query.where(Rating.id < after_id)
    rows = await session.scalars(query.order_by(Rating.id.desc()).limit(limit))
    return list(rows), total or 0


async def get_rating(*, session: AsyncSession, rating_id: int, scope: Scope) -> Rating | None:
    """One rating inside `scope`, or None."""
    query = select(Rating).where(Rating.id == rating_id)
    if (inside := scope.clause(Rating.division_code)) is not None:
        query = query.where(inside)
    return await session.scalar(query)


async def case_to_rate(*, session: AsyncSession, case_number: str, scope: Scope) -> str | None:
    """The number of a case inside `scope` (a reporter's part of the tree), or None."""
    query = select(Case.number).where(Case.number == case_number.strip())
    if (inside := scope.clause(Case.division_code)) is not None:
        query = query.where(inside)
    return await session.scalar(query)
