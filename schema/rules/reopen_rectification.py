"""reopenRectification: 退回整改: not rectified enough; again by a new deadline."""

from __future__ import annotations

from datetime import datetime
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

ReopenRectificationResult = Annotated[
    WarningPayload | NotPermitted | NotFound | WrongWarningState | InvalidInput,
    strawberry.union("ReopenRectificationResult"),
]


@strawberry.type
class ReopenRectificationMutation:
    @strawberry.mutation(
        description="退回整改: not rectified enough; again, by a new deadline, for a reason "
        "(RECTIFIED → RECTIFYING)."
    )
    @permitted("warning", "handle", locate=warning_at("id"))
    async def reopen_rectification(
        self, info: Info, id: int, deadline: datetime, reason: str
    ) -> ReopenRectificationResult:
        return warning_payload(
            await take_step(
                info,
                lambda session, scope, actor: handling.reopen_rectification(
                    session=session,
                    warning_id=id,
                    actor=actor,
                    scope=scope,
                    deadline=deadline,
                    reason=reason,
                ),
                info.context.scope_for("warning", "handle"),
            )
        )
