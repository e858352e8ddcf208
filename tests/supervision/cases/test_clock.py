"""The legal clock on real dates, against the official holiday arrangements."""

from datetime import UTC, date, datetime, timedelta

import pytest
from chinese_calendar import is_workday

from supervision.cases.clock import (
    TZ,
    ClockReading,
    DayUnit,
    Pause,
    WorkCalendar,
    read_clock,
)
from supervision.catalogue import spec

CALENDAR = WorkCalendar()


def at(y: int, m: int, d: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(y, m, d, hour, minute, tzinfo=TZ)


def end_of(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 23, 59, 59, 999999, tzinfo=TZ)


def read(
    accepted_at: datetime,
    limit: int,
    *,
    unit: DayUnit | str = DayUnit.WORKING_DAY,
    pauses: tuple[Pause, ...] = (),
    now: datetime | None = None,
    decided_at: datetime | None = None,
    calendar: WorkCalendar = CALENDAR,
) -> ClockReading:
    return read_clock(
        calendar=calendar,
        accepted_at=accepted_at,
        limit_value=limit,
        limit_unit=unit,
        pauses=pauses,
        now=now or accepted_at,
        decided_at=decided_at,
    )


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(n) for n in range((last - first).days + 1)]


# --- the official arrangements the tests rely on, read from the library itself ---


def test_national_day_2025_arrangement():
    off = days(date(2025, 10, 1), date(2025, 10, 8))
    assert not any(is_workday(d) for d in off)
    assert date(2025, 9, 28).weekday() == 6 and is_workday(date(2025, 9, 28))
    assert date(2025, 10, 11).weekday() == 5 and is_workday(date(2025, 10, 11))
    assert not is_workday(date(2025, 9, 27))


def test_spring_festival_2026_arrangement():
    off = days(date(2026, 2, 15), date(2026, 2, 23))
    assert not any(is_workday(d) for d in off)
    assert is_workday(date(2026, 2, 13)) and is_workday(date(2026, 2, 24))
    assert date(2026, 2, 14).weekday() == 5 and is_workday(date(2026, 2, 14))
    assert date(2026, 2, 28).weekday() == 5 and is_workday(date(2026, 2, 28))


def test_ordinary_june_2025_weeks():
    # The plain weeks most tests below run in: no holiday, no make-up day.
    june = days(date(2025, 6, 6), date(2025, 6, 30))
    assert all(is_workday(d) == (d.weekday() < 5) for d in june)


# --- working-day limits ---


def test_national_day_2025_counts_make_up_sunday_and_skips_the_holiday():
    reading = read(at(2025, 9, 26), 5)  # Friday
    # 9-28 (Sun, make-up), 9-29, 9-30, then 10-09, 10-10
    assert reading.due_at == end_of(2025, 10, 10)
    assert reading.due_at.utcoffset() == timedelta(hours=8)
    assert reading.remaining_working_days == 5
    assert reading.provisional is False


def test_national_day_2025_make_up_saturday_counts():
    # 10-09, 10-10, 10-11 (Sat, make-up)
    assert read(at(2025, 10, 8), 3).due_at == end_of(2025, 10, 11)


def test_spring_festival_2026_skips_the_nine_days_off():
    # 2-12, 2-13, 2-14 (Sat, make-up), then 2-24, 2-25
    reading = read(at(2026, 2, 11), 5, now=at(2026, 2, 20))
    assert reading.due_at == end_of(2026, 2, 25)
    assert reading.elapsed_working_days == 3
    assert reading.remaining_working_days == 2


def test_spring_festival_2026_make_up_saturday_after_the_holiday():
    # 2-25, 2-26, 2-27, 2-28 (Sat, make-up)
    assert read(at(2026, 2, 24), 4).due_at == end_of(2026, 2, 28)


def test_the_acceptance_day_is_not_counted():
    for accepted in (at(2025, 6, 9, 0, 1), at(2025, 6, 9, 23, 59)):  # Monday
        assert read(accepted, 1).due_at == end_of(2025, 6, 10)


def test_acceptance_day_is_the_beijing_date():
    # 17:30 UTC on the 9th is 01:30 on the 10th in Beijing.
    accepted = datetime(2025, 6, 9, 17, 30, tzinfo=UTC)
    assert read(accepted, 1).due_at == end_of(2025, 6, 11)


def test_working_days_from_a_friday():
    # Friday 6-6 is not counted, the weekend does not count: 6-9 … 6-13.
    assert read(at(2025, 6, 6), 5).due_at == end_of(2025, 6, 13)
    assert read(at(2025, 6, 6), 1).due_at == end_of(2025, 6, 9)


def test_a_zero_day_limit_is_due_the_day_of_acceptance():
    reading = read(at(2025, 6, 9, 9), 0, now=at(2025, 6, 9, 16))
    assert reading.due_at == end_of(2025, 6, 9)
    assert (reading.elapsed_working_days, reading.remaining_working_days) == (0, 0)
    assert reading.overdue_by == 0
    late = read(at(2025, 6, 9, 9), 0, now=at(2025, 6, 11), decided_at=at(2025, 6, 10))
    assert late.overdue_by == 1


def test_zero_day_limit_on_calendar_days_too():
    assert read(at(2025, 10, 3), 0, unit=DayUnit.CALENDAR_DAY).due_at == end_of(2025, 10, 3)


# --- calendar-day limits ---


def test_calendar_day_limit_ending_on_a_holiday_moves_to_the_next_working_day():
    assert not is_workday(date(2025, 10, 1)) and is_workday(date(2025, 10, 9))
    reading = read(at(2025, 9, 21), 10, unit=DayUnit.CALENDAR_DAY)
    assert reading.due_at == end_of(2025, 10, 9)


def test_calendar_day_limit_ending_on_a_working_day_stays():
    assert read(at(2025, 6, 9), 10, unit=DayUnit.CALENDAR_DAY).due_at == end_of(2025, 6, 19)


def test_calendar_day_limit_ending_on_a_make_up_sunday_stays():
    assert read(at(2025, 9, 18), 10, unit=DayUnit.CALENDAR_DAY).due_at == end_of(2025, 9, 28)


def test_calendar_day_limit_ending_on_a_weekend_moves_to_monday():
    # 6-9 + 12 = Saturday 6-21 → Monday 6-23
    assert read(at(2025, 6, 9), 12, unit=DayUnit.CALENDAR_DAY).due_at == end_of(2025, 6, 23)


def test_unit_may_be_a_plain_string_or_the_catalogue_enum():
    expected = end_of(2025, 10, 9)
    assert read(at(2025, 9, 21), 10, unit="CALENDAR_DAY").due_at == expected
    assert read(at(2025, 9, 21), 10, unit=spec.DayUnit.CALENDAR_DAY).due_at == expected
    assert read(at(2025, 9, 26), 5, unit=spec.DayUnit.WORKING_DAY).due_at == end_of(2025, 10, 10)


# --- pauses (补正, 暂停) ---


def test_a_supplement_pause_extends_by_the_working_days_it_excludes():
    accepted = at(2025, 6, 9)  # Monday; 10 working days → 6-23 without a pause
    assert read(accepted, 10).due_at == end_of(2025, 6, 23)
    pause = Pause(start=at(2025, 6, 11, 15), end=at(2025, 6, 17, 10))
    excluded = [d for d in days(date(2025, 6, 12), date(2025, 6, 17)) if is_workday(d)]
    assert len(excluded) == 4  # 6-12, 6-13, 6-16, 6-17
    reading = read(accepted, 10, pauses=(pause,), now=at(2025, 6, 18))
    # Four working days later than 6-23: 6-24, 6-25, 6-26, 6-27.
    assert reading.due_at == end_of(2025, 6, 27)
    assert reading.paused is False
    assert reading.elapsed_working_days == 3  # 6-10, 6-11, 6-18


def test_a_pause_over_a_holiday_excludes_only_its_working_days():
    # 9-26 + 5 → 10-10; a pause 9-29 … 10-09 stops 9-30 and 10-09 (the holiday was off anyway).
    pause = Pause(start=at(2025, 9, 29, 11), end=at(2025, 10, 9, 9))
    reading = read(at(2025, 9, 26), 5, pauses=(pause,), now=at(2025, 10, 9, 12))
    assert reading.due_at == end_of(2025, 10, 13)  # 9-28, 9-29, 10-10, 10-11 (Sat), 10-13


def test_a_pause_starting_and_ending_the_same_day_changes_nothing():
    pause = Pause(start=at(2025, 6, 11, 9), end=at(2025, 6, 11, 16))
    plain = read(at(2025, 6, 9), 10, now=at(2025, 6, 12))
    paused = read(at(2025, 6, 9), 10, pauses=(pause,), now=at(2025, 6, 12))
    assert paused == plain


def test_overlapping_pauses_exclude_each_day_once():
    pauses = (
        Pause(start=at(2025, 6, 11), end=at(2025, 6, 13)),
        Pause(start=at(2025, 6, 12), end=at(2025, 6, 17)),
        Pause(start=at(2025, 6, 14), end=at(2025, 6, 15)),
    )
    reading = read(at(2025, 6, 9), 10, pauses=pauses, now=at(2025, 6, 18))
    assert reading.due_at == end_of(2025, 6, 27)


def test_an_open_pause_stops_the_clock_and_the_deadline_moves_with_now():
    pause = Pause(start=at(2025, 6, 11, 15))
    friday = read(at(2025, 6, 9), 10, pauses=(pause,), now=at(2025, 6, 13))
    assert friday.paused is True
    # As if the pause ended today: 6-12 and 6-13 are excluded.
    assert friday.due_at == end_of(2025, 6, 25)
    assert friday.elapsed_working_days == 2
    assert friday.remaining_working_days == 8
    monday = read(at(2025, 6, 9), 10, pauses=(pause,), now=at(2025, 6, 16))
    assert monday.paused is True
    assert monday.due_at == end_of(2025, 6, 26)
    assert monday.elapsed_working_days == 2
    assert monday.remaining_working_days == 8


def test_an_open_pause_does_not_stop_the_day_it_starts():
    pause = Pause(start=at(2025, 6, 11, 15))
    reading = read(at(2025, 6, 9), 10, pauses=(pause,), now=at(2025, 6, 11, 16))
    assert reading.paused is True
    assert reading.due_at == end_of(2025, 6, 23)
    assert reading.elapsed_working_days == 2


# --- elapsed, remaining, overdue ---


def test_a_case_decided_on_time():
    reading = read(at(2025, 6, 9), 5, now=at(2025, 6, 30), decided_at=at(2025, 6, 12))
    assert reading.due_at == end_of(2025, 6, 16)
    assert reading.elapsed_working_days == 3
    assert reading.remaining_working_days == 2
    assert reading.overdue_by == 0


def test_a_case_decided_on_its_last_evening_is_not_late():
    reading = read(at(2025, 6, 9), 5, now=at(2025, 6, 30), decided_at=at(2025, 6, 16, 23, 30))
    assert (reading.elapsed_working_days, reading.remaining_working_days) == (5, 0)
    assert reading.overdue_by == 0


def test_a_case_decided_late():
    reading = read(at(2025, 6, 9), 5, now=at(2025, 6, 30), decided_at=at(2025, 6, 19))
    assert reading.due_at == end_of(2025, 6, 16)
    assert reading.elapsed_working_days == 8  # 6-10 … 6-13, 6-16 … 6-19
    assert reading.remaining_working_days == 0
    assert reading.overdue_by == 3  # 6-17, 6-18, 6-19


def test_an_open_case_past_its_deadline():
    reading = read(at(2025, 6, 9), 5, now=at(2025, 6, 21))  # Saturday
    assert reading.due_at == end_of(2025, 6, 16)
    assert reading.elapsed_working_days == 9
    assert reading.remaining_working_days == 0
    assert reading.overdue_by == 4  # 6-17 … 6-20; the Saturday is not a working day


def test_overdue_by_skips_the_holiday():
    # 9-28, 9-29, 9-30 → due 9-30; on 10-09 the case is one working day late, not nine days.
    reading = read(at(2025, 9, 26), 3, now=at(2025, 10, 9))
    assert reading.due_at == end_of(2025, 9, 30)
    assert reading.overdue_by == 1


def test_a_decided_case_is_never_paused():
    pause = Pause(start=at(2025, 6, 11, 15))
    reading = read(
        at(2025, 6, 9), 10, pauses=(pause,), now=at(2025, 6, 20), decided_at=at(2025, 6, 13)
    )
    assert reading.paused is False
    # The open pause counts as ending on the decision day: 6-12, 6-13 are not counted.
    assert reading.elapsed_working_days == 2


# --- years the library does not know ---


def test_the_library_stops_at_2026():
    assert is_workday(date(2026, 12, 31))
    with pytest.raises(NotImplementedError):
        is_workday(date(2027, 1, 4))


def test_a_deadline_reaching_into_2027_is_provisional_weekends_only():
    # 12-25, 12-28 … 12-31 in 2026; then 2027-01-01 (Fri), 01-04 … 01-07 as plain weekdays.
    reading = read(at(2026, 12, 24), 10)
    assert reading.provisional is True
    assert reading.due_at == end_of(2027, 1, 7)


def test_a_reading_that_stays_in_2026_is_not_provisional():
    assert read(at(2026, 12, 10), 5).provisional is False


def test_a_loaded_2027_calendar_makes_the_reading_final():
    loaded = WorkCalendar({date(2027, 1, 1): False, date(2027, 1, 2): True})
    ten = read(at(2026, 12, 24), 10, calendar=loaded)
    assert ten.provisional is False
    assert ten.due_at == end_of(2027, 1, 7)  # 1-02 (Sat) stands in for 1-01
    # Six working days show the loaded days at work: weekends only would end on 1-01.
    assert read(at(2026, 12, 24), 6).due_at == end_of(2027, 1, 1)
    assert read(at(2026, 12, 24), 6, calendar=loaded).due_at == end_of(2027, 1, 2)


def test_a_loaded_2027_holiday_without_make_up_day_moves_the_deadline():
    loaded = WorkCalendar({date(2027, 1, 1): False})
    reading = read(at(2026, 12, 24), 10, calendar=loaded)
    assert reading.provisional is False
    assert reading.due_at == end_of(2027, 1, 8)


def test_work_calendar_answers():
    assert CALENDAR.is_workday(date(2025, 9, 28)) == (True, False)
    assert CALENDAR.is_workday(date(2025, 10, 1)) == (False, False)
    assert CALENDAR.is_workday(date(2027, 1, 2)) == (False, True)  # Saturday, guessed
    assert CALENDAR.is_workday(date(2027, 1, 4)) == (True, True)
    loaded = WorkCalendar({date(2027, 1, 1): False})
    assert loaded.is_workday(date(2027, 1, 1)) == (False, False)
    assert loaded.is_workday(date(2027, 3, 1)) == (True, False)  # the year is loaded
    assert loaded.is_workday(date(2028, 3, 1)) == (True, True)  # but not the next one


def test_loaded_days_win_over_the_library():
    assert not is_workday(date(2026, 10, 1))
    assert is_workday(date(2026, 9, 30)) and is_workday(date(2026, 10, 8))
    assert read(at(2026, 9, 30), 1).due_at == end_of(2026, 10, 8)
    loaded = WorkCalendar({date(2026, 10, 1): True})
    assert loaded.is_workday(date(2026, 10, 1)) == (True, False)
    assert loaded.is_workday(date(2026, 10, 2)) == (False, False)  # the library still answers
    assert read(at(2026, 9, 30), 1, calendar=loaded).due_at == end_of(2026, 10, 1)


# --- guards and size ---


def test_naive_datetimes_and_negative_limits_are_refused():
    with pytest.raises(ValueError):
        read(datetime(2025, 6, 9, 10), 5, now=at(2025, 6, 10))
    with pytest.raises(ValueError):
        read(at(2025, 6, 9), -1)


def test_the_longest_limit_is_quick():
    reading = read(at(2010, 1, 4), 3650, unit=DayUnit.CALENDAR_DAY, now=at(2012, 1, 4))
    assert reading.due_at.date() >= date(2020, 1, 1)
    assert reading.provisional is False
    long = read(at(2010, 1, 4), 3650, now=at(2012, 1, 4))
    assert long.due_at.date().year == 2024
    assert long.elapsed_working_days + long.remaining_working_days == 3650
