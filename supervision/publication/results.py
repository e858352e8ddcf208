"""公示结果: the published results of decided cases, as anonymous callers may read them.

A result is public once its department published it (a PUBLISH fact: `cases.published_at`)
and the case is decided (办结通过 / 办结不通过). Nothing else of a case leaves this module:
its number, power, department, decision, the day of it, whether it kept its promise, and
the applicant masked (`masking.public_applicant`). The platform never publishes on its own;
RESULT_NOT_PUBLISHED watches departments that do not.

Cases are tenant-owned and anonymous callers hold no part of the tree, so these functions
run under `PUBLICATION_SCOPE`, the one named bypass for them: a session under it is meant
for this module's functions only, each of which reads published, decided rows alone and
answers `PublishedResult`s, never rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.cases.models import Case
from supervision.cases.states import DECIDED
from supervision.catalogue.models import Power, PowerVersion
from supervision.catalogue.queries import Readership
from supervision.masking import PublicApplicant, public_applicant
from supervision.organisation import Department
from tenancy.scope import Scope, subtree

# The named bypass of the tenant scope for anonymous reads of published results.
PUBLICATION_SCOPE = Scope.bypass("publication: published results of decided cases, masked")

_PUBLIC = Readership()  # what the public may read of the catalogue


@dataclass(frozen=True)
class PublishedFilter:
    division_code: str | None = None  # this division and below
    department_code: str | None = None
    power_code: str | None = None
    decided_from: datetime | None = None  # inclusive
    decided_to: datetime | None = None  # exclusive


@dataclass(frozen=True)
class PublishedResult:
    """One published result (公示), personal data masked."""

    case_number: str
    division_code: str
    department_id: int
    department_code: str
    department_name: str
    power_code: str
    power_name: str | None  # from the published catalogue; None if it publishes none
    decision: str  # APPROVED or REJECTED
    decided_at: datetime
    published_at: datetime
    on_time: bool  # decided within the promised limit
    applicant: PublicApplicant


def _published():
    """Published and decided: the only cases any function here reads."""
    return and_(
        Case.published_at.is_not(None),
        Case.decided_at.is_not(None),
        Case.state.in_(DECIDED),
    )


def _conditions(flt: PublishedFilter) -> list:
    conditions = [_published()]
    if flt.division_code:
        conditions.append(subtree(Case.division_code, flt.division_code))
    if flt.department_code:
        conditions.append(
            Case.department_id
            == select(Department.id).where(Department.code == flt.department_code).scalar_subquery()
        )
    if flt.power_code:
        conditions.append(Case.power_code == flt.power_code)
    if flt.decided_from:
        conditions.append(Case.decided_at >= flt.decided_from)
    if flt.decided_to:
        conditions.append(Case.decided_at < flt.decided_to)
    return conditions


def _select():
    """The columns a result is made of, and nothing else of the case: department and power
    names joined in (the power's name only from what the catalogue publishes)."""
    return (
        select(
            Case.number,
            Case.division_code,
            Case.department_id,
            Department.code,
            Department.name,
            Case.power_code,
            func.coalesce(PowerVersion.name, Power.name),
            Case.state,
            Case.decided_at,
            Case.published_at,
            Case.decided_late,
            Case.applicant,
        )
        .select_from(Case)
        .join(Department, Department.id == Case.department_id)
        .outerjoin(PowerVersion, and_(PowerVersion.id == Case.power_version_id, _PUBLIC.versions()))
        .outerjoin(Power, and_(Power.code == Case.power_code, _PUBLIC.powers()))
    )


def _result(row) -> PublishedResult:
    (number, division, department_id, department_code, department_name, power_code) = row[:6]
    power_name, state, decided_at, published_at, late, applicant = row[6:]
    return PublishedResult(
        case_number=number,
        division_code=division,
        department_id=department_id,
        department_code=department_code,
        department_name=department_name,
        power_code=power_code,
        power_name=power_name,
        decision=str(state),
        decided_at=decided_at,
        published_at=published_at,
        on_time=not late,
        applicant=public_applicant(applicant),
    )


async def list_published_results(
    *,
    session: AsyncSession,
    flt: PublishedFilter,
    after: tuple[datetime, str] | None,
    limit: int,
) -> tuple[list[PublishedResult], int]:
    """A page of published results, latest decision first (then by case number), and the total.

    `after` is the (decided_at, case number) of the last result of the previous page.
    """
    where = _conditions(flt)
    total = await session.scalar(select(func.count()).select_from(Case).where(*where))
    query = _select().where(*where)
    if after is not None:
        query = query.where(tuple_(Case.decided_at, Case.number) < tuple_(*after))
    rows = await session.execute(
        query.order_by(Case.decided_at.desc(), Case.number.desc()).limit(limit)
    )
    return [_result(row) for row in rows], total or 0


async def published_results_by_number(
    *, session: AsyncSession, numbers: Sequence[str]
) -> dict[str, PublishedResult]:
    """The published results among these case numbers; unpublished ones are simply absent."""
    if not numbers:
        return {}
    rows = await session.execute(_select().where(_published(), Case.number.in_(numbers)))
    return {result.case_number: result for result in map(_result, rows)}
