"""Reading the division tree."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tenancy.grouping import grouped
from tenancy.models import Division


async def divisions_by_code(*, session: AsyncSession, codes: Sequence[str]) -> dict[str, Division]:
    """Divisions by code; unknown codes are absent."""
    rows = await session.scalars(select(Division).where(Division.code.in_(codes)))
    return {d.code: d for d in rows}


async def children_by_parent(
    *, session: AsyncSession, parent_codes: Sequence[str]
) -> dict[str, list[Division]]:
    """The children of each division, by code."""
    rows = await session.scalars(
        select(Division).where(Division.parent_code.in_(parent_codes)).order_by(Division.code)
    )
    return grouped(rows, parent_codes, lambda d: d.parent_code)


async def list_divisions(
    *,
    session: AsyncSession,
    parent_code: str | None,
    after_code: str | None,
    limit: int,
) -> tuple[list[Division], int]:
    """A page of the children of `parent_code` (the cities when None), and their count."""
    if parent_code is None:
        condition = Division.parent_code.is_(None)
    else:
        condition = Division.parent_code == parent_code
    total = await session.scalar(select(func.count()).where(condition))
    query = select(Division).where(condition)
    if after_code is not None:
        query = query.where(Division.code > after_code)
    rows = await session.scalars(query.order_by(Division.code).limit(limit))
    return list(rows), total or 0
