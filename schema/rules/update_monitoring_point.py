"""updateMonitoringPoint: rename a point or switch it off or on."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.context import Info
from schema.errors import InvalidInput, NotFound, NotPermitted
from schema.permissions import permitted
from schema.rules.config_changes import MonitoringPointPayload, commit_config, point_payload
from supervision.rules import config

UpdateMonitoringPointResult = Annotated[
    MonitoringPointPayload | NotPermitted | NotFound | InvalidInput,
    strawberry.union("UpdateMonitoringPointResult"),
]


@strawberry.type
class UpdateMonitoringPointMutation:
    @strawberry.mutation(
        description="Rename a monitoring point, or switch it (and all its rules) off or on."
    )
    @permitted("rule", "manage")
    async def update_monitoring_point(
        self, info: Info, id: int, name: str | None = None, active: bool | None = None
    ) -> UpdateMonitoringPointResult:
        return point_payload(
            await commit_config(
                info,
                lambda s: config.update_point(
                    session=s,
                    scope=info.context.scope_for("rule", "manage"),
                    point_id=id,
                    name=name,
                    active=active,
                ),
            )
        )
