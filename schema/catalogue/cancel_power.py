"""cancelPower: 取消: cancel a power for good."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.catalogue.changes import PowerPayload, actor, code_division, commit_change, payload
from schema.catalogue.errors import (
    WrongState,
)
from schema.context import Info
from schema.errors import NotFound, NotPermitted
from schema.permissions import permitted
from supervision.catalogue import service

CancelPowerResult = Annotated[
    PowerPayload | NotPermitted | NotFound | WrongState,
    strawberry.union("CancelPowerResult"),
]


@strawberry.type
class CancelPowerMutation:
    @strawberry.mutation(description="取消: cancel a power for good.")
    @permitted("power", "manage", divisions=code_division)
    async def cancel_power(self, info: Info, code: str, reason: str) -> CancelPowerResult:
        return payload(
            await commit_change(
                info,
                lambda s: service.cancel_power(
                    session=s, code=code.strip(), actor=actor(info), reason=reason
                ),
            )
        )
