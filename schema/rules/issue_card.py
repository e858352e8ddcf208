"""issueCard: 黄牌 / 红牌 to a department or one of its officers, on a confirmed violation."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.catalogue.errors import UnknownDepartment
from schema.context import Info
from schema.errors import InvalidInput, NotFound, NotPermitted
from schema.permissions import permitted
from schema.rules.handling import (
    CardPayload,
    WrongWarningState,
    card_payload,
    take_step,
    warning_at,
)
from schema.rules.types import CardLevel
from supervision.rules import handling


@strawberry.input
class IssueCardInput:
    warning_id: int
    level: CardLevel
    reason: str
    department_code: str | None = strawberry.field(
        default=None, description="The department carded; the warning's when not given."
    )
    officer: str | None = strawberry.field(
        default=None, description="The staff number of one of the department's officers."
    )


IssueCardResult = Annotated[
    CardPayload | NotPermitted | NotFound | WrongWarningState | UnknownDepartment | InvalidInput,
    strawberry.union("IssueCardResult"),
]


@strawberry.type
class IssueCardMutation:
    @strawberry.mutation(
        description="亮牌: a supervisor issues a YELLOW or RED card on a confirmed violation "
        "(CONFIRMED, RECTIFYING or RECTIFIED; the status does not change)."
    )
    @permitted("card", "issue", locate=warning_at("input.warning_id"))
    async def issue_card(self, info: Info, input: IssueCardInput) -> IssueCardResult:
        return card_payload(
            await take_step(
                info,
                lambda session, scope, actor: handling.issue_card(
                    session=session,
                    warning_id=input.warning_id,
                    actor=actor,
                    scope=scope,
                    level=input.level,
                    reason=input.reason,
                    department_code=input.department_code,
                    officer=input.officer,
                ),
                info.context.scope_for("card", "issue"),
                id_field="warningId",
            )
        )
