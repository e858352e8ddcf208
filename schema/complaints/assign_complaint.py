"""assignComplaint: 交办 to a department."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.catalogue.errors import UnknownDepartment
from schema.complaints.handling import ACT, OBJ, complaint_at, take_step
from schema.complaints.types import ComplaintPayload, WrongComplaintState
from schema.context import Info
from schema.errors import InvalidInput, NotFound, NotPermitted
from schema.permissions import permitted
from supervision.complaints import service

AssignComplaintResult = Annotated[
    ComplaintPayload
    | NotPermitted
    | NotFound
    | WrongComplaintState
    | UnknownDepartment
    | InvalidInput,
    strawberry.union("AssignComplaintResult"),
]


@strawberry.type
class AssignComplaintMutation:
    @strawberry.mutation(
        description="交办: hand an accepted complaint to a department in the caller's part of "
        "the tree to look into, or to another one (ACCEPTED or ASSIGNED → ASSIGNED)."
    )
    @permitted(OBJ, ACT, locate=complaint_at("id"))
    async def assign_complaint(
        self,
        info: Info,
        id: int,
        assignee: str = strawberry.argument(description="The department's code (承办单位)."),
        note: str | None = None,
    ) -> AssignComplaintResult:
        return await take_step(
            info,
            lambda session, scope, actor: service.assign_complaint(
                session=session,
                complaint_id=id,
                actor=actor,
                scope=scope,
                assignee=assignee,
                note=note,
            ),
        )
