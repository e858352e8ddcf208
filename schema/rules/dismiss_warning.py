"""dismissWarning: 排除: the warning is not a violation."""

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

DismissWarningResult = Annotated[
    WarningPayload | NotPermitted | NotFound | WrongWarningState | InvalidInput,
    strawberry.union("DismissWarningResult"),
]


@strawberry.type
class DismissWarningMutation:
    @strawberry.mutation(
        description="排除: not a violation, for a reason (required) (OPEN → DISMISSED)."
    )
    @permitted("warning", "handle", locate=warning_at("id"))
    async def dismiss_warning(self, info: Info, id: int, reason: str) -> DismissWarningResult:
        return warning_payload(
            await take_step(
                info,
                lambda session, scope, actor: handling.dismiss_warning(
                    session=session,
                    warning_id=id,
                    actor=actor,
                    scope=scope,
                    reason=reason,
                ),
                info.context.scope_for("warning", "handle"),
            )
        )
