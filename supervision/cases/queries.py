"""Reading cases: one by number, lists with filters and order, steps and attachments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, not_, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.cases.models import Attachment, Case, CaseState, LedgerEntry
from supervision.organisation import Department
from tenancy.grouping import grouped
from tenancy.scope import Scope, subtree

ORDERS = {
    "NUMBER": Case.number,
    "LAST_EVENT_AT": Case.last_event_at,
    "ACCEPTED_AT": Case.accepted_at,
    "DUE_AT": Case.promised_due_at,
}


@dataclass(frozen=True)
class CaseFilter:
    division_code: str | None = None  # this division and below
    department_code: str | None = None
    power_code: str | None = None
    state: CaseState | None = None
    overdue: bool | None = None  # by the promised limit
    due_before: datetime | None = None
    accepted_from: datetime | None = None
    accepted_to: datetime | None = None


def _overdue(now: datetime):
    open_and_late = and_(Case.decided_at.is_(None), Case.promised_due_at < now)
    return or_(open_and_late, Case.decided_late.is_(True))


def _conditions(flt: CaseFilter, now: datetime) -> list:
    conditions = []
    if flt.division_code:
        conditions.append(subtree(Case.division_code, flt.division_code))
    if flt.department_code:
        conditions.append(
            Case.department_id
            == select(Department.id).where(Department.code == flt.department_code).scalar_subquery()
        )
    if flt.power_code:
        conditions.append(Case.power_code == flt.power_code)
    if flt.state:
        conditions.append(Case.state == flt.state)
    if flt.overdue is True:
        conditions.append(_overdue(now))
    elif flt.overdue is False:
        conditions.append(and_(Case.accepted_at.is_not(None), not_(_overdue(now))))
    if flt.due_before:
        conditions.append(Case.promised_due_at < flt.due_before)
    if flt.accepted_from:
        conditions.append(Case.accepted_at >= flt.accepted_from)
    if flt.accepted_to:
        conditions.append(Case.accepted_at < flt.accepted_to)
    return conditions


async def list_cases(
    *,
    session: AsyncSession,
    scope: Scope,
    flt: CaseFilter,
    order: str,
    descending: bool,
    after: tuple | None,
    limit: int,
    now: datetime,
) -> tuple[list[Case], int]:
    """A page of cases in the session's scope, ordered by `order` then id, and the total.

    Ordering by ACCEPTED_AT or DUE_AT lists accepted cases only (the others have none).
    """
    column = ORDERS[order]
    where = _conditions(flt, now)
    if (inside := scope.clause(Case.division_code)) is not None:
        where.append(inside)
    if order in ("ACCEPTED_AT", "DUE_AT"):
        where.append(column.is_not(None))
    total = await session.scalar(select(func.count()).select_from(Case).where(*where))
    query = select(Case).where(*where)
    if after is not None:
        key = tuple_(column, Case.id)
        query = query.where(key < tuple_(*after) if descending else key > tuple_(*after))
    if descending:
        query = query.order_by(column.desc(), Case.id.desc())
    else:
        query = query.order_by(column, Case.id)
    rows = await session.scalars(query.limit(limit))
    return list(rows), total or 0


async def get_case(*, session: AsyncSession, number: str, scope: Scope) -> Case | None:
    """A case by number, if it is within `scope` (and the session's)."""
    query = select(Case).where(Case.number == number)
    if (inside := scope.clause(Case.division_code)) is not None:
        query = query.where(inside)
    return await session.scalar(query)


async def steps_by_case(
    *, session: AsyncSession, case_numbers: Sequence[str]
) -> dict[str, list[LedgerEntry]]:
    """The ledger entries of each case, in the order they happened."""
    rows = await session.scalars(
        select(LedgerEntry)
        .where(LedgerEntry.case_number.in_(case_numbers))
        .order_by(LedgerEntry.occurred_at, LedgerEntry.id)
    )
    return grouped(rows, case_numbers, lambda e: e.case_number)


async def attachments_by_case(
    *, session: AsyncSession, case_numbers: Sequence[str]
) -> dict[str, list[Attachment]]:
    """Every version of every attachment of each case."""
    rows = await session.scalars(
        select(Attachment)
        .where(Attachment.case_number.in_(case_numbers))
        .order_by(Attachment.name, Attachment.version)
    )
    return grouped(rows, case_numbers, lambda a: a.case_number)
