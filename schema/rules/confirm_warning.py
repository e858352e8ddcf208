"""confirmWarning: 确认: the warning is a violation."""

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

ConfirmWarningResult = Annotated[
    WarningPayload | NotPermitted | NotFound | WrongWarningState | InvalidInput,
    strawberry.union("ConfirmWarningResult"),
]


@strawberry.type
class ConfirmWarningMutation:
    @strawberry.mutation(
        description="确认: an inspector or supervisor confirms the warning is a violation "
        "(OPEN → CONFIRMED)."
    )
    @permitted("warning", "handle", locate=warning_at("id"))
    async def confirm_warning(
        self, info: Info, id: int, note: str | None = None
    ) -> ConfirmWarningResult:
        return warning_payload(
            await take_step(
                info,
                lambda session, scope, actor: handling.confirm_warning(
                    session=session,
                    warning_id=id,
                    actor=actor,
                    scope=scope,
                    note=note,
                ),
                info.context.scope_for("warning", "handle"),
            )
        )
