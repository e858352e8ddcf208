"""orderRectification: 督办整改: order the department to rectify by a deadline."""

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

OrderRectificationResult = Annotated[
    WarningPayload | NotPermitted | NotFound | WrongWarningState | InvalidInput,
    strawberry.union("OrderRectificationResult"),
]


@strawberry.type
class OrderRectificationMutation:
    @strawberry.mutation(
        description="督办整改: the department must rectify by the deadline, as instructed "
        "(CONFIRMED → RECTIFYING)."
    )
    @permitted("warning", "handle", locate=warning_at("id"))
    async def order_rectification(
        self, info: Info, id: int, deadline: datetime, instructions: str
    ) -> OrderRectificationResult:
        return warning_payload(
            await take_step(
                info,
                lambda session, scope, actor: handling.order_rectification(
                    session=session,
                    warning_id=id,
                    actor=actor,
                    scope=scope,
                    deadline=deadline,
                    instructions=instructions,
                ),
                info.context.scope_for("warning", "handle"),
            )
        )
