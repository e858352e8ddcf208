"""closeComplaint: 办结, or 不予受理 before acceptance."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.complaints.handling import ACT, OBJ, complaint_at, take_step
from schema.complaints.types import ComplaintPayload, WrongComplaintState
from schema.context import Info
from schema.errors import InvalidInput, NotFound, NotPermitted
from schema.permissions import permitted
from supervision.complaints import service

CloseComplaintResult = Annotated[
    ComplaintPayload | NotPermitted | NotFound | WrongComplaintState | InvalidInput,
    strawberry.union("CloseComplaintResult"),
]


@strawberry.type
class CloseComplaintMutation:
    @strawberry.mutation(
        description="办结 a replied complaint (REPLIED → CLOSED); on one not yet accepted, "
        "不予受理 (RECEIVED → CLOSED), and the note, its reason, is required."
    )
    @permitted(OBJ, ACT, locate=complaint_at("id"))
    async def close_complaint(
        self, info: Info, id: int, note: str | None = None
    ) -> CloseComplaintResult:
        return await take_step(
            info,
            lambda session, scope, actor: service.close_complaint(
                session=session, complaint_id=id, actor=actor, scope=scope, note=note
            ),
        )
