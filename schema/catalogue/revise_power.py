"""revisePower: 变更: write a new draft version; the version in force stays until published."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.catalogue.changes import PowerPayload, actor, code_division, commit_change, payload
from schema.catalogue.errors import (
    InvalidCode,
    InvalidLimit,
    UnknownDepartment,
    WrongState,
)
from schema.catalogue.inputs import PowerInput
from schema.context import Info
from schema.errors import InvalidInput, NotFound, NotPermitted
from schema.permissions import permitted
from supervision.catalogue import service

RevisePowerResult = Annotated[
    PowerPayload
    | NotPermitted
    | NotFound
    | WrongState
    | InvalidCode
    | InvalidLimit
    | UnknownDepartment
    | InvalidInput,
    strawberry.union("RevisePowerResult"),
]


@strawberry.type
class RevisePowerMutation:
    @strawberry.mutation(
        description="变更: write a new draft version; the version in force stays until published."
    )
    @permitted("power", "manage", divisions=code_division)
    async def revise_power(
        self, info: Info, code: str, input: PowerInput, note: str = ""
    ) -> RevisePowerResult:
        return payload(
            await commit_change(
                info,
                lambda s: service.revise_power(
                    session=s, code=code.strip(), spec=input.to_spec(), actor=actor(info), note=note
                ),
            )
        )
