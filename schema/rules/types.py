"""GraphQL types of warnings (预警), their handling steps (督查督办) and cards (黄牌/红牌)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.cases.types import Case
from schema.context import Info
from supervision.rules import handling, models

WarningLevel = strawberry.enum(
    models.WarningLevel, description="预警等级: 蓝 BLUE, 黄 YELLOW, 红 RED."
)
WarningStatus = strawberry.enum(
    models.WarningStatus,
    description="OPEN 待处理, CONFIRMED 已确认, DISMISSED 已排除, RECTIFYING 整改中, "
    "RECTIFIED 已整改待验收, RESOLVED 已办结.",
)
HandlingStep = strawberry.enum(
    handling.Step,
    name="HandlingStep",
    description="督查督办 steps: CONFIRM 确认, DISMISS 排除, ISSUE_CARD 亮牌, "
    "ORDER_RECTIFICATION 督办整改, SUBMIT_RECTIFICATION 整改报告, VERIFY_RECTIFICATION 验收, "
    "REOPEN_RECTIFICATION 退回整改, CLOSE 办结.",
)
CardLevel = strawberry.enum(models.CardLevel, description="黄牌 YELLOW, 红牌 RED.")


@strawberry.type(description="One handling step of a warning, as the ledger also keeps it.")
class WarningAction:
    step: HandlingStep
    actor: str
    note: str = strawberry.field(description="The reason, instructions or note given.")
    from_status: WarningStatus
    to_status: WarningStatus
    deadline: datetime | None = strawberry.field(description="整改期限, for rectification orders.")
    event_id: str = strawberry.field(description="The ledger entry of this step.")
    at: datetime

    @classmethod
    def from_row(cls, row: models.WarningAction) -> WarningAction:
        detail = row.detail or {}
        deadline = detail.get("deadline")
        return cls(
            step=handling.Step(row.action),
            actor=row.actor,
            note=row.note,
            from_status=models.WarningStatus(detail["from"]),
            to_status=models.WarningStatus(detail["to"]),
            deadline=datetime.fromisoformat(deadline) if deadline else None,
            event_id=row.event_id,
            at=row.at,
        )


@strawberry.type(description="预警: which rule found what, on which facts, on what legal basis.")
class Warning:
    id: int
    kind: str = strawberry.field(description="The rule's kind, e.g. OVERDUE.")
    level: WarningLevel
    status: WarningStatus
    detail: str
    event_ids: list[str] = strawberry.field(description="The facts (ledger event ids) it rests on.")
    node: str | None
    legal_basis: str
    raised_at: datetime
    case_number: str
    division_code: str
    department_code: str | None = strawberry.field(description="The department of the case.")
    officer: str | None = strawberry.field(
        description="The officer in charge of the case when it was raised."
    )
    handled_by: str | None = strawberry.field(description="Who took the last handling step.")
    handled_at: datetime | None
    reason: str | None = strawberry.field(
        description="Why it was dismissed, or the note of the last handling step."
    )
    rectify_by: datetime | None = strawberry.field(description="整改期限: the last deadline set.")
    escalations: int = strawberry.field(description="How often it rose unhandled.")
    attention_division_code: str | None = strawberry.field(
        description="The division now asked to act (the tier above once escalated)."
    )

    @classmethod
    def from_row(cls, row: models.Warning) -> Warning:
        return cls(
            id=row.id,
            kind=row.kind,
            level=row.level,
            status=row.status,
            detail=row.detail,
            event_ids=list(row.event_ids),
            node=row.node,
            legal_basis=row.legal_basis,
            raised_at=row.raised_at,
            case_number=row.case_number,
            division_code=row.division_code,
            department_code=row.department_code,
            officer=row.officer,
            handled_by=row.handled_by,
            handled_at=row.handled_at,
            reason=row.reason,
            rectify_by=row.rectify_by,
            escalations=row.escalations or 0,
            attention_division_code=row.attention_code,
        )

    @strawberry.field(description="The handling steps its status allows now.")
    def next_steps(self) -> list[HandlingStep]:
        return handling.allowed_steps(models.WarningStatus(self.status))

    @strawberry.field(description="The case it is about.")
    async def case(self, info: Info) -> Case | None:
        row = await info.context.loaders.case.load(self.case_number)
        return Case.from_row(row) if row else None

    @strawberry.field(description="督查督办: every handling step, in the order taken.")
    async def actions(self, info: Info) -> list[WarningAction]:
        rows = await info.context.loaders.actions_of_warning.load(self.id)
        return [WarningAction.from_row(r) for r in rows]

    @strawberry.field(description="The cards issued on it.")
    async def cards(self, info: Info) -> list[Card]:
        return [Card.from_row(r) for r in await info.context.loaders.cards_of_warning.load(self.id)]


@strawberry.type(description="黄牌 / 红牌: issued to a department or one of its officers.")
class Card:
    id: int
    level: CardLevel
    department_code: str
    officer: str | None = strawberry.field(description="The officer's staff number, if one.")
    reason: str
    issued_by: str
    issued_at: datetime
    division_code: str
    warning_id: int

    @classmethod
    def from_row(cls, row: models.Card) -> Card:
        return cls(
            id=row.id,
            level=row.level,
            department_code=row.department_code,
            officer=row.officer,
            reason=row.reason,
            issued_by=row.issued_by,
            issued_at=row.issued_at,
            division_code=row.division_code,
            warning_id=row.warning_id,
        )

    @strawberry.field(description="The warning it was issued on.")
    async def warning(self, info: Info) -> Warning | None:
        row = await info.context.loaders.warning.load(self.warning_id)
        return Warning.from_row(row) if row else None
