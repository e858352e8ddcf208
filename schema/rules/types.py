"""GraphQL types of warnings (预警)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.cases.types import Case
from schema.context import Info
from supervision.rules import models

WarningLevel = strawberry.enum(
    models.WarningLevel, description="预警等级: 蓝 BLUE, 黄 YELLOW, 红 RED."
)
WarningStatus = strawberry.enum(
    models.WarningStatus,
    description="OPEN 待处理, CONFIRMED 已确认, DISMISSED 已排除, RESOLVED 已整改.",
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
        )

    @strawberry.field(description="The case it is about.")
    async def case(self, info: Info) -> Case | None:
        row = await info.context.loaders.case.load(self.case_number)
        return Case.from_row(row) if row else None
