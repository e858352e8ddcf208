"""rateCase: 好差评, by whoever holds the case's rating code (anonymous)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.context import Info
from schema.errors import InvalidInput, NotPermitted
from schema.permissions import permitted
from schema.ratings.handling import user_error
from schema.ratings.types import (
    AlreadyRated,
    DimensionRatingInput,
    InvalidRatingCode,
    NotDecided,
    RatingLevel,
    RatingPayload,
)
from supervision.ratings import service


@strawberry.input(description="好差评: the case, its rating code, the level, and optionally more.")
class RateCaseInput:
    case_number: str = strawberry.field(description="办件编号, as on the result.")
    rating_code: str = strawberry.field(
        description="评价码: the code handed out with the result (XXXX-XXXX; any case, the "
        "dash optional)."
    )
    level: RatingLevel
    dimensions: list[DimensionRatingInput] = strawberry.field(
        default_factory=list,
        description="Each dimension at most once; a 差评 names at least one rated 不满意 or below.",
    )
    comment: str | None = strawberry.field(
        default=None,
        description=f"At most {service.MAX_COMMENT} characters; ID and phone numbers are masked.",
    )


RateCaseResult = Annotated[
    RatingPayload | InvalidRatingCode | NotDecided | AlreadyRated | InvalidInput | NotPermitted,
    strawberry.union("RateCaseResult"),
]


@strawberry.type
class RateCaseMutation:
    @strawberry.mutation(
        description="好差评 (GB/T 39734): the applicant rates their decided case with the rating "
        "code that came with the result; once per case, final. 不满意 or 非常不满意 opens a "
        "rectification the department must call back within 15 working days. A wrong code and "
        "an unknown case answer the same INVALID_RATING_CODE."
    )
    @permitted("rating", "rate")
    async def rate_case(self, info: Info, input: RateCaseInput) -> RateCaseResult:
        secret = info.context.rating_secret
        if not secret:
            return InvalidInput(
                code="RATINGS_UNAVAILABLE", message="ratings are not configured here", field=None
            )
        async with info.context.database.session(service.RATING_SCOPE) as session:
            try:
                rating = await service.rate_case(
                    session=session,
                    secret=secret,
                    case_number=input.case_number,
                    code=input.rating_code,
                    level=int(input.level),
                    dimensions=[(d.dimension.value, int(d.level)) for d in input.dimensions],
                    comment=input.comment,
                )
            except service.RatingError as exc:
                await session.rollback()
                return user_error(exc)
            await session.commit()
        if info.context.relay is not None:
            info.context.relay.kick()
        return RatingPayload.from_row(rating)
