"""Live warnings for inspectors' apps, resumable by cursor."""

from __future__ import annotations

import enum
from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry

from schema.cases.subscriptions import feed
from schema.context import Info
from schema.errors import checked_division_code
from schema.permissions import can
from schema.rules.types import WarningLevel, WarningStatus
from supervision.rules.models import WarningLevel as LevelValue
from supervision.rules.models import WarningStatus as StatusValue
from tenancy.codes import prefix_of

_RANK = {LevelValue.BLUE: 0, LevelValue.YELLOW: 1, LevelValue.RED: 2}


@strawberry.enum(description="What happened to the warning.")
class WarningChange(enum.Enum):
    RAISED = "RAISED"  # 新预警
    ESCALATED = "ESCALATED"  # 升级: unhandled too long, a level up, shown to the tier above
    HANDLED = "HANDLED"  # a handling step (confirmed, dismissed, carded, rectification …)


@strawberry.type(description="A warning raised, escalated or handled; `cursor` resumes after it.")
class WarningRaised:
    cursor: str
    change: WarningChange
    warning_id: int
    case_number: str
    division_code: str
    kind: str
    level: WarningLevel
    detail: str
    raised_at: datetime
    status: WarningStatus = strawberry.field(description="The warning's status after the change.")
    step: str | None = strawberry.field(description="For HANDLED: the handling step taken.")
    attention_division_code: str | None = strawberry.field(
        description="For ESCALATED: the division now asked to act."
    )


def _change(message: dict) -> WarningChange:
    if message.get("step"):
        return WarningChange.HANDLED
    if message.get("escalated"):
        return WarningChange.ESCALATED
    return WarningChange.RAISED


@strawberry.type
class WarningSubscriptions:
    @strawberry.subscription(
        description="Warnings raised, escalated or handled under a division, at or above a "
        "level; give the last cursor you saw as `after` to receive what you missed while away.",
        permission_classes=[can("warning", "read", division_arg="division_code")],
    )
    async def warning_raised(
        self,
        info: Info,
        division_code: str,
        min_level: WarningLevel = LevelValue.BLUE,
        after: str | None = None,
    ) -> AsyncGenerator[WarningRaised, None]:
        prefix = prefix_of(checked_division_code(division_code))
        floor = _RANK[LevelValue(min_level)]

        def wanted(message: dict) -> bool:
            return (
                message["divisionCode"].startswith(prefix)
                and _RANK[LevelValue(message["level"])] >= floor
            )

        async for cursor, message in feed(info, "warning", ("warning", "read"), after, wanted):
            yield WarningRaised(
                cursor=cursor,
                change=_change(message),
                warning_id=message["warningId"],
                case_number=message["caseNumber"],
                division_code=message["divisionCode"],
                kind=message["kind"],
                level=LevelValue(message["level"]),
                detail=message["detail"],
                raised_at=datetime.fromisoformat(message["raisedAt"]),
                status=StatusValue(message.get("status", StatusValue.OPEN)),
                step=message.get("step"),
                attention_division_code=message.get("attentionCode"),
            )
