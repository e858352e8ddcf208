"""GraphQL types of cases (办件): state, clock, steps, attachments."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal

import strawberry
from strawberry import relay

from schema.catalogue.types import DayUnit, Power, TimeLimit
from schema.context import Info
from schema.divisions.types import Division
from schema.organisation.types import Department
from schema.permissions import can
from supervision import masking
from supervision.cases import models
from supervision.cases.derive import clock_of, is_overdue
from supervision.cases.models import SUPERVISION_ACTIONS
from supervision.cases.queries import get_case

CaseState = strawberry.enum(
    models.CaseState,
    description="受理 ACCEPTED, 正在办理 IN_PROGRESS, 补正 SUPPLEMENT_REQUESTED, 暂停 SUSPENDED, "
    "退回 RETURNED, 办结通过 APPROVED, 办结不通过 REJECTED, 撤回 WITHDRAWN (申请 SUBMITTED).",
)
CaseAction = strawberry.enum(models.Action, description="What a reported fact did to a case.")


@strawberry.type(description="法定/承诺时限: where a case stands against one limit.")
class CaseClock:
    limit: TimeLimit
    due_at: datetime
    elapsed_working_days: int
    remaining_working_days: int
    overdue_by: int = strawberry.field(description="Working days past the due day.")
    paused: bool = strawberry.field(description="The clock is stopped (补正 or 暂停).")
    provisional: bool = strawberry.field(
        description="Reaches into a year whose holidays are not loaded yet: weekends only."
    )


@strawberry.type(description="The applicant, masked: 张**, 3702**********1234, 138****5678.")
class Applicant:
    name: str | None
    id_number: str | None
    credit_code: str | None = strawberry.field(description="A company's: public, not masked.")
    phone: str | None


@strawberry.type(description="A reported fact that breaks the procedure, for the rule engine.")
class Anomaly:
    event_id: str
    kind: str
    detail: str


@strawberry.type(description="留痕: one step of a case as the ledger holds it.")
class Step:
    event_id: str
    action: CaseAction
    node: str | None
    officer: str | None
    post: str | None
    opinion: str | None
    reason: str | None
    occurred_at: datetime
    recorded_at: datetime
    hash: str = strawberry.field(description="The ledger hash of this fact.")

    @classmethod
    def from_entry(cls, entry: models.LedgerEntry) -> Step:
        body = json.loads(entry.body)
        return cls(
            event_id=entry.event_id,
            action=entry.action,
            node=body.get("node"),
            officer=body.get("officer"),
            post=body.get("post"),
            opinion=body.get("opinion"),
            reason=body.get("reason"),
            occurred_at=entry.occurred_at,
            recorded_at=entry.recorded_at,
            hash=entry.hash,
        )


@strawberry.type(description="附件锁定: an attachment kept by its SHA-256, every version.")
class CaseAttachment:
    name: str
    version: int
    sha256: str
    size: int
    media_type: str
    event_id: str
    recorded_at: datetime


@strawberry.type(description="办件: one case under one power.")
class Case(relay.Node):
    key: relay.NodeID[str]
    number: str
    state: CaseState
    node: str | None = strawberry.field(description="The procedure node reached.")
    division_code: str
    power_code: str
    submitted_at: datetime | None
    accepted_at: datetime | None
    decided_at: datetime | None
    published_at: datetime | None = strawberry.field(
        description="公示: when the department published the result (a PUBLISH fact)."
    )
    anomalies: list[Anomaly]
    fees_charged: list[Decimal]
    penalty_decided: Decimal | None
    row: strawberry.Private[models.Case]

    @classmethod
    def from_row(cls, row: models.Case) -> Case:
        return cls(
            key=row.number,
            number=row.number,
            state=row.state,
            node=row.node,
            division_code=row.division_code,
            power_code=row.power_code,
            submitted_at=row.submitted_at,
            accepted_at=row.accepted_at,
            decided_at=row.decided_at,
            published_at=row.published_at,
            anomalies=[
                Anomaly(event_id=a["eventId"], kind=a["kind"], detail=a["detail"])
                for a in row.anomalies
            ],
            fees_charged=[Decimal(f) for f in row.amounts.get("fees", [])],
            penalty_decided=Decimal(row.amounts["penalty"]) if row.amounts.get("penalty") else None,
            row=row,
        )

    @strawberry.field
    def applicant(self) -> Applicant:
        data = self.row.applicant or {}
        return Applicant(
            name=masking.mask_name(data.get("name")),
            id_number=masking.mask_id_number(data.get("idNumber")),
            credit_code=data.get("creditCode"),
            phone=masking.mask_phone(data.get("phone")),
        )

    async def _clock(self, info: Info, limit: str) -> CaseClock | None:
        reading = clock_of(
            self.row, limit, calendar=await info.context.loaders.calendar(), now=datetime.now(UTC)
        )
        if reading is None:
            return None
        value, unit = (
            (self.row.promised_value, self.row.promised_unit)
            if limit == "promised"
            else (self.row.statutory_value, self.row.statutory_unit)
        )
        return CaseClock(
            limit=TimeLimit(value=value, unit=DayUnit(unit)),
            due_at=reading.due_at,
            elapsed_working_days=reading.elapsed_working_days,
            remaining_working_days=reading.remaining_working_days,
            overdue_by=reading.overdue_by,
            paused=reading.paused,
            provisional=reading.provisional,
        )

    @strawberry.field(description="承诺时限: the clock against the promised limit.")
    async def promised_clock(self, info: Info) -> CaseClock | None:
        return await self._clock(info, "promised")

    @strawberry.field(description="法定时限: the clock against the statutory limit.")
    async def statutory_clock(self, info: Info) -> CaseClock | None:
        return await self._clock(info, "statutory")

    @strawberry.field(
        description="Late against the promised limit (decided late, or open past it)."
    )
    def overdue(self) -> bool:
        return is_overdue(self.row, datetime.now(UTC))

    @strawberry.field(description="The version of the power in force when the case was accepted.")
    async def power(self, info: Info) -> Power | None:
        if self.row.power_version_id is None:
            return None
        row = await info.context.loaders.power_version.load(self.row.power_version_id)
        return Power.from_row(row) if row else None

    @strawberry.field
    async def department(self, info: Info) -> Department:
        return Department.from_row(
            await info.context.loaders.department.load(self.row.department_id)
        )

    @strawberry.field
    async def division(self, info: Info) -> Division:
        return Division.from_row(await info.context.loaders.division.load(self.division_code))

    @strawberry.field(description="Every reported step, in the order it happened.")
    async def steps(self, info: Info) -> list[Step]:
        entries = await info.context.loaders.steps_of_case.load(self.number)
        return [Step.from_entry(e) for e in entries if e.action not in SUPERVISION_ACTIONS]

    @strawberry.field(
        description="督查督办: the supervision steps taken on the case's warnings (confirmed, "
        "dismissed, carded, rectification …), as the ledger keeps them; for those who may "
        "read warnings, not for the officers supervised.",
        permission_classes=[can("warning", "read")],
    )
    async def supervision_steps(self, info: Info) -> list[Step] | None:
        entries = await info.context.loaders.steps_of_case.load(self.number)
        return [Step.from_entry(e) for e in entries if e.action in SUPERVISION_ACTIONS]

    @strawberry.field
    async def attachments(self, info: Info) -> list[CaseAttachment]:
        rows = await info.context.loaders.attachments_of_case.load(self.number)
        return [
            CaseAttachment(
                name=a.name,
                version=a.version,
                sha256=a.sha256,
                size=a.size,
                media_type=a.media_type,
                event_id=a.event_id,
                recorded_at=a.recorded_at,
            )
            for a in rows
        ]

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Case | None]:
        scope = info.context.scope_for("case", "read")
        found = []
        for number in node_ids:
            row = await info.context.db(get_case, number=number, scope=scope)
            found.append(Case.from_row(row) if row else None)
        return found
