"""acceptComplaint: 受理."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.complaints.handling import ACT, OBJ, complaint_at, take_step
from schema.complaints.types import ComplaintPayload, WrongComplaintState
from schema.context import Info
from schema.errors import InvalidInput, NotFound, NotPermitted
from schema.permissions import permitted
from supervision.complaints import service

AcceptComplaintResult = Annotated[
    ComplaintPayload | NotPermitted | NotFound | WrongComplaintState | InvalidInput,
    strawberry.union("AcceptComplaintResult"),
]


@strawberry.type
class AcceptComplaintMutation:
    @strawberry.mutation(
        description="受理: a supervisor takes the complaint up (RECEIVED → ACCEPTED)."
    )
    @permitted(OBJ, ACT, locate=complaint_at("id"))
    async def accept_complaint(
        self, info: Info, id: int, note: str | None = None
    ) -> AcceptComplaintResult:
        return await take_step(
            info,
            lambda session, scope, actor: service.accept_complaint(
                session=session, complaint_id=id, actor=actor, scope=scope, note=note
            ),
        )
