"""Reading complaints: the handlers' view inside their scope, and the public view by code.

The public view (`follow_complaint`) runs under `FOLLOW_SCOPE`, a named bypass meant for
it alone: it reads the one complaint whose tracking code was given and answers a
`PublicComplaint`, never a row — status, dates, the departments concerned, the reply and
the steps taken, with no complainant, no content, no officer, no actor. Free text that
leaves (the reply, a reason for 不予受理) has any ID or phone number in it masked.

Handlers see the whole complaint; the complainant's name and phone only where they may
handle complaints (`reveal`), masked anywhere else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.complaints.filing import normal_tracking_code
from supervision.complaints.models import (
    Complaint,
    ComplaintAbout,
    ComplaintAction,
    ComplaintStatus,
)
from supervision.complaints.service import Recorded, is_overdue
from supervision.masking import mask_id_number, mask_name, mask_phone
from supervision.organisation import Department
from tenancy.grouping import grouped
from tenancy.scope import Scope, subtree

# The named bypass for following a complaint by its code: see the module's docstring.
FOLLOW_SCOPE = Scope.bypass("complaints: one complaint by its tracking code, public fields")

# the steps whose note is written to the complainant: shown to whoever holds the code
PUBLIC_NOTES = frozenset({Recorded.REPLY.value, Recorded.REJECT.value})

_EDGE_BEFORE, _EDGE_AFTER = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
_ID_NUMBER = re.compile(_EDGE_BEFORE + r"(\d{17}[\dXx]|\d{15})" + _EDGE_AFTER)
_PHONE = re.compile(_EDGE_BEFORE + r"(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})" + _EDGE_AFTER)


def scrub(text: str | None) -> str | None:
    """Free text as the public may read it: ID and phone numbers in it masked."""
    if not text:
        return text
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(1)), text)
    return _PHONE.sub(lambda m: mask_phone(m.group(1).replace("-", "")), text)


# --- the public view ---


@dataclass(frozen=True)
class PublicStep:
    step: str  # SUBMIT, ACCEPT, ASSIGN, REPLY, REJECT (不予受理), CLOSE
    at: datetime
    note: str | None  # the reply or the reason for 不予受理; None for the office's own notes


@dataclass(frozen=True)
class PublicComplaint:
    """A complaint as whoever holds its tracking code sees it."""

    tracking_code: str
    about: ComplaintAbout
    case_number: str | None
    department_code: str | None
    department_name: str | None
    named: bool
    status: ComplaintStatus
    submitted_at: datetime
    due_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    assigned_department_code: str | None
    assigned_department_name: str | None
    reply: str | None
    steps: tuple[PublicStep, ...]


async def _department_names(session: AsyncSession, codes: Iterable[str | None]) -> dict:
    wanted = {code for code in codes if code}
    if not wanted:
        return {}
    rows = await session.execute(
        select(Department.code, Department.name).where(Department.code.in_(wanted))
    )
    return dict(rows.all())


async def follow_complaint(*, session: AsyncSession, tracking_code: str) -> PublicComplaint | None:
    """投诉查询: the public view of the complaint with this code (session under
    `FOLLOW_SCOPE`); None for a code that is no complaint's."""
    code = normal_tracking_code(tracking_code)
    if code is None:
        return None
    complaint = await session.scalar(select(Complaint).where(Complaint.tracking_code == code))
    if complaint is None:
        return None
    actions = await session.scalars(
        select(ComplaintAction)
        .where(ComplaintAction.complaint_id == complaint.id)
        .order_by(ComplaintAction.at, ComplaintAction.id)
    )
    names = await _department_names(session, [complaint.department_code, complaint.assigned_to])
    return PublicComplaint(
        tracking_code=complaint.tracking_code,
        about=complaint.about,
        case_number=complaint.case_number,
        department_code=complaint.department_code,
        department_name=names.get(complaint.department_code),
        named=complaint.named,
        status=complaint.status,
        submitted_at=complaint.submitted_at,
        due_at=complaint.due_at,
        updated_at=complaint.updated_at,
        closed_at=complaint.closed_at,
        assigned_department_code=complaint.assigned_to,
        assigned_department_name=names.get(complaint.assigned_to),
        reply=scrub(complaint.reply),
        steps=tuple(
            PublicStep(
                step=action.action,
                at=action.at,
                note=scrub(action.note) if action.action in PUBLIC_NOTES else None,
            )
            for action in actions
        ),
    )


# --- the handlers' view ---


@dataclass(frozen=True)
class ComplaintFilter:
    division_code: str | None = None  # this division and below
    status: ComplaintStatus | None = None
    department_code: str | None = None  # the department complained about
    submitted_from: datetime | None = None  # inclusive
    submitted_to: datetime | None = None  # exclusive


@dataclass(frozen=True)
class ComplaintRecord:
    """A complaint as a handler sees it, its steps and the names of its departments; the
    complainant's name and phone masked unless the reader may handle it."""

    complaint: Complaint
    department_name: str | None
    assigned_department_name: str | None
    complainant_name: str | None
    complainant_phone: str | None
    complainant_masked: bool
    overdue: bool
    actions: tuple[ComplaintAction, ...]


async def _records(
    session: AsyncSession, complaints: Sequence[Complaint], reveal: Scope
) -> list[ComplaintRecord]:
    """Records of these complaints: two statements whatever their number."""
    if not complaints:
        return []
    ids = [c.id for c in complaints]
    actions = grouped(
        await session.scalars(
            select(ComplaintAction)
            .where(ComplaintAction.complaint_id.in_(ids))
            .order_by(ComplaintAction.at, ComplaintAction.id)
        ),
        ids,
        lambda a: a.complaint_id,
    )
    names = await _department_names(
        session, [code for c in complaints for code in (c.department_code, c.assigned_to)]
    )
    now = datetime.now(UTC)
    records = []
    for complaint in complaints:
        contact = complaint.complainant or {}
        shown = reveal.allows(complaint.division_code)
        name, phone = contact.get("name"), contact.get("phone")
        records.append(
            ComplaintRecord(
                complaint=complaint,
                department_name=names.get(complaint.department_code),
                assigned_department_name=names.get(complaint.assigned_to),
                complainant_name=name if shown else mask_name(name),
                complainant_phone=phone if shown else mask_phone(phone),
                complainant_masked=not shown and bool(contact),
                overdue=is_overdue(complaint, now),
                actions=tuple(actions[complaint.id]),
            )
        )
    return records


async def list_complaints(
    *,
    session: AsyncSession,
    scope: Scope,
    reveal: Scope,
    flt: ComplaintFilter,
    after_id: int | None,
    limit: int,
) -> tuple[list[ComplaintRecord], int]:
    """A page of complaints within `scope`, newest first, and how many match; the
    complainant shown in full only inside `reveal`."""
    where = []
    if (inside := scope.clause(Complaint.division_code)) is not None:
        where.append(inside)
    if flt.division_code:
        where.append(subtree(Complaint.division_code, flt.division_code))
    if flt.status:
        where.append(Complaint.status == flt.status)
    if flt.department_code:
        where.append(Complaint.department_code == flt.department_code)
    if flt.submitted_from:
        where.append(Complaint.submitted_at >= flt.submitted_from)
    if flt.submitted_to:
        where.append(Complaint.submitted_at < flt.submitted_to)
    total = await session.scalar(select(func.count()).select_from(Complaint).where(*where))
    query = select(Complaint).where(*where)
    if after_id is not None:
        query = query.where(Complaint.id < after_id)
    rows = list(await session.scalars(query.order_by(Complaint.id.desc()).limit(limit)))
    return await _records(session, rows, reveal), total or 0


async def get_complaint(
    *, session: AsyncSession, complaint_id: int, scope: Scope, reveal: Scope
) -> ComplaintRecord | None:
    """One complaint inside `scope` as a handler sees it, or None."""
    query = select(Complaint).where(Complaint.id == complaint_id)
    if (inside := scope.clause(Complaint.division_code)) is not None:
        query = query.where(inside)
    complaint = await session.scalar(query)
    if complaint is None:
        return None
    (record,) = await _records(session, [complaint], reveal)
    return record
