"""The working-day calendar in force: chinesecalendar, plus the years admins loaded."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.cases.clock import WorkCalendar
from supervision.cases.models import CalendarDay


class CalendarError(ValueError):
    code = "INVALID_CALENDAR"


async def current_calendar(*, session: AsyncSession) -> WorkCalendar:
    """The calendar as loaded now (a few hundred rows at most)."""
    rows = await session.execute(select(CalendarDay.day, CalendarDay.is_workday))
    return WorkCalendar(dict(rows.all()))


async def load_year(
    *,
    session: AsyncSession,
    year: int,
    holidays: Iterable[date],
    workdays: Iterable[date],
    loaded_by: str,
) -> int:
    """Replace a year's calendar: weekdays work, weekends rest, except the days named.

    `holidays` are days off that fall on weekdays (法定节假日), `workdays` the weekend
    days worked instead (调休上班). Returns the number of working days in the year.
    """
    holidays, workdays = set(holidays), set(workdays)
    if not 2000 <= year <= 2200:
        raise CalendarError(f"year {year} is out of range")
    stray = [d for d in holidays | workdays if d.year != year]
    if stray:
        raise CalendarError(f"{stray[0].isoformat()} is not in {year}")
    if holidays & workdays:
        raise CalendarError(f"{sorted(holidays & workdays)[0].isoformat()} is both off and on")
    days = []
    day = date(year, 1, 1)
    while day.year == year:
        workday = (day.weekday() < 5 and day not in holidays) or day in workdays
        days.append({"day": day, "is_workday": workday, "loaded_by": loaded_by})
        day += timedelta(days=1)
    await session.execute(
        delete(CalendarDay).where(CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)))
    )
    await session.execute(insert(CalendarDay), days)
    return sum(d["is_workday"] for d in days)


async def recompute_provisional(*, session: AsyncSession, now: datetime) -> int:
    """Re-derive the cases whose deadlines were provisional; how many there were.

    Their deadlines moved, so they are made due for the time-driven rules (the worker).
    """
    from supervision.cases.derive import derive_cases
    from supervision.cases.models import Case
    from supervision.rules.worker import recheck

    numbers = list(await session.scalars(select(Case.number).where(Case.clock_provisional)))
    if numbers:
        await derive_cases(
            session=session,
            case_numbers=numbers,
            calendar=await current_calendar(session=session),
            now=now,
        )
        await recheck(session=session, case_numbers=numbers, now=now)
    return len(numbers)
