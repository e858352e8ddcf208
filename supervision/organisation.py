"""Departments, posts and officers (部门 / 岗位 / 工作人员).

Departments are public directory data, like the division tree. Posts and officers
are personnel records owned by a division and fall under the tenant scope.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Column, ForeignKey, Integer, String, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from tenancy.grouping import grouped
from tenancy.models import Base
from tenancy.scope import Scope, TenantOwned, register, subtree


class Department(Base):
    """部门: a body that holds powers, in one division, keyed by its credit code."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), index=True)


@register
class Post(TenantOwned, Base):
    """岗位: a position in a department; procedure nodes are assigned to posts."""

    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), index=True)


officer_posts = Table(
    "officer_posts",
    Base.metadata,
    Column("officer_id", ForeignKey("officers.id"), primary_key=True),
    Column("post_id", ForeignKey("posts.id"), primary_key=True, index=True),
)


@register
class Officer(TenantOwned, Base):
    """工作人员: a person who acts on cases; personal data, never public."""

    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_number: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(20))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), index=True)


async def departments_by_division(
    *, session: AsyncSession, division_codes: Sequence[str]
) -> dict[str, list[Department]]:
    """Departments of each division, by name."""
    rows = await session.scalars(
        select(Department)
        .where(Department.division_code.in_(division_codes))
        .order_by(Department.division_code, Department.name)
    )
    return grouped(rows, division_codes, lambda d: d.division_code)


async def departments_by_id(*, session: AsyncSession, ids: Sequence[int]) -> dict[int, Department]:
    """Departments by their ids."""
    rows = await session.scalars(select(Department).where(Department.id.in_(ids)))
    return {d.id: d for d in rows}


async def list_officers(
    *,
    session: AsyncSession,
    scope: Scope,
    division_code: str | None,
    after_id: int | None,
    limit: int,
) -> tuple[list[Officer], int]:
    """A page of officers within `scope` (and the session's), optionally under a division."""
    query = select(Officer)
    if (inside := scope.clause(Officer.division_code)) is not None:
        query = query.where(inside)
    if division_code is not None:
        query = query.where(subtree(Officer.division_code, division_code))
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    if after_id is not None:
        query = query.where(Officer.id > after_id)
    rows = await session.scalars(query.order_by(Officer.id).limit(limit))
    return list(rows), total or 0


async def posts_by_officer(
    *, session: AsyncSession, officer_ids: Sequence[int]
) -> dict[int, list[Post]]:
    """The posts each officer holds."""
    rows = await session.execute(
        select(officer_posts.c.officer_id, Post)
        .join(Post, Post.id == officer_posts.c.post_id)
        .where(officer_posts.c.officer_id.in_(officer_ids))
        .order_by(Post.id)
    )
    pairs = grouped(rows, officer_ids, lambda pair: pair[0])
    return {officer_id: [post for _, post in held] for officer_id, held in pairs.items()}
