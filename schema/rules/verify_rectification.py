"""verifyRectification: 验收: the rectification holds; the warning is resolved."""

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

VerifyRectificationResult = Annotated[
    WarningPayload | NotPermitted | NotFound | WrongWarningState | InvalidInput,
    strawberry.union("VerifyRectificationResult"),
]


@strawberry.type
class VerifyRectificationMutation:
    @strawberry.mutation(description="验收: the rectification holds (RECTIFIED → RESOLVED).")
    @permitted("warning", "handle", locate=warning_at("id"))
    async def verify_rectification(
        self, info: Info, id: int, note: str | None = None
    ) -> VerifyRectificationResult:
        return warning_payload(
            await take_step(
                info,
                lambda session, scope, actor: handling.verify_rectification(
                    session=session,
                    warning_id=id,
                    actor=actor,
                    scope=scope,
                    note=note,
                ),
                info.context.scope_for("warning", "handle"),
            )
        )
