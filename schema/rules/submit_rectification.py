"""submitRectification: 整改报告: the department reports what it rectified."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.context import Info
from schema.errors import InvalidInput, NotFound, NotPermitted
from schema.permissions import permitted
from schema.rules.handling import (
    WarningPayload,
    WrongWarningState,
    take_step,
    warning_at,
    warning_payload,
)
from supervision.rules import handling

SubmitRectificationResult = Annotated[
    WarningPayload | NotPermitted | NotFound | WrongWarningState | InvalidInput,
    strawberry.union("SubmitRectificationResult"),
]


@strawberry.type
class SubmitRectificationMutation:
    @strawberry.mutation(
        description="整改报告: the department reports what it rectified (RECTIFYING → RECTIFIED)."
    )
    @permitted("rectification", "submit", locate=warning_at("id"))
    async def submit_rectification(
        self, info: Info, id: int, note: str
    ) -> SubmitRectificationResult:
        return warning_payload(
            await take_step(
                info,
                lambda session, scope, actor: handling.submit_rectification(
                    session=session,
                    warning_id=id,
                    actor=actor,
                    scope=scope,
                    note=note,
                ),
                info.context.scope_for("rectification", "submit"),
            )
        )
