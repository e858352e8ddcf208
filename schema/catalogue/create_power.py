"""createPower: 新增: add a power as a draft (version 1)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.catalogue.changes import PowerPayload, actor, code_division, commit_change, payload
from schema.catalogue.errors import (
    DuplicateCode,
    InvalidCode,
    InvalidLimit,
    UnknownDepartment,
)
from schema.catalogue.inputs import PowerInput
from schema.context import Info
from schema.errors import InvalidInput, NotPermitted
from schema.permissions import permitted
from supervision.catalogue import service

CreatePowerResult = Annotated[
    PowerPayload
    | NotPermitted
    | DuplicateCode
    | InvalidCode
    | InvalidLimit
    | UnknownDepartment
    | InvalidInput,
    strawberry.union("CreatePowerResult"),
]


@strawberry.type
class CreatePowerMutation:
    @strawberry.mutation(description="新增: add a power as a draft (version 1).")
    @permitted("power", "manage", divisions=code_division)
    async def create_power(self, info: Info, code: str, input: PowerInput) -> CreatePowerResult:
        return payload(
            await commit_change(
                info,
                lambda s: service.create_power(
                    session=s, code=code.strip(), spec=input.to_spec(), actor=actor(info)
                ),
            )
        )
