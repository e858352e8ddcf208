"""recordRatingCallback: 回访 — the department called the applicant of a 差评 back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from schema.context import Info
from schema.errors import InvalidInput, NotFound, NotPermitted
from schema.permissions import permitted
from schema.ratings.handling import rating_at, user_error
from schema.ratings.types import Rating, RectificationNotOpen
from supervision.ratings import service


@strawberry.type
class RatingCallbackPayload:
    rating: Rating


RecordRatingCallbackResult = Annotated[
    RatingCallbackPayload | NotFound | RectificationNotOpen | InvalidInput | NotPermitted,
    strawberry.union("RecordRatingCallbackResult"),
]


@strawberry.type
class RecordRatingCallbackMutation:
    @strawberry.mutation(
        description="回访: a department head or supervisor of the case's division records the "
        "callback of a 差评, which closes its rectification (OPEN → CALLED_BACK); who and when "
        "are kept with the note."
    )
    @permitted("rating", "callback", locate=rating_at("id"))
    async def record_rating_callback(
        self, info: Info, id: int, note: str
    ) -> RecordRatingCallbackResult:
        session = info.context.session
        now = datetime.now(UTC)
        try:
            rating = await service.record_callback(
                session=session,
                rating_id=id,
                actor=info.context.caller.subject or "anonymous",
                note=note,
                scope=info.context.scope_for("rating", "callback"),
                now=now,
            )
        except service.RatingError as exc:
            await session.rollback()
            return user_error(exc)
        except BaseException:
            await session.rollback()
            raise
        await session.commit()
        if info.context.relay is not None:
            info.context.relay.kick()
        return RatingCallbackPayload(rating=Rating.from_row(rating, now))
