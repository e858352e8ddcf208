"""suspendPower: 暂停: stop a published power for now."""

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

SuspendPowerResult = Annotated[
    PowerPayload | NotPermitted | NotFound | WrongState,
    strawberry.union("SuspendPowerResult"),
]


@strawberry.type
class SuspendPowerMutation:
    @strawberry.mutation(description="暂停: stop a published power for now.")
    @permitted("power", "manage", divisions=code_division)
    async def suspend_power(self, info: Info, code: str, reason: str) -> SuspendPowerResult:
        return payload(
            await commit_change(
                info,
                lambda s: service.suspend_power(
                    session=s, code=code.strip(), actor=actor(info), reason=reason
                ),
            )
        )
