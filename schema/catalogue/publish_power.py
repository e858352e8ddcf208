"""publishPower: 发布: put the latest draft in force (or resume a suspended power)."""

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

PublishPowerResult = Annotated[
    PowerPayload | NotPermitted | NotFound | WrongState,
    strawberry.union("PublishPowerResult"),
]


@strawberry.type
class PublishPowerMutation:
    @strawberry.mutation(
        description="发布: put the latest draft in force (or resume a suspended power)."
    )
    @permitted("power", "manage", divisions=code_division)
    async def publish_power(self, info: Info, code: str, note: str = "") -> PublishPowerResult:
        return payload(
            await commit_change(
                info,
                lambda s: service.publish_power(
                    session=s, code=code.strip(), actor=actor(info), note=note
                ),
            )
        )
