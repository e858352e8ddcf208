"""投诉: filing a complaint, by anyone, named or anonymous, and its tracking code.

A complaint is about a case, a department or an officer. It answers a tracking code, the
only key to following it (`supervision.complaints.queries.follow_complaint`). It falls due
15 working days after it was filed (`DUE_WORKING_DAYS`, counted by the legal clock), and
the worker raises COMPLAINT_OVERDUE on one neither replied to nor closed by then
(`supervision.complaints.deadline`).

Complaints belong to tenants and an anonymous caller holds none of the tree, so filing
runs under `FILING_SCOPE`, a named bypass meant for `submit_complaint` alone: it reads the
public department directory and published results only (whether an unpublished case
exists is never told), and writes one complaint and its first step.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.cases.calendar import current_calendar
from supervision.cases.clock import DayUnit, read_clock
from supervision.cases.models import Case
from supervision.cases.states import DECIDED
from supervision.complaints.models import (
    Complaint,
    ComplaintAbout,
    ComplaintAction,
    ComplaintStatus,
)
from supervision.complaints.service import (
    InvalidComplaint,
    Recorded,
    UnknownDepartment,
    checked_text,
    live_update,
)
from supervision.organisation import Department
from tenancy.scope import Scope

# The named bypass for filing: see the module's docstring.
FILING_SCOPE = Scope.bypass("complaints: filing a complaint from the public")

# 投诉的办理时限. 国办发〔2019〕51号 (政务服务“好差评”) has bad reviews rectified and answered
# within 15 working days; 《信访工作条例》(2022) allows 60 days for a petition. A complaint
# about how power was used is answered on the former, shorter clock: 15 working days from
# the day after it was filed (民法典 §201), ending at the end of that day, Beijing time.
DUE_WORKING_DAYS = 15

MAX_CONTENT = 2000
MAX_CASE_NUMBER = 64
MAX_OFFICER = 100
MAX_NAME = 50

# Tracking codes: 16 characters drawn with `secrets` from 31 that cannot be misread (no 0/O,
# 1/I/L), shown in groups of four: 31^16 ≈ 2^79 codes, so guessing one is hopeless.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 16
GROUP = 4
_CODE_CHARS = frozenset(ALPHABET)

# 手机 (11 digits from 13x–19x) or 固定电话 with its area code (010-12345678, 053288886666)
_PHONE = re.compile(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}")


@dataclass(frozen=True)
class Complainant:
    """A named complainant: name and phone, for the callback (回访); never shown publicly."""

    name: str
    phone: str


@dataclass(frozen=True)
class Filing:
    """What the public gives: about what, the words, and who (None: anonymous)."""

    about: ComplaintAbout
    content: str
    case_number: str | None = None
    department_code: str | None = None
    officer: str | None = None  # as the complainant knows them: name or staff number (工号)
    complainant: Complainant | None = None


@dataclass(frozen=True)
class Receipt:
    """What filing answers: the tracking code, the due date, the complaint's division."""

    complaint_id: int
    tracking_code: str
    due_at: datetime
    submitted_at: datetime


# --- tracking codes ---


def new_tracking_code() -> str:
    """A fresh, unguessable tracking code: XXXX-XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def normal_tracking_code(text: str | None) -> str | None:
    """A tracking code as stored, from what someone typed (any case, with or without
    dashes or spaces); None when it cannot be one."""
    raw = re.sub(r"[\s-]", "", text or "").upper()
    if len(raw) != CODE_LENGTH or not set(raw) <= _CODE_CHARS:
        return None
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


# --- checking what the public gives ---


def _complainant(given: Complainant | None) -> dict:
    """The complainant as stored: {} when anonymous, else a checked name and phone."""
    if given is None:
        return {}
    name = checked_text(given.name, "complainant.name", MAX_NAME, required="NAME_REQUIRED")
    phone = re.sub(r"\s", "", given.phone or "")
    if not phone:
        raise InvalidComplaint("PHONE_REQUIRED", "complainant.phone: required", "complainant.phone")
    if not _PHONE.fullmatch(phone):
        raise InvalidComplaint(
            "INVALID_PHONE",
            "complainant.phone: a mobile (11 digits) or a landline with its area code",
            "complainant.phone",
        )
    return {"name": name, "phone": phone}


async def _department(session: AsyncSession, code: str | None) -> Department:
    department = await session.scalar(select(Department).where(Department.code == code))
    if department is None:
        raise UnknownDepartment(code or "", "departmentCode")
    return department


async def _published_case(session: AsyncSession, number: str) -> tuple[str, str] | None:
    """(division, department code) of a published, decided case; None for any other number,
    whether or not such a case exists (that is not the public's to learn)."""
    row = (
        await session.execute(
            select(Case.division_code, Department.code)
            .join(Department, Department.id == Case.department_id)
            .where(
                Case.number == number,
                Case.published_at.is_not(None),
                Case.state.in_(DECIDED),
            )
        )
    ).first()
    return None if row is None else (row[0], row[1])


async def _routing(
    session: AsyncSession, filing: Filing
) -> tuple[str, str, str | None, str | None]:
    """(division, department code, case number, officer) the complaint is routed by.

    About a published result: its division and department (naming another department is
    refused: the result is public). About any other case number: the department named
    (required), whatever the number — the same answer whether the case exists or not.
    About a department: that department; about an officer: the department and the officer
    as named.
    """
    department_code = (filing.department_code or "").strip() or None
    if filing.about is ComplaintAbout.CASE:
        number = checked_text(
            filing.case_number, "caseNumber", MAX_CASE_NUMBER, required="CASE_REQUIRED"
        )
        published = await _published_case(session, number)
        if published is not None:
            division, decided_by = published
            if department_code not in (None, decided_by):
                raise InvalidComplaint(
                    "DEPARTMENT_MISMATCH",
                    f"case {number} was decided by department {decided_by}",
                    "departmentCode",
                )
            return division, decided_by, number, None
        if department_code is None:
            raise InvalidComplaint(
                "DEPARTMENT_REQUIRED",
                "departmentCode: required unless the case is a published result; name the "
                "department handling it",
                "departmentCode",
            )
        department = await _department(session, department_code)
        return department.division_code, department.code, number, None
    if department_code is None:
        raise InvalidComplaint("DEPARTMENT_REQUIRED", "departmentCode: required", "departmentCode")
    department = await _department(session, department_code)
    officer = None
    if filing.about is ComplaintAbout.OFFICER:
        officer = checked_text(filing.officer, "officer", MAX_OFFICER, required="OFFICER_REQUIRED")
    return department.division_code, department.code, None, officer


async def due_at(*, session: AsyncSession, submitted_at: datetime) -> datetime:
    """When a complaint filed at `submitted_at` falls due: the end of its 15th working day."""
    calendar = await current_calendar(session=session)
    reading = read_clock(
        calendar=calendar,
        accepted_at=submitted_at,
        limit_value=DUE_WORKING_DAYS,
        limit_unit=DayUnit.WORKING_DAY,
        pauses=(),
        now=submitted_at,
    )
    return reading.due_at.astimezone(UTC)


async def _unused_code(session: AsyncSession) -> str:
    for _ in range(5):
        code = new_tracking_code()
        taken = await session.scalar(select(Complaint.id).where(Complaint.tracking_code == code))
        if taken is None:
            return code
    raise RuntimeError("no unused tracking code after five draws")  # 2^-79 each: never


async def submit_complaint(
    *, session: AsyncSession, filing: Filing, now: datetime | None = None
) -> Receipt:
    """投诉: file a complaint (session under `FILING_SCOPE`); the caller commits."""
    now = now or datetime.now(UTC)
    content = checked_text(filing.content, "content", MAX_CONTENT, required="CONTENT_REQUIRED")
    complainant = _complainant(filing.complainant)
    division, department_code, case_number, officer = await _routing(session, filing)
    complaint = Complaint(
        tracking_code=await _unused_code(session),
        division_code=division,
        about=filing.about,
        case_number=case_number,
        department_code=department_code,
        officer=officer,
        content=content,
        named=bool(complainant),
        complainant=complainant,
        status=ComplaintStatus.RECEIVED,
        due_at=await due_at(session=session, submitted_at=now),
        submitted_at=now,
        updated_at=now,
    )
    session.add(complaint)
    await session.flush()
    session.add(
        ComplaintAction(
            complaint_id=complaint.id,
            action=Recorded.SUBMIT.value,
            actor="named" if complainant else "anonymous",
            note="",
            division_code=division,
            at=now,
        )
    )
    session.add(live_update(complaint, Recorded.SUBMIT, now))
    await session.flush()
    return Receipt(complaint.id, complaint.tracking_code, complaint.due_at, now)
