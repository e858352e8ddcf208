"""投诉: the steps supervisors take on a complaint, as data, and what complaints share.

Filing (by anyone) is in `supervision.complaints.filing`; the public and handlers' views in
`supervision.complaints.queries`; the deadline watch in `supervision.complaints.deadline`.

The steps and the statuses they lead between are data (`Step`, `TRANSITIONS`). Each step,
in the caller's transaction, locks the complaint inside the caller's scope, checks the
table, updates it, records a `ComplaintAction` and writes an outbox message (topic
"complaint": ids, status and step, never the complainant). Complaints are not case facts:
they are not appended to a case's ledger chain; their steps are kept, append-only, as
`ComplaintAction` rows.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.cases.models import OutboxMessage
from supervision.complaints.models import Complaint, ComplaintAction, ComplaintStatus
from supervision.organisation import Department
from tenancy.scope import Scope

MAX_TEXT = 2000  # a reply or a note


class Step(enum.StrEnum):
    """A step a handler takes."""

    ACCEPT = "ACCEPT"  # 受理
    ASSIGN = "ASSIGN"  # 交办: to the department that must look into it (again: 改派)
    REPLY = "REPLY"  # 答复
    CLOSE = "CLOSE"  # 办结; on a complaint not yet accepted: 不予受理 (a reason is required)


class Recorded(enum.StrEnum):
    """A step as recorded (`ComplaintAction.action`): filing, and the handlers' steps."""

    SUBMIT = "SUBMIT"  # 投诉: filed
    ACCEPT = "ACCEPT"
    ASSIGN = "ASSIGN"
    REPLY = "REPLY"
    REJECT = "REJECT"  # 不予受理: closed before it was accepted
    CLOSE = "CLOSE"


_S = ComplaintStatus

# (status now, step) -> status after. A pair not listed is refused as the wrong state.
TRANSITIONS: dict[tuple[ComplaintStatus, Step], ComplaintStatus] = {
    (_S.RECEIVED, Step.ACCEPT): _S.ACCEPTED,
    (_S.RECEIVED, Step.CLOSE): _S.CLOSED,  # 不予受理
    (_S.ACCEPTED, Step.ASSIGN): _S.ASSIGNED,
    (_S.ASSIGNED, Step.ASSIGN): _S.ASSIGNED,  # 改派: to another department
    (_S.ACCEPTED, Step.REPLY): _S.REPLIED,  # answered by the office itself
    (_S.ASSIGNED, Step.REPLY): _S.REPLIED,
    (_S.REPLIED, Step.CLOSE): _S.CLOSED,
}

# How a step is recorded when the status gives it another meaning.
RECORDED_AS: dict[tuple[ComplaintStatus, Step], Recorded] = {
    (_S.RECEIVED, Step.CLOSE): Recorded.REJECT
}

# Still waiting for an answer: these are watched against the due date.
UNANSWERED = (_S.RECEIVED, _S.ACCEPTED, _S.ASSIGNED)


def is_overdue(complaint: Complaint, now: datetime) -> bool:
    """Past its due time and still unanswered."""
    return complaint.status in UNANSWERED and complaint.due_at < now


def allowed_steps(status: ComplaintStatus) -> list[Step]:
    """The steps a complaint in this status may take, in the table's order."""
    return [step for (now, step) in TRANSITIONS if now is status]


class ComplaintError(ValueError):
    """A complaint or a step refused; `code` is stable, `field` names the input at fault."""

    code = "COMPLAINT_ERROR"
    field: str | None = None


class ComplaintNotFound(ComplaintError):
    code = "COMPLAINT_NOT_FOUND"
    field = "id"

    def __init__(self, complaint_id: int) -> None:
        super().__init__(f"no complaint {complaint_id} in your part of the tree")


class WrongState(ComplaintError):
    code = "WRONG_STATE"

    def __init__(self, step: Step, status: ComplaintStatus) -> None:
        allowed = ", ".join(allowed_steps(status)) or "nothing more"
        super().__init__(f"the complaint is {status}: no {step} now; it may take {allowed}")
        self.step = step
        self.status = status


class UnknownDepartment(ComplaintError):
    code = "UNKNOWN_DEPARTMENT"

    def __init__(self, code: str, field: str) -> None:
        super().__init__(f"no department {code}")
        self.field = field


class InvalidComplaint(ComplaintError):
    def __init__(self, code: str, message: str, field: str | None) -> None:
        super().__init__(message)
        self.code = code
        self.field = field


@dataclass(frozen=True)
class Stepped:
    """What a step left: the complaint as it is now and the action recorded."""

    complaint: Complaint
    action: ComplaintAction


# --- shared with filing ---


def checked_text(
    value: str | None, field: str, limit: int, *, required: str | None = None
) -> str | None:
    """The text stripped (None when blank); refused when required and blank, or too long."""
    text = (value or "").strip()
    if required and not text:
        raise InvalidComplaint(required, f"{field}: required", field)
    if len(text) > limit:
        raise InvalidComplaint("TOO_LONG", f"{field}: at most {limit} characters", field)
    return text or None


def live_update(complaint: Complaint, step: Recorded | str, at: datetime) -> OutboxMessage:
    """The live update of a step: ids, status and step; no complainant, no content."""
    return OutboxMessage(
        topic="complaint",
        division_code=complaint.division_code,
        payload={
            "complaintId": complaint.id,
            "divisionCode": complaint.division_code,
            "departmentCode": complaint.department_code,
            "about": complaint.about.value,
            "status": complaint.status.value,
            "step": str(step),
            "dueAt": complaint.due_at.isoformat(),
            "at": at.isoformat(),
        },
    )


# --- the supervisors' steps ---


async def complaint_division(
    *, session: AsyncSession, complaint_id: int, scope: Scope
) -> str | None:
    """The division of a complaint inside `scope`; None when there is none there."""
    query = select(Complaint.division_code).where(Complaint.id == complaint_id)
    if (inside := scope.clause(Complaint.division_code)) is not None:
        query = query.where(inside)
    return await session.scalar(query)


async def _locked(session: AsyncSession, complaint_id: int, scope: Scope) -> Complaint:
    query = (
        select(Complaint)
        .where(Complaint.id == complaint_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if (inside := scope.clause(Complaint.division_code)) is not None:
        query = query.where(inside)
    complaint = await session.scalar(query)
    if complaint is None:
        raise ComplaintNotFound(complaint_id)
    return complaint


async def record_step(
    *,
    session: AsyncSession,
    complaint_id: int,
    step: Step,
    actor: str,
    scope: Scope,
    note: str | None = None,
    reply: str | None = None,
    assignee: str | None = None,
    now: datetime | None = None,
) -> Stepped:
    """Take one step on a complaint inside `scope`; the caller commits."""
    now = now or datetime.now(UTC)
    complaint = await _locked(session, complaint_id, scope)
    before = complaint.status
    after = TRANSITIONS.get((before, step))
    if after is None:
        raise WrongState(step, before)
    note = checked_text(note, "note", MAX_TEXT) or ""
    if step is Step.CLOSE and before is _S.RECEIVED and not note:
        raise InvalidComplaint("REASON_REQUIRED", "note: 不予受理 needs its reason", "note")
    if step is Step.REPLY:
        complaint.reply = checked_text(reply, "reply", MAX_TEXT, required="REPLY_REQUIRED")
        note = complaint.reply
    if step is Step.ASSIGN:
        code = (assignee or "").strip()
        if not code:
            raise InvalidComplaint(
                "ASSIGNEE_REQUIRED", "assignee: the department code required", "assignee"
            )
        department = await session.scalar(select(Department).where(Department.code == code))
        # handed only to a department in the caller's own part of the tree
        if department is None or not scope.allows(department.division_code):
            raise UnknownDepartment(code, "assignee")
        complaint.assigned_to = department.code
    complaint.status = after
    complaint.updated_at = now
    if after is _S.CLOSED:
        complaint.closed_at = now
    recorded = ComplaintAction(
        complaint_id=complaint.id,
        action=RECORDED_AS.get((before, step), Recorded(step.value)).value,
        actor=actor,
        note=note,
        division_code=complaint.division_code,
        at=now,
    )
    session.add(recorded)
    session.add(live_update(complaint, recorded.action, now))
    await session.flush()
    return Stepped(complaint=complaint, action=recorded)


async def accept_complaint(
    *,
    session: AsyncSession,
    complaint_id: int,
    actor: str,
    scope: Scope,
    note: str | None = None,
    now: datetime | None = None,
) -> Stepped:
    """受理: the complaint is taken up."""
    return await record_step(
        session=session,
        complaint_id=complaint_id,
        step=Step.ACCEPT,
        actor=actor,
        scope=scope,
        note=note,
        now=now,
    )


async def assign_complaint(
    *,
    session: AsyncSession,
    complaint_id: int,
    actor: str,
    scope: Scope,
    assignee: str,
    note: str | None = None,
    now: datetime | None = None,
) -> Stepped:
    """交办: hand the complaint to a department (by its code) to look into."""
    return await record_step(
        session=session,
        complaint_id=complaint_id,
        step=Step.ASSIGN,
        actor=actor,
        scope=scope,
        note=note,
        assignee=assignee,
        now=now,
    )


async def reply_complaint(
    *,
    session: AsyncSession,
    complaint_id: int,
    actor: str,
    scope: Scope,
    reply: str,
    now: datetime | None = None,
) -> Stepped:
    """答复: the answer the complainant reads with the tracking code."""
    return await record_step(
        session=session,
        complaint_id=complaint_id,
        step=Step.REPLY,
        actor=actor,
        scope=scope,
        reply=reply,
        now=now,
    )


async def close_complaint(
    *,
    session: AsyncSession,
    complaint_id: int,
    actor: str,
    scope: Scope,
    note: str | None = None,
    now: datetime | None = None,
) -> Stepped:
    """办结 a replied complaint; or 不予受理 one not yet accepted (the note is the reason)."""
    return await record_step(
        session=session,
        complaint_id=complaint_id,
        step=Step.CLOSE,
        actor=actor,
        scope=scope,
        note=note,
        now=now,
    )
