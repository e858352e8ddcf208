"""loadWorkCalendar: load a year's holidays and make-up working days (admins)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import strawberry

from schema.context import Info
from schema.errors import InvalidInput, NotPermitted
from schema.permissions import permitted
from supervision.cases.calendar import CalendarError, load_year, recompute_provisional


@strawberry.type
class LoadWorkCalendarPayload:
    year: int
    working_days: int
    recomputed_cases: int = strawberry.field(
        description="Cases whose provisional deadlines were recomputed with the loaded year."
    )


LoadWorkCalendarResult = Annotated[
    LoadWorkCalendarPayload | NotPermitted | InvalidInput,
    strawberry.union("LoadWorkCalendarResult"),
]


@strawberry.type
class LoadWorkCalendarMutation:
    @strawberry.mutation(
        description="Load the official calendar of a year chinesecalendar does not know yet: "
        "holidays on weekdays and weekend days worked instead (调休)."
    )
    @permitted("calendar", "manage")
    async def load_work_calendar(
        self, info: Info, year: int, holidays: list[date], workdays: list[date]
    ) -> LoadWorkCalendarResult:
        session = info.context.session
        try:
            working = await load_year(
                session=session,
                year=year,
                holidays=holidays,
                workdays=workdays,
                loaded_by=info.context.caller.subject,
            )
        except CalendarError as exc:
            await session.rollback()
            return InvalidInput(code=exc.code, message=str(exc))
        recomputed = await recompute_provisional(session=session, now=datetime.now(UTC))
        await session.commit()
        return LoadWorkCalendarPayload(year=year, working_days=working, recomputed_cases=recomputed)
