"""replyComplaint: 答复."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.complaints.handling import ACT, OBJ, complaint_at, take_step
from schema.complaints.types import ComplaintPayload, WrongComplaintState
from schema.context import Info
from schema.errors import InvalidInput, NotFound, NotPermitted
from schema.permissions import permitted
from supervision.complaints import service

ReplyComplaintResult = Annotated[
    ComplaintPayload | NotPermitted | NotFound | WrongComplaintState | InvalidInput,
    strawberry.union("ReplyComplaintResult"),
]


@strawberry.type
class ReplyComplaintMutation:
    @strawberry.mutation(
        description="答复: the answer whoever holds the tracking code reads (ACCEPTED or "
        "ASSIGNED → REPLIED)."
    )
    @permitted(OBJ, ACT, locate=complaint_at("id"))
    async def reply_complaint(self, info: Info, id: int, reply: str) -> ReplyComplaintResult:
        return await take_step(
            info,
            lambda session, scope, actor: service.reply_complaint(
                session=session, complaint_id=id, actor=actor, scope=scope, reply=reply
            ),
        )
