"""mergePowers: 合并: cancel several powers and add the one they merge into, as a draft."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.catalogue.changes import PowerPayload, actor, commit_change, payload
from schema.catalogue.errors import (
    DuplicateCode,
    InvalidCode,
    InvalidLimit,
    UnknownDepartment,
    WrongState,
)
from schema.catalogue.inputs import NewPowerInput
from schema.context import Info
from schema.errors import InvalidInput, NotFound, NotPermitted
from schema.permissions import permitted
from supervision.catalogue import service
from supervision.catalogue.codes import division_of

MergePowersResult = Annotated[
    PowerPayload
    | NotPermitted
    | NotFound
    | WrongState
    | DuplicateCode
    | InvalidCode
    | InvalidLimit
    | UnknownDepartment
    | InvalidInput,
    strawberry.union("MergePowersResult"),
]


def _divisions(kwargs: dict) -> list[str | None]:
    return [division_of(code.strip()) for code in (*kwargs["codes"], kwargs["into"].code)]


@strawberry.type
class MergePowersMutation:
    @strawberry.mutation(description="合并: merge two or more powers into a new one.")
    @permitted("power", "manage", divisions=_divisions)
    async def merge_powers(
        self, info: Info, codes: list[str], into: NewPowerInput, note: str = ""
    ) -> MergePowersResult:
        return payload(
            await commit_change(
                info,
                lambda s: service.merge_powers(
                    session=s,
                    codes_=[c.strip() for c in codes],
                    into_code=into.code.strip(),
                    into_spec=into.power.to_spec(),
                    actor=actor(info),
                    note=note,
                ),
            )
        )
