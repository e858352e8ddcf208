"""closeWarning: 办结: a confirmed violation that needs no rectification."""

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

CloseWarningResult = Annotated[
    WarningPayload | NotPermitted | NotFound | WrongWarningState | InvalidInput,
    strawberry.union("CloseWarningResult"),
]


@strawberry.type
class CloseWarningMutation:
    @strawberry.mutation(
        description="办结: a confirmed violation that needs no rectification, with a note "
        "(CONFIRMED → RESOLVED)."
    )
    @permitted("warning", "handle", locate=warning_at("id"))
    async def close_warning(self, info: Info, id: int, note: str) -> CloseWarningResult:
        return warning_payload(
            await take_step(
                info,
                lambda session, scope, actor: handling.close_warning(
                    session=session,
                    warning_id=id,
                    actor=actor,
                    scope=scope,
                    note=note,
                ),
                info.context.scope_for("warning", "handle"),
            )
        )
