"""splitPower: 拆分: cancel a power and add the powers it splits into, as drafts."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.catalogue.changes import PowersPayload, actor, commit_change
from schema.catalogue.errors import (
    DuplicateCode,
    InvalidCode,
    InvalidLimit,
    UnknownDepartment,
    WrongState,
)
from schema.catalogue.inputs import NewPowerInput
from schema.catalogue.types import Power
from schema.context import Info
from schema.errors import InvalidInput, NotFound, NotPermitted, UserError
from schema.permissions import permitted
from supervision.catalogue import service
from supervision.catalogue.codes import division_of

SplitPowerResult = Annotated[
    PowersPayload
    | NotPermitted
    | NotFound
    | WrongState
    | DuplicateCode
    | InvalidCode
    | InvalidLimit
    | UnknownDepartment
    | InvalidInput,
    strawberry.union("SplitPowerResult"),
]


def _divisions(kwargs: dict) -> list[str | None]:
    codes = [kwargs["code"], *(item.code for item in kwargs["into"])]
    return [division_of(code.strip()) for code in codes]


@strawberry.type
class SplitPowerMutation:
    @strawberry.mutation(description="拆分: split a power into two or more new ones.")
    @permitted("power", "manage", divisions=_divisions)
    async def split_power(
        self, info: Info, code: str, into: list[NewPowerInput], note: str = ""
    ) -> SplitPowerResult:
        result = await commit_change(
            info,
            lambda s: service.split_power(
                session=s,
                code=code.strip(),
                into=[(item.code.strip(), item.power.to_spec()) for item in into],
                actor=actor(info),
                note=note,
            ),
        )
        if isinstance(result, UserError):
            return result
        return PowersPayload(powers=[Power.from_row(row) for row in result])
