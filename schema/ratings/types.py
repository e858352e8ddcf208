"""GraphQL types of ratings (好差评) and their typed errors."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.errors import UserError
from supervision.ratings import service
from supervision.ratings.models import Rating as RatingRow

RatingLevel = strawberry.enum(
    service.RatingLevel,
    description="评价等级: VERY_SATISFIED 非常满意 (5), SATISFIED 满意 (4), "
    "BASICALLY_SATISFIED 基本满意 (3), DISSATISFIED 不满意 (2), VERY_DISSATISFIED 非常不满意 (1).",
)
RatingDimension = strawberry.enum(
    service.Dimension,
    description="评价指标: EFFICIENCY 办事效率, ATTITUDE 服务态度, SERVICE_QUALITY 服务水平, "
    "GUIDE_ACCURACY 办事指南精确度, CONVENIENCE 办事便捷度.",
)
RectificationStatus = strawberry.enum(
    service.RectificationStatus,
    name="RatingRectificationStatus",
    description="差评整改: OPEN 整改中 (awaiting the callback), CALLED_BACK 已回访.",
)


@strawberry.input(description="One dimension rated.")
class DimensionRatingInput:
    dimension: RatingDimension
    level: RatingLevel


@strawberry.type(description="One dimension rated.")
class DimensionRating:
    dimension: RatingDimension
    level: RatingLevel


def _dimensions(stored: dict) -> list[DimensionRating]:
    """The dimensions rated, in the order of the table."""
    return [
        DimensionRating(dimension=d, level=service.RatingLevel(stored[d.value]))
        for d in service.Dimension
        if d.value in stored
    ]


@strawberry.type(
    description="What the applicant is told of their rating: the levels, and the "
    "rectification a bad one opened. Never the comment."
)
class RatingPayload:
    case_number: str
    level: RatingLevel
    score: int = strawberry.field(description="The level as a number, 5 非常满意 … 1 非常不满意.")
    dimensions: list[DimensionRating]
    rated_at: datetime
    rectification_due_at: datetime | None = strawberry.field(
        description="差评 (level 2 or 1): the department calls back by then (15 working days)."
    )

    @classmethod
    def from_row(cls, row: RatingRow) -> RatingPayload:
        return cls(
            case_number=row.case_number,
            level=service.RatingLevel(row.level),
            score=row.level,
            dimensions=_dimensions(row.dimensions or {}),
            rated_at=row.rated_at,
            rectification_due_at=row.rectification_due_at,
        )


@strawberry.type(description="好差评: a case's rating, as supervisors and departments see it.")
class Rating:
    id: int
    case_number: str
    division_code: str
    department_code: str
    level: RatingLevel
    score: int = strawberry.field(description="5 非常满意 … 1 非常不满意.")
    dimensions: list[DimensionRating]
    comment: str = strawberry.field(description="ID and phone numbers in it are masked.")
    rated_at: datetime
    rectification_status: RectificationStatus | None = strawberry.field(
        description="Set for a 差评 (level 2 or 1): OPEN until the callback."
    )
    rectification_due_at: datetime | None
    rectification_overdue: bool = strawberry.field(
        description="Still OPEN past its due time (RATING_NOT_RECTIFIED)."
    )
    callback_at: datetime | None = strawberry.field(description="回访: when it was recorded.")
    callback_by: str | None
    callback_note: str | None

    @classmethod
    def from_row(cls, row: RatingRow, now: datetime) -> Rating:
        status = row.rectification_status
        return cls(
            id=row.id,
            case_number=row.case_number,
            division_code=row.division_code,
            department_code=row.department_code,
            level=service.RatingLevel(row.level),
            score=row.level,
            dimensions=_dimensions(row.dimensions or {}),
            comment=row.comment,
            rated_at=row.rated_at,
            rectification_status=service.RectificationStatus(status) if status else None,
            rectification_due_at=row.rectification_due_at,
            rectification_overdue=service.is_overdue(row, now),
            callback_at=row.callback_at,
            callback_by=row.callback_by,
            callback_note=row.callback_note,
        )


@strawberry.type(description="The rating code does not fit the case number (or no such case).")
class InvalidRatingCode(UserError):
    pass


@strawberry.type(description="The case is not decided yet: rate it once it is.")
class NotDecided(UserError):
    pass


@strawberry.type(description="The case has been rated already; a rating is final.")
class AlreadyRated(UserError):
    pass


@strawberry.type(description="The rating has no open rectification to call back.")
class RectificationNotOpen(UserError):
    status: RectificationStatus | None = strawberry.field(
        description="Its rectification now (null: a rating that opened none)."
    )
