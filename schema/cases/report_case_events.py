"""reportCaseEvents: a business system or lower tier reports facts about cases, in batches."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Annotated

import strawberry

from schema.cases.types import CaseAction
from schema.context import Info
from schema.errors import InvalidInput, NotPermitted
from schema.permissions import permitted
from supervision.cases.ingest import report_events
from supervision.cases.reports import MAX_BATCH, AttachmentReport, EventReport
from supervision.ratings.codes import rating_code
from tenancy.scope import Scope

DECISIONS = frozenset({"APPROVE", "REJECT"})  # the facts that come with a result


@strawberry.input
class AttachmentInput:
    name: str
    sha256: str = strawberry.field(description="Lowercase hex SHA-256 of the file.")
    size: int
    media_type: str = "application/octet-stream"


@strawberry.input
class ApplicantInput:
    name: str | None = None
    id_number: str | None = strawberry.field(default=None, description="身份证号 (a person).")
    credit_code: str | None = strawberry.field(
        default=None, description="统一社会信用代码 (a company)."
    )
    phone: str | None = None


@strawberry.input
class KeyDatum:
    name: str
    value: str


@strawberry.input(description="One fact about one case, as a business system reports it.")
class CaseEventInput:
    event_id: str = strawberry.field(description="Your idempotency key for this fact.")
    case_number: str
    power_code: str
    division_code: str
    department_code: str
    action: CaseAction
    occurred_at: datetime
    node: str | None = None
    officer: str | None = None
    post: str | None = None
    opinion: str | None = None
    reason: str | None = strawberry.field(default=None, description="For SUSPEND: 听证, 检验, …")
    applicant: ApplicantInput | None = None
    key_data: list[KeyDatum] = strawberry.field(default_factory=list)
    attachments: list[AttachmentInput] = strawberry.field(default_factory=list)
    fee_charged: Decimal | None = None
    penalty_decided: Decimal | None = None

    def to_report(self) -> EventReport:
        applicant = self.applicant or ApplicantInput()
        return EventReport(
            event_id=self.event_id.strip(),
            case_number=self.case_number.strip(),
            power_code=self.power_code.strip(),
            division_code=self.division_code.strip(),
            department_code=self.department_code.strip(),
            action=self.action.value,
            occurred_at=self.occurred_at,
            node=self.node,
            officer=self.officer,
            post=self.post,
            opinion=self.opinion,
            reason=self.reason,
            applicant_name=applicant.name,
            applicant_id_number=applicant.id_number,
            applicant_credit_code=applicant.credit_code,
            applicant_phone=applicant.phone,
            key_data={d.name: d.value for d in self.key_data},
            attachments=tuple(
                AttachmentReport(a.name, a.sha256, a.size, a.media_type) for a in self.attachments
            ),
            fee_charged=self.fee_charged,
            penalty_decided=self.penalty_decided,
        )


@strawberry.enum
class ReportStatus(enum.Enum):
    ACCEPTED = "ACCEPTED"
    DUPLICATE = "DUPLICATE"
    REJECTED = "REJECTED"


@strawberry.type(description="What happened to one reported fact.")
class EventResult:
    event_id: str
    case_number: str | None
    status: ReportStatus
    code: str | None = strawberry.field(description="Why it was rejected: a stable code.")
    message: str | None
    rating_code: str | None = strawberry.field(
        default=None,
        description="评价码 (好差评): for an accepted APPROVE or REJECT, the code to hand the "
        "applicant with the result, so they can rate the case (rateCase).",
    )


@strawberry.type
class ReportCaseEventsPayload:
    results: list[EventResult] = strawberry.field(description="One per event, in order.")
    accepted: int
    duplicates: int
    rejected: int


ReportCaseEventsResult = Annotated[
    ReportCaseEventsPayload | NotPermitted | InvalidInput,
    strawberry.union("ReportCaseEventsResult"),
]


def _report_scope(info: Info) -> Scope:
    """Where the caller may report: the divisions of its grants whose role may report."""
    context = info.context
    return Scope.of(
        [
            g.division_code
            for g in context.authorizer.grants_of(context.caller.subject)
            if context.allowed("case", "report", g.division_code)
        ]
    )


def _rating_code(info: Info, event: CaseEventInput, status: str) -> str | None:
    """The case's rating code, for a decision kept (accepted now, or before: a duplicate)."""
    secret = info.context.rating_secret
    if not secret or status == "REJECTED" or event.action.value not in DECISIONS:
        return None
    return rating_code(event.case_number.strip(), secret)


@strawberry.type
class ReportCaseEventsMutation:
    @strawberry.mutation(
        description=f"监察数据采集: report up to {MAX_BATCH} facts; each is answered on its own, "
        "and good ones are kept when others are bad. Idempotent by eventId."
    )
    @permitted("case", "report")
    async def report_case_events(
        self, info: Info, events: list[CaseEventInput]
    ) -> ReportCaseEventsResult:
        if not 1 <= len(events) <= MAX_BATCH:
            return InvalidInput(
                code="BATCH_SIZE", message=f"send 1 to {MAX_BATCH} events a call", field="events"
            )
        session = info.context.session
        results = await report_events(
            session=session,
            reports=[e.to_report() for e in events],
            reporter=info.context.caller.subject,
            scope=_report_scope(info),
        )
        await session.commit()
        if info.context.relay is not None:
            info.context.relay.kick()
        return ReportCaseEventsPayload(
            results=[
                EventResult(
                    event_id=r.event_id,
                    case_number=r.case_number,
                    status=ReportStatus(r.status),
                    code=r.code,
                    message=r.message,
                    rating_code=_rating_code(info, event, r.status),
                )
                for event, r in zip(events, results, strict=True)
            ],
            accepted=sum(r.status == "ACCEPTED" for r in results),
            duplicates=sum(r.status == "DUPLICATE" for r in results),
            rejected=sum(r.status == "REJECTED" for r in results),
        )
