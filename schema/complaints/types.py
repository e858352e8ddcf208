"""GraphQL types of complaints (投诉): the public view by tracking code, the handlers' view."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.errors import UserError
from supervision.complaints import models, queries, service

ComplaintAbout = strawberry.enum(
    models.ComplaintAbout,
    description="What a complaint is about: CASE 办件, DEPARTMENT 部门, OFFICER 工作人员.",
)
ComplaintStatus = strawberry.enum(
    models.ComplaintStatus,
    description="RECEIVED 已收到, ACCEPTED 已受理, ASSIGNED 已交办, REPLIED 已答复, CLOSED 已办结.",
)
ComplaintStep = strawberry.enum(
    service.Step,
    name="ComplaintStep",
    description="A handler's step: ACCEPT 受理, ASSIGN 交办, REPLY 答复, CLOSE 办结 "
    "(不予受理 on a complaint not yet accepted).",
)
ComplaintActionKind = strawberry.enum(
    service.Recorded,
    name="ComplaintActionKind",
    description="A step as recorded: SUBMIT 投诉, ACCEPT 受理, ASSIGN 交办, REPLY 答复, "
    "REJECT 不予受理, CLOSE 办结.",
)


@strawberry.type(description="A step taken on a complaint, as its tracking code shows it.")
class PublicComplaintStep:
    step: ComplaintActionKind
    at: datetime
    note: str | None = strawberry.field(
        description="The reply, or the reason for 不予受理; the office's own notes are not shown."
    )


@strawberry.type(
    description="投诉查询: a complaint as whoever holds its tracking code sees it — status, "
    "dates, departments, the reply and the steps; never who filed it."
)
class PublicComplaint:
    tracking_code: str
    about: ComplaintAbout
    case_number: str | None
    department_code: str | None = strawberry.field(description="The department complained about.")
    department_name: str | None
    named: bool = strawberry.field(description="Filed with a name and phone (实名) or not.")
    status: ComplaintStatus
    submitted_at: datetime
    due_at: datetime = strawberry.field(
        description="答复期限: the end of the 15th working day after filing."
    )
    updated_at: datetime
    closed_at: datetime | None
    assigned_department_code: str | None = strawberry.field(
        description="承办单位: the department it was handed to."
    )
    assigned_department_name: str | None
    reply: str | None = strawberry.field(description="答复 (ID and phone numbers masked).")
    steps: list[PublicComplaintStep]

    @classmethod
    def from_view(cls, view: queries.PublicComplaint) -> PublicComplaint:
        return cls(
            tracking_code=view.tracking_code,
            about=view.about,
            case_number=view.case_number,
            department_code=view.department_code,
            department_name=view.department_name,
            named=view.named,
            status=view.status,
            submitted_at=view.submitted_at,
            due_at=view.due_at,
            updated_at=view.updated_at,
            closed_at=view.closed_at,
            assigned_department_code=view.assigned_department_code,
            assigned_department_name=view.assigned_department_name,
            reply=view.reply,
            steps=[
                PublicComplaintStep(step=service.Recorded(s.step), at=s.at, note=s.note)
                for s in view.steps
            ],
        )


@strawberry.type(description="What filing a complaint answers: keep the tracking code.")
class ComplaintReceipt:
    tracking_code: str = strawberry.field(
        description="查询码: the only key to following the complaint; it is not shown again."
    )
    due_at: datetime
    complaint: PublicComplaint


@strawberry.type(
    description="实名投诉人: shown in full only to those who may handle the complaint."
)
class Complainant:
    name: str | None
    phone: str | None
    masked: bool = strawberry.field(description="Masked: the reader may not handle it.")


@strawberry.type(description="One step on a complaint, with who took it.")
class ComplaintAction:
    step: ComplaintActionKind
    actor: str
    note: str
    at: datetime


@strawberry.type(description="投诉, as its handlers see it.")
class Complaint:
    id: int
    tracking_code: str
    division_code: str
    about: ComplaintAbout
    case_number: str | None
    department_code: str | None = strawberry.field(description="The department complained about.")
    department_name: str | None
    officer: str | None = strawberry.field(
        description="The officer, as the complainant named them."
    )
    content: str
    named: bool
    complainant: Complainant | None = strawberry.field(description="None when anonymous.")
    status: ComplaintStatus
    assigned_department_code: str | None = strawberry.field(description="承办单位.")
    assigned_department_name: str | None
    reply: str | None
    due_at: datetime
    overdue: bool = strawberry.field(description="Past its due time and not yet replied to.")
    submitted_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    steps: list[ComplaintAction]
    next_steps: list[ComplaintStep] = strawberry.field(
        description="The steps its status allows now."
    )

    @classmethod
    def from_record(cls, record: queries.ComplaintRecord) -> Complaint:
        row = record.complaint
        return cls(
            id=row.id,
            tracking_code=row.tracking_code,
            division_code=row.division_code,
            about=row.about,
            case_number=row.case_number,
            department_code=row.department_code,
            department_name=record.department_name,
            officer=row.officer,
            content=row.content,
            named=row.named,
            complainant=Complainant(
                name=record.complainant_name,
                phone=record.complainant_phone,
                masked=record.complainant_masked,
            )
            if row.named
            else None,
            status=row.status,
            assigned_department_code=row.assigned_to,
            assigned_department_name=record.assigned_department_name,
            reply=row.reply,
            due_at=row.due_at,
            overdue=record.overdue,
            submitted_at=row.submitted_at,
            updated_at=row.updated_at,
            closed_at=row.closed_at,
            steps=[
                ComplaintAction(
                    step=service.Recorded(a.action), actor=a.actor, note=a.note, at=a.at
                )
                for a in record.actions
            ],
            next_steps=service.allowed_steps(row.status),
        )


@strawberry.type
class ComplaintPayload:
    complaint: Complaint


@strawberry.type(description="The complaint's status does not allow this step.")
class WrongComplaintState(UserError):
    status: ComplaintStatus = strawberry.field(description="The complaint's status now.")
    allowed: list[ComplaintStep] = strawberry.field(description="The steps it allows now.")
