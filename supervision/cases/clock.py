"""法定时限计时: when a case falls due, and how far along the clock it is.

The rules come from law, not from us:
- 《行政许可法》第四十二条: a decision is due within the statutory number of days of acceptance;
  第四十五条: time spent on hearings, tests, expert review and the like is not counted;
  第八十二条: limits given in days are working days, holidays excluded.
- 《民法典》第二百零一条: a period counted in days starts the day after the starting day;
  第二百零三条: a period whose last day is a statutory holiday ends on the day after it.

Working days follow the State Council's yearly arrangement with its make-up days (调休), read
from chinesecalendar unless an administrator loaded the year. Time spent waiting for a supplement
(补正) or suspended (暂停) does not run the clock.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

import chinese_calendar

TZ = ZoneInfo("Asia/Shanghai")
_DAY = timedelta(days=1)


class DayUnit(StrEnum):
    # Same values as supervision.catalogue.spec.DayUnit, so either may be passed.
    WORKING_DAY = "WORKING_DAY"  # 工作日
    CALENDAR_DAY = "CALENDAR_DAY"  # 自然日


@functools.cache
def _library_workday(day: date) -> bool | None:
    """chinesecalendar's answer, or None for a year it has no arrangement for."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


class WorkCalendar:
    """Working days: loaded days first, then chinesecalendar, else weekends only (provisional)."""

    def __init__(self, loaded: Mapping[date, bool] | None = None) -> None:
        self._loaded = dict(loaded or {})
        # An administrator loads a year's holidays and make-up days, not all 365 days: once any
        # day of a year is loaded, that year's other days are ordinary weekdays and weekends,
        # no longer a guess.
        self._loaded_years = {day.year for day in self._loaded}

    def is_workday(self, day: date) -> tuple[bool, bool]:
        """(whether `day` is a working day, whether that answer is only provisional)."""
        if day in self._loaded:
            return self._loaded[day], False
        known = _library_workday(day)
        if known is not None:
            return known, False
        return day.weekday() < 5, day.year not in self._loaded_years


@dataclass(frozen=True)
class Pause:
    """A stretch while supplement is awaited (补正) or the case is suspended (暂停)."""

    start: datetime
    end: datetime | None = None


@dataclass(frozen=True)
class ClockReading:
    """A case against its limit; day counts are counted working days (pauses left out)."""

    due_at: datetime
    elapsed_working_days: int
    remaining_working_days: int
    overdue_by: int
    paused: bool
    provisional: bool


def read_clock(
    *,
    calendar: WorkCalendar,
    accepted_at: datetime,
    limit_value: int,
    limit_unit: DayUnit | str,
    pauses: Sequence[Pause],
    now: datetime,
    decided_at: datetime | None = None,
) -> ClockReading:
    """Where a case stands against its limit at `now` (or at its decision, once decided)."""
    unit = DayUnit(limit_unit)
    if limit_value < 0:
        raise ValueError(f"a time limit cannot be negative: {limit_value}")
    accepted = _local_date(accepted_at)
    end_day = _local_date(decided_at) if decided_at is not None else _local_date(now)
    stops = _stopped_spans(pauses, end_day)
    provisional = False

    def workday(day: date) -> bool:
        nonlocal provisional
        working, guessed = calendar.is_workday(day)
        provisional = provisional or guessed
        return working

    if limit_value == 0:
        due = accepted  # 即办: decided the day it is accepted
    else:
        counted = 0
        days = _counted_days(accepted, stops)
        for due in days:
            counted += unit is DayUnit.CALENDAR_DAY or workday(due)
            if counted == limit_value:
                break
        # 民法典 §203: a calendar-day period ending on a day off runs on to the next working day.
        while unit is DayUnit.CALENDAR_DAY and not workday(due):
            due = next(days)

    elapsed = remaining = overdue = 0
    last = max(due, end_day)
    for day in _counted_days(accepted, stops):
        if day > last:
            break
        if not workday(day):
            continue
        if day <= end_day:
            elapsed += 1
            overdue += day > due
        else:
            remaining += 1

    paused = decided_at is None and any(
        _aware(p.start) <= now and (p.end is None or now < _aware(p.end)) for p in pauses
    )
    return ClockReading(
        due_at=datetime.combine(due, time.max, tzinfo=TZ),
        elapsed_working_days=elapsed,
        remaining_working_days=remaining,
        overdue_by=overdue,
        paused=paused,
        provisional=provisional,
    )


def _aware(moment: datetime) -> datetime:
    # A naive time would silently be read in the server's zone, not Beijing time.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"datetime must be timezone-aware: {moment!r}")
    return moment


def _local_date(moment: datetime) -> date:
    return _aware(moment).astimezone(TZ).date()


def _stopped_spans(pauses: Sequence[Pause], end_day: date) -> list[tuple[date, date]]:
    """Inclusive, sorted day spans on which the clock does not run.

    A day is stopped if the case was paused at its 00:00, so a pause from day a to day b stops
    a+1 … b; a pause still open counts as ending on `end_day` (today, or the decision day).
    """
    spans = []
    for pause in pauses:
        first = _local_date(pause.start) + _DAY
        last = _local_date(pause.end) if pause.end is not None else end_day
        if first <= last:
            spans.append((first, last))
    return sorted(spans)


def _counted_days(accepted: date, stops: list[tuple[date, date]]) -> Iterator[date]:
    """The days that run the clock, from the day after acceptance on (民法典 §201)."""
    day = accepted + _DAY
    spans = iter(stops)
    span = next(spans, None)
    while True:
        while span is not None and span[1] < day:
            span = next(spans, None)
        if span is not None and span[0] <= day:
            day = span[1] + _DAY  # overlapping spans are caught on the next turn
            continue
        yield day
        day += _DAY
