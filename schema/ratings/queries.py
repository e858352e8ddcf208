"""Queries on ratings: ratings (supervisors, department heads) and ratingCode (reporters)."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from schema.context import Info
from schema.errors import checked_division_code
from schema.pagination import Connection, connection, decode_int_cursor, page_size
from schema.permissions import can
from schema.ratings.types import Rating, RatingLevel
from supervision.ratings import codes, queries


@strawberry.input
class RatingFilter:
    division_code: str | None = strawberry.field(
        default=None, description="This division and below."
    )
    department_code: str | None = None
    level: RatingLevel | None = None
    from_: datetime | None = strawberry.field(
        default=None, name="from", description="Rated at or after (inclusive)."
    )
    to: datetime | None = strawberry.field(default=None, description="Rated before (exclusive).")
    open_rectification: bool | None = strawberry.field(
        default=None, description="true: 差评 awaiting the callback; false: all others."
    )
    overdue_rectification: bool | None = strawberry.field(
        default=None, description="true: awaiting the callback past the due time."
    )

    def to_domain(self) -> queries.RatingFilter:
        if self.division_code is not None:
            checked_division_code(self.division_code)
        return queries.RatingFilter(
            division_code=self.division_code,
            department_code=(self.department_code or "").strip() or None,
            level=int(self.level) if self.level is not None else None,
            rated_from=self.from_,
            rated_to=self.to,
            open_rectification=self.open_rectification,
            overdue_rectification=self.overdue_rectification,
        )


@strawberry.type
class RatingQueries:
    @strawberry.field(
        description="好差评 in the caller's part of the tree, newest first (supervisors, "
        "department heads, inspectors).",
        permission_classes=[can("rating", "read", division_arg="filter.division_code")],
    )
    async def ratings(
        self,
        info: Info,
        filter: RatingFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Rating]:
        limit = page_size(first)
        now = datetime.now(UTC)
        rows, total = await info.context.db(
            queries.list_ratings,
            scope=info.context.scope_for("rating", "read"),
            flt=(filter or RatingFilter()).to_domain(),
            after_id=decode_int_cursor(after),
            limit=limit + 1,
            now=now,
        )
        return connection(
            rows,
            total=total,
            limit=limit,
            key=lambda r: r.id,
            node=lambda r: Rating.from_row(r, now),
        )

    @strawberry.field(
        description="评价码: the rating code of a case in the caller's part of the tree, for "
        "the business system to hand the applicant with the result (reportCaseEvents also "
        "answers it for each decision). Null when there is no such case there.",
        permission_classes=[can("case", "report")],
    )
    async def rating_code(self, info: Info, case_number: str) -> str | None:
        secret = info.context.rating_secret
        if not secret:
            return None
        number = await info.context.db(
            queries.case_to_rate,
            case_number=case_number,
            scope=info.context.scope_for("case", "report"),
        )
        return codes.rating_code(number, secret) if number is not None else None
