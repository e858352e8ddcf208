"""createMonitoringPoint: 新增监察点, with its first rules."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.context import Info
from schema.errors import InvalidInput, NotPermitted
from schema.permissions import permitted
from schema.rules.config_changes import (
    MonitoringPointPayload,
    actor,
    commit_config,
    point_payload,
)
from schema.rules.config_inputs import MonitoringPointInput
from schema.rules.config_types import InvalidRule, UnknownPower, UnknownRuleDepartment
from supervision.rules import config

CreateMonitoringPointResult = Annotated[
    MonitoringPointPayload
    | NotPermitted
    | InvalidRule
    | UnknownPower
    | UnknownRuleDepartment
    | InvalidInput,
    strawberry.union("CreateMonitoringPointResult"),
]


@strawberry.type
class CreateMonitoringPointMutation:
    @strawberry.mutation(
        description="新增监察点: watch a subtree (optionally one power, category, department or "
        "node) with rules; they apply from the next fact, and the worker's next pass."
    )
    @permitted("rule", "manage", division_arg="input.division_code")
    async def create_monitoring_point(
        self, info: Info, input: MonitoringPointInput
    ) -> CreateMonitoringPointResult:
        return point_payload(
            await commit_config(
                info,
                lambda s: config.create_point(
                    session=s,
                    spec=input.to_spec(),
                    rules=[r.to_spec() for r in input.rules],
                    actor=actor(info),
                ),
            )
        )
