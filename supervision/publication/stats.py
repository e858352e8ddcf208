"""公开统计: the public figures of a part of the tree, by department and by month.

Every figure counts events in the window [start, end), each in the Beijing month it happened:

- accepted (受理): cases accepted in the window.
- decided (办结): cases approved or rejected (办结通过 / 办结不通过) in the window.
- on time (按时办结): decided on or before the promised due (the legal clock's due at
  acceptance + the promised limit, pauses left out); late: after it. The on-time rate is
  on time / (on time + late); a decision reported without an acceptance has no clock and
  is neither.
- early (提前办结): a promised case (承诺件, a promise of at least one day) decided on a
  Beijing day before its promised due day. The due day is always a working day, so an early
  case left at least one working day of its promise unused. The early-completion rate is
  early / promised cases decided; on-the-spot cases (即办件, promise 0) cannot be early and
  are left out of it.
- on the spot (即办): of the cases of on-the-spot powers (the version's `on_the_spot`)
  accepted in the window, those decided on the Beijing day they were accepted. Same day
  (当场办结): the same for every case accepted in the window, whatever its power.
- working days (办理用时): per case decided with a clock, the working days the legal clock
  counted from acceptance to decision (from the day after acceptance, holidays and pauses
  left out) and the working days its promise allowed (acceptance to the promised due); the
  averages are over those cases.
- warnings (预警): raised in the window; handled: of those, the ones no longer OPEN.
- cards (黄牌 / 红牌): issued in the window.
- ratings (好差评): given in the window; satisfied: 非常满意 or 满意 (level 4 or 5);
  dissatisfied: 不满意 or 非常不满意 (level 1 or 2, the 差评 that open a rectification).
  The satisfaction rate is satisfied / ratings.

Counts come from SQL aggregates grouped by department and month. The working days need the
clock, so the decided cases' four dates come back (one narrow row each) and are counted
against a running total of working days, never by walking the calendar day by day.
Statistics are aggregates without personal data: they cover every case, published or not.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import Date, String, Text, and_, case, cast, func, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from supervision.cases.calendar import current_calendar
from supervision.cases.clock import TZ, WorkCalendar
from supervision.cases.models import Case
from supervision.catalogue.models import PowerVersion
from supervision.organisation import Department
from supervision.ratings.models import Rating
from supervision.rules.models import Card, CardLevel, Warning, WarningStatus
from tenancy.codes import tier_of
from tenancy.scope import subtree

MAX_MONTHS = 24
_DAY = timedelta(days=1)


class StatsError(ValueError):
    """The statistics cannot be given for this window."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


# -- Beijing months and days in SQL: one construct, compiled per dialect --------------------
# Asia/Shanghai has kept UTC+8 without daylight saving since 1991, so SQLite adds 8 hours.


class beijing_month(FunctionElement):  # noqa: N801 (an SQL function)
    """'YYYY-MM' of a stored (UTC) time, in Beijing."""

    type = String()
    inherit_cache = True


class beijing_date(FunctionElement):  # noqa: N801 (an SQL function)
    """The Beijing date of a stored (UTC) time."""

    type = Date()
    inherit_cache = True


def _sqlite_seconds(element, compiler, **kw) -> str:
    # whole seconds: SQLite reads times to the millisecond, rounding 23:59:59.999999 up a day
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 19)"


@compiles(beijing_month)
def _month_sqlite(element, compiler, **kw) -> str:
    return f"strftime('%Y-%m', {_sqlite_seconds(element, compiler, **kw)}, '+8 hours')"


@compiles(beijing_month, "postgresql")
def _month_postgres(element, compiler, **kw) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"to_char(timezone('Asia/Shanghai', {column}), 'YYYY-MM')"


@compiles(beijing_date)
def _date_sqlite(element, compiler, **kw) -> str:
    return f"date({_sqlite_seconds(element, compiler, **kw)}, '+8 hours')"


@compiles(beijing_date, "postgresql")
def _date_postgres(element, compiler, **kw) -> str:
    return f"CAST(timezone('Asia/Shanghai', {compiler.process(element.clauses, **kw)}) AS DATE)"


def _count_if(condition):
    return func.count(case((condition, literal_column("1"))))


# -- figures --------------------------------------------------------------------------------


@dataclass
class Figures:
    """The counts of one department, one month, or all; rates and averages follow from them."""

    accepted: int = 0
    on_the_spot_accepted: int = 0
    on_the_spot_same_day: int = 0
    decided_same_day: int = 0
    decided: int = 0
    on_time: int = 0
    late: int = 0
    promised_decided: int = 0
    early: int = 0
    working_days_used: int = 0
    working_days_promised: int = 0
    warnings_raised: int = 0
    warnings_handled: int = 0
    yellow_cards: int = 0
    red_cards: int = 0
    ratings: int = 0
    satisfied: int = 0
    dissatisfied: int = 0

    def add(self, other: Figures) -> None:
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def timed(self) -> int:
        """Decided cases the clock can judge (accepted, so with a promised due)."""
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> float | None:
        return _ratio(self.on_time, self.timed)

    @property
    def early_completion_rate(self) -> float | None:
        return _ratio(self.early, self.promised_decided)

    @property
    def on_the_spot_rate(self) -> float | None:
        return _ratio(self.on_the_spot_same_day, self.on_the_spot_accepted)

    @property
    def same_day_rate(self) -> float | None:
        return _ratio(self.decided_same_day, self.accepted)

    @property
    def average_working_days(self) -> float | None:
        return _ratio(self.working_days_used, self.timed)

    @property
    def average_promised_working_days(self) -> float | None:
        return _ratio(self.working_days_promised, self.timed)

    @property
    def warning_handling_rate(self) -> float | None:
        return _ratio(self.warnings_handled, self.warnings_raised)

    @property
    def satisfaction_rate(self) -> float | None:
        return _ratio(self.satisfied, self.ratings)


_COUNTS = tuple(f.name for f in fields(Figures))


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class PublicStats:
    """The figures of a subtree over [start, end): in all, by department, by Beijing month."""

    division_code: str
    start: datetime
    end: datetime
    totals: Figures
    by_department: list[tuple[Department, Figures]]
    by_month: list[tuple[str, Figures]]


# -- working days without walking the calendar ----------------------------------------------


class WorkdayIndex:
    """Working days counted up to each day of a span, so any stretch is one subtraction."""

    def __init__(self, running: dict[date, int]) -> None:
        self.running = running  # day -> working days from the span's first day through it

    @classmethod
    def build(cls, calendar: WorkCalendar, first: date, last: date) -> WorkdayIndex:
        running, total, day = {}, 0, first
        while day <= last:
            total += calendar.is_workday(day)[0]
            running[day] = total
            day += _DAY
        return cls(running)

    def between(self, after: date, through: date) -> int:
        """Working days in (after, through]; both days inside the span."""
        return max(0, self.running[through] - self.running[after])


def stopped_spans(pauses: Sequence, end_day: date) -> list[tuple[date, date]]:
    """The clock's stopped days (see clock._stopped_spans), merged into disjoint spans."""
    spans = []
    for start, stop in pauses:
        first = datetime.fromisoformat(start).astimezone(TZ).date() + _DAY
        last = datetime.fromisoformat(stop).astimezone(TZ).date() if stop else end_day
        if first <= last:
            spans.append((first, last))
    merged: list[tuple[date, date]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + _DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def counted_working_days(
    index: WorkdayIndex, accepted: date, through: date, stops: list[tuple[date, date]]
) -> int:
    """Working days the legal clock counts from acceptance through a day, pauses left out."""
    days = index.between(accepted, through)
    for first, last in stops:
        low, high = max(first, accepted + _DAY), min(last, through)
        if low <= high:
            days -= index.between(low - _DAY, high)
    return days


# -- the service ----------------------------------------------------------------------------


def check_query(division_code: str, start: datetime, end: datetime) -> None:
    """Raise InvalidDivisionCode or StatsError unless the statistics can be given."""
    tier_of(division_code)
    if start.tzinfo is None or end.tzinfo is None:
        raise StatsError("from and to need a time zone", "INVALID_WINDOW")
    if end <= start:
        raise StatsError("to must be after from", "INVALID_WINDOW")
    if end > start.astimezone(TZ) + relativedelta(months=MAX_MONTHS):
        raise StatsError(f"a window spans at most {MAX_MONTHS} months", "WINDOW_TOO_LONG")


def whole_days(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """[start, end) widened to Beijing midnights: 00:00 of start's day, 00:00 after end."""
    first = datetime.combine(start.astimezone(TZ).date(), time(), TZ)
    last = end.astimezone(TZ)
    stop = datetime.combine(last.date(), time(), TZ)
    if stop < last:
        stop += timedelta(days=1)
    return first, stop


def months_of(start: datetime, end: datetime) -> list[str]:
    """The Beijing months ('YYYY-MM') the window [start, end) touches, in order."""
    first = start.astimezone(TZ).date().replace(day=1)
    last = (end.astimezone(TZ) - timedelta(microseconds=1)).date().replace(day=1)
    months = []
    while first <= last:
        months.append(f"{first:%Y-%m}")
        first += relativedelta(months=1)
    return months


async def public_stats(
    *,
    session: AsyncSession,
    division_code: str,
    start: datetime,
    end: datetime,
    calendar: WorkCalendar | None = None,
) -> PublicStats:
    """公开统计 of a division and everything below it over [start, end), a fixed 8 statements.

    The window is widened to whole Beijing days: narrower windows would single out one
    case (when an unpublished case was accepted or decided, how one applicant rated).
    """
    check_query(division_code, start, end)
    start, end = whole_days(start, end)
    if calendar is None:
        calendar = await current_calendar(session=session)
    tally = _Tally()
    await _accepted(session, tally, division_code, start, end)
    await _decided(session, tally, division_code, start, end)
    await _working_days(session, tally, division_code, start, end, calendar)
    await _warnings(session, tally, division_code, start, end)
    await _cards(session, tally, division_code, start, end)
    await _ratings(session, tally, division_code, start, end)

    ids = {k for k in tally.departments if isinstance(k, int)}
    codes = {k for k in tally.departments if isinstance(k, str)}
    departments = list(
        await session.scalars(
            select(Department)
            .where(or_(Department.id.in_(ids), Department.code.in_(codes)))
            .order_by(Department.division_code, Department.code)
        )
    )
    by_department = []
    for department in departments:
        figures = Figures()
        for key in (department.id, department.code):
            if key in tally.departments:
                figures.add(tally.departments[key])
        by_department.append((department, figures))
    return PublicStats(
        division_code=division_code,
        start=start,
        end=end,
        totals=tally.totals,
        by_department=by_department,
        by_month=[(month, tally.months.get(month, Figures())) for month in months_of(start, end)],
    )


class _Tally:
    """Figures in all, by month and by department (its id, or its code for supervision rows)."""

    def __init__(self) -> None:
        self.totals = Figures()
        self.months: dict[str, Figures] = defaultdict(Figures)
        self.departments: dict[int | str | None, Figures] = defaultdict(Figures)

    def cell(self, department: int | str | None, month: str) -> tuple[Figures, ...]:
        """The figures a row of this department and month counts in."""
        return self.totals, self.months[month], self.departments[department]


def _between(column, start: datetime, end: datetime):
    return and_(column >= start, column < end)


async def _accepted(session, tally, division_code, start, end) -> None:
    month = beijing_month(Case.accepted_at)
    same_day = beijing_date(Case.decided_at) <= beijing_date(Case.accepted_at)
    rows = await session.execute(
        select(
            Case.department_id,
            month,
            func.count(),
            _count_if(PowerVersion.on_the_spot),
            _count_if(and_(PowerVersion.on_the_spot, same_day)),
            _count_if(same_day),
        )
        .select_from(Case)
        .outerjoin(PowerVersion, PowerVersion.id == Case.power_version_id)
        .where(subtree(Case.division_code, division_code), _between(Case.accepted_at, start, end))
        .group_by(Case.department_id, month)
    )
    for department_id, key, accepted, spot, spot_same_day, same in rows:
        for figures in tally.cell(department_id, key):
            figures.accepted += accepted
            figures.on_the_spot_accepted += spot
            figures.on_the_spot_same_day += spot_same_day
            figures.decided_same_day += same


async def _decided(session, tally, division_code, start, end) -> None:
    month = beijing_month(Case.decided_at)
    timed = Case.promised_due_at.is_not(None)
    promised = and_(timed, Case.promised_value >= 1)
    rows = await session.execute(
        select(
            Case.department_id,
            month,
            func.count(),
            _count_if(and_(timed, Case.decided_late.is_(False))),
            _count_if(and_(timed, Case.decided_late.is_(True))),
            _count_if(promised),
            _count_if(
                and_(promised, beijing_date(Case.decided_at) < beijing_date(Case.promised_due_at))
            ),
        )
        .where(subtree(Case.division_code, division_code), _between(Case.decided_at, start, end))
        .group_by(Case.department_id, month)
    )
    for department_id, key, decided, on_time, late, promised_decided, early in rows:
        for figures in tally.cell(department_id, key):
            figures.decided += decided
            figures.on_time += on_time
            figures.late += late
            figures.promised_decided += promised_decided
            figures.early += early


async def _working_days(session, tally, division_code, start, end, calendar) -> None:
    rows = (
        await session.execute(
            select(
                Case.department_id,
                beijing_month(Case.decided_at),
                beijing_date(Case.accepted_at),
                beijing_date(Case.decided_at),
                beijing_date(Case.promised_due_at),
                # as text: most cases never paused, and '[]' needs no decoding
                cast(Case.pauses, Text),
            ).where(
                subtree(Case.division_code, division_code),
                _between(Case.decided_at, start, end),
                Case.promised_due_at.is_not(None),
            )
        )
    ).all()
    if not rows:
        return
    first = min(min(row[2], row[3]) for row in rows)  # a decision may precede its acceptance
    last = max(max(row[2], row[3], row[4]) for row in rows)
    index = WorkdayIndex.build(calendar, first, last)
    running = index.running
    for department_id, key, accepted, decided, due, pauses in rows:
        if len(pauses) > 2:
            stops = stopped_spans(json.loads(pauses), decided)
            used = counted_working_days(index, accepted, decided, stops)
            allowed = counted_working_days(index, accepted, due, stops)
        else:  # the clock ran from the day after acceptance on, never stopped
            used = max(0, running[decided] - running[accepted])
            allowed = running[due] - running[accepted]
        for figures in tally.cell(department_id, key):
            figures.working_days_used += used
            figures.working_days_promised += allowed


async def _warnings(session, tally, division_code, start, end) -> None:
    month = beijing_month(Warning.raised_at)
    rows = await session.execute(
        select(
            Warning.department_code,
            month,
            func.count(),
            _count_if(Warning.status != WarningStatus.OPEN),
        )
        .where(
            subtree(Warning.division_code, division_code), _between(Warning.raised_at, start, end)
        )
        .group_by(Warning.department_code, month)
    )
    for department_code, key, raised, handled in rows:
        for figures in tally.cell(department_code, key):
            figures.warnings_raised += raised
            figures.warnings_handled += handled


async def _cards(session, tally, division_code, start, end) -> None:
    month = beijing_month(Card.issued_at)
    rows = await session.execute(
        select(
            Card.department_code,
            month,
            _count_if(Card.level == CardLevel.YELLOW),
            _count_if(Card.level == CardLevel.RED),
        )
        .where(subtree(Card.division_code, division_code), _between(Card.issued_at, start, end))
        .group_by(Card.department_code, month)
    )
    for department_code, key, yellow, red in rows:
        for figures in tally.cell(department_code, key):
            figures.yellow_cards += yellow
            figures.red_cards += red


async def _ratings(session, tally, division_code, start, end) -> None:
    month = beijing_month(Rating.rated_at)
    rows = await session.execute(
        select(
            Rating.department_code,
            month,
            func.count(),
            _count_if(Rating.level >= 4),
            _count_if(Rating.level <= 2),
        )
        .where(subtree(Rating.division_code, division_code), _between(Rating.rated_at, start, end))
        .group_by(Rating.department_code, month)
    )
    for department_code, key, ratings, satisfied, dissatisfied in rows:
        for figures in tally.cell(department_code, key):
            figures.ratings += ratings
            figures.satisfied += satisfied
            figures.dissatisfied += dissatisfied
