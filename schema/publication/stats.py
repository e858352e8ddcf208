"""公开统计: publicStats, the figures the portal shows of a part of the tree (anonymous)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from schema.context import Info
from schema.errors import CodedError
from schema.organisation.types import Department
from schema.permissions import can
from supervision.publication import stats
from tenancy.codes import InvalidDivisionCode
from tenancy.scope import Scope


@strawberry.type(
    description="The figures of a department, a month, or all, in a window. Rates are "
    "fractions 0..1, null when nothing was there to count."
)
class PublicFigures:
    accepted: int = strawberry.field(description="受理: cases accepted.")
    decided: int = strawberry.field(description="办结: cases approved or rejected.")
    decided_on_time: int = strawberry.field(
        description="按时办结: decided on or before the promised due (the legal clock)."
    )
    decided_late: int = strawberry.field(description="超期办结: decided after the promised due.")
    on_time_rate: float | None = strawberry.field(
        description="按时办结率: decidedOnTime / (decidedOnTime + decidedLate)."
    )
    promised_cases_decided: int = strawberry.field(
        description="承诺件 decided: cases with a promise of at least one day."
    )
    decided_early: int = strawberry.field(
        description="提前办结: promised cases decided on a day before their promised due day, "
        "so at least one working day of the promise unused."
    )
    early_completion_rate: float | None = strawberry.field(
        description="提前办结率: decidedEarly / promisedCasesDecided."
    )
    on_the_spot_accepted: int = strawberry.field(
        description="即办件 accepted: cases of on-the-spot powers."
    )
    on_the_spot_decided_same_day: int = strawberry.field(
        description="Of those, decided on the (Beijing) day they were accepted."
    )
    on_the_spot_rate: float | None = strawberry.field(
        description="即办率: onTheSpotDecidedSameDay / onTheSpotAccepted."
    )
    decided_same_day: int = strawberry.field(
        description="当场办结: cases accepted in the window and decided that same day."
    )
    same_day_rate: float | None = strawberry.field(
        description="当场办结率: decidedSameDay / accepted."
    )
    average_working_days: float | None = strawberry.field(
        description="办理用时: working days the legal clock counted from acceptance to decision "
        "(holidays and pauses left out), on average over the decided cases with a clock."
    )
    average_promised_working_days: float | None = strawberry.field(
        description="承诺时限: working days their promises allowed, on average over the same cases."
    )
    warnings_raised: int = strawberry.field(description="预警 raised.")
    warnings_handled: int = strawberry.field(description="Of those, no longer OPEN.")
    warning_handling_rate: float | None = strawberry.field(
        description="warningsHandled / warningsRaised."
    )
    yellow_cards: int = strawberry.field(description="黄牌 issued.")
    red_cards: int = strawberry.field(description="红牌 issued.")
    ratings: int = strawberry.field(description="好差评 ratings given.")
    satisfied_ratings: int = strawberry.field(description="非常满意 or 满意 (level 4 or 5).")
    dissatisfied_ratings: int = strawberry.field(
        description="差评: 不满意 or 非常不满意 (level 1 or 2)."
    )
    satisfaction_rate: float | None = strawberry.field(
        description="满意率: satisfiedRatings / ratings."
    )

    @classmethod
    def of(cls, figures: stats.Figures) -> PublicFigures:
        return cls(
            accepted=figures.accepted,
            decided=figures.decided,
            decided_on_time=figures.on_time,
            decided_late=figures.late,
            on_time_rate=figures.on_time_rate,
            promised_cases_decided=figures.promised_decided,
            decided_early=figures.early,
            early_completion_rate=figures.early_completion_rate,
            on_the_spot_accepted=figures.on_the_spot_accepted,
            on_the_spot_decided_same_day=figures.on_the_spot_same_day,
            on_the_spot_rate=figures.on_the_spot_rate,
            decided_same_day=figures.decided_same_day,
            same_day_rate=figures.same_day_rate,
            average_working_days=figures.average_working_days,
            average_promised_working_days=figures.average_promised_working_days,
            warnings_raised=figures.warnings_raised,
            warnings_handled=figures.warnings_handled,
            warning_handling_rate=figures.warning_handling_rate,
            yellow_cards=figures.yellow_cards,
            red_cards=figures.red_cards,
            ratings=figures.ratings,
            satisfied_ratings=figures.satisfied,
            dissatisfied_ratings=figures.dissatisfied,
            satisfaction_rate=figures.satisfaction_rate,
        )


@strawberry.type(description="One department's figures.")
class DepartmentFigures:
    department: Department
    figures: PublicFigures


@strawberry.type(description="One Beijing month's figures.")
class MonthFigures:
    month: str = strawberry.field(description='The Beijing month, "2025-03".')
    figures: PublicFigures


@strawberry.type(description="公开统计: a division and everything below it, over [from, to).")
class PublicStats:
    division_code: str
    from_: datetime = strawberry.field(name="from")
    to: datetime
    totals: PublicFigures
    by_department: list[DepartmentFigures] = strawberry.field(
        description="Departments with anything to count, by division and credit code."
    )
    by_month: list[MonthFigures] = strawberry.field(
        description="Every month the window touches, in order, empty ones included."
    )

    @classmethod
    def of(cls, result: stats.PublicStats) -> PublicStats:
        return cls(
            division_code=result.division_code,
            from_=result.start,
            to=result.end,
            totals=PublicFigures.of(result.totals),
            by_department=[
                DepartmentFigures(department=Department.from_row(d), figures=PublicFigures.of(f))
                for d, f in result.by_department
            ],
            by_month=[
                MonthFigures(month=month, figures=PublicFigures.of(f))
                for month, f in result.by_month
            ],
        )


@strawberry.type
class PublicStatsQueries:
    @strawberry.field(
        description="公开统计 (anonymous): accepted, decided, on-time, early-completion and "
        "on-the-spot rates, working days against the promise, warnings, cards and "
        f"satisfaction, by department and by month; a window of at most {stats.MAX_MONTHS} "
        "months (INVALID_WINDOW, WINDOW_TOO_LONG).",
        permission_classes=[can("publication", "read", division_arg="division_code")],
    )
    async def public_stats(
        self,
        info: Info,
        division_code: str,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
    ) -> PublicStats:
        # Aggregates only, over every case of the subtree: no row of any tenant leaves it.
        scope = Scope.bypass("public statistics (aggregates)")
        async with info.context.database.session(scope, read_only=True) as session:
            try:
                result = await stats.public_stats(
                    session=session, division_code=division_code, start=from_, end=to
                )
            except (InvalidDivisionCode, stats.StatsError) as exc:
                raise CodedError(str(exc), exc.code) from None
        return PublicStats.of(result)
