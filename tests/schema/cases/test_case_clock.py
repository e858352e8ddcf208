"""The promised clock through the API, on real dates, against the official holiday arrangements.

Every expected date below is counted by hand from the State Council's arrangement, never by
the clock under test. The rules (supervision/cases/clock.py): a limit in working days starts
the day after acceptance (民法典 §201); days off do not count, make-up working days (调休) do;
a pause from day a to day b stops a+1 … b; a case falls due at the end of its last day.
"""

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import delete, select

from supervision.cases.clock import TZ
from supervision.cases.models import CalendarDay, Case
from tenancy.scope import Scope
from tests.schema.cases.support import (
    ADMIN,
    INSPECTOR,
    SHINAN,
    case_number,
    data,
    fact,
    find_power,
    report,
)

CASE = """
query($number: String!) {
  case(number: $number) {
    number state overdue
    power { promisedLimit { value unit } }
    promisedClock {
      limit { value unit } dueAt elapsedWorkingDays remainingWorkingDays
      overdueBy paused provisional
    }
  }
}
"""

LOAD_CALENDAR = """
mutation($year: Int!, $holidays: [Date!]!, $workdays: [Date!]!) {
  loadWorkCalendar(year: $year, holidays: $holidays, workdays: $workdays) {
    __typename
    ... on LoadWorkCalendarPayload { year workingDays recomputedCases }
    ... on UserError { code message }
  }
}
"""

# 2027 as the State Council would arrange it, in its usual pattern (the official notice comes
# out each November): the weekdays off (法定节假日) and the weekend days worked (调休上班).
HOLIDAYS_2027 = [
    "2027-01-01",  # 元旦 (Fri)
    "2027-02-05",  # 春节: 除夕 (Fri) …
    "2027-02-08",
    "2027-02-09",
    "2027-02-10",
    "2027-02-11",
    "2027-02-12",  # … to 初七 (Fri); off Feb 5-13
    "2027-04-05",  # 清明 (Mon)
    "2027-05-03",  # 劳动节: May 1-5
    "2027-05-04",
    "2027-05-05",
    "2027-06-09",  # 端午 (Wed)
    "2027-09-15",  # 中秋 (Wed)
    "2027-10-01",  # 国庆: Oct 1-7
    "2027-10-04",
    "2027-10-05",
    "2027-10-06",
    "2027-10-07",
]
WORKDAYS_2027 = [
    "2027-02-20",  # Sat, for 春节
    "2027-04-25",  # Sun, for 劳动节
    "2027-05-08",  # Sat, for 劳动节
    "2027-09-26",  # Sun, for 国庆
    "2027-10-09",  # Sat, for 国庆
]


def beijing(y: int, m: int, d: int, hour: int = 10) -> datetime:
    return datetime(y, m, d, hour, tzinfo=TZ)


def end_of(y: int, m: int, d: int) -> datetime:
    """The moment a case due that day falls due: the day's last microsecond, Beijing time."""
    return datetime.combine(date(y, m, d), time.max, tzinfo=TZ)


@pytest.fixture(scope="module")
async def five_day_power(database) -> dict:
    """A 市南区 power promising a decision within 5 working days."""
    return await find_power(database, division_code=SHINAN, promised=(5, "WORKING_DAY"))


@pytest.fixture(scope="module")
async def forty_day_power(database) -> dict:
    """A 市南区 power promising a decision within 40 working days."""
    return await find_power(database, division_code=SHINAN, promised=(40, "WORKING_DAY"))


async def read_case(gql, number: str, as_: str = INSPECTOR) -> dict:
    return data(await gql(CASE, {"number": number}, as_=as_))["case"]


async def new_case(gql, home: dict, *facts: tuple) -> str:
    """A case with these facts, each (action, at) or (action, at, {fields}); its number."""
    number = case_number("clock")
    await report(
        gql, [fact(home, number, f[0], f[1], **(f[2] if len(f) > 2 else {})) for f in facts]
    )
    return number


async def test_a_case_accepted_before_national_day_2025_falls_due_after_it(gql, five_day_power):
    # Accepted Fri 26 Sep 2025. Day 1 is Sun 28 Sep, a make-up working day (Sat 27 is off);
    # day 2 Mon 29, day 3 Tue 30; 1-8 Oct are National Day and Mid-Autumn; day 4 Thu 9 Oct,
    # day 5 Fri 10 Oct. Decided that very day: on time.
    number = await new_case(
        gql,
        five_day_power,
        ("ACCEPT", beijing(2025, 9, 26)),
        ("APPROVE", beijing(2025, 10, 10, 16)),
    )

    case = await read_case(gql, number)

    assert case["power"]["promisedLimit"] == {"value": 5, "unit": "WORKING_DAY"}
    clock = case["promisedClock"]
    assert clock["limit"] == {"value": 5, "unit": "WORKING_DAY"}
    assert datetime.fromisoformat(clock["dueAt"]) == end_of(2025, 10, 10)
    assert (clock["elapsedWorkingDays"], clock["overdueBy"]) == (5, 0)
    assert case["overdue"] is False
    assert clock["provisional"] is False


async def test_a_supplement_pause_extends_the_due_date_by_the_working_days_it_stopped(
    gql, five_day_power
):
    # Supplement asked Mon 29 Sep, received Thu 9 Oct: 30 Sep … 9 Oct do not count, of which
    # Tue 30 Sep and Thu 9 Oct are working days. Day 1 Sun 28 Sep (make-up), day 2 Mon 29,
    # day 3 Fri 10 Oct, day 4 Sat 11 Oct (make-up), day 5 Mon 13 Oct: two working days later
    # than without the pause (Fri 10 Oct).
    number = await new_case(
        gql,
        five_day_power,
        ("ACCEPT", beijing(2025, 9, 26)),
        ("REQUEST_SUPPLEMENT", beijing(2025, 9, 29, 15)),
        ("RECEIVE_SUPPLEMENT", beijing(2025, 10, 9, 11)),
    )

    case = await read_case(gql, number)

    assert case["state"] == "IN_PROGRESS"
    assert datetime.fromisoformat(case["promisedClock"]["dueAt"]) == end_of(2025, 10, 13)
    assert case["promisedClock"]["paused"] is False


async def test_an_open_suspension_stops_the_clock(gql, five_day_power):
    now = datetime.now(TZ)
    number = await new_case(
        gql,
        five_day_power,
        ("ACCEPT", now - timedelta(days=3)),
        ("SUSPEND", now - timedelta(days=1), {"reason": "专家评审"}),
    )

    case = await read_case(gql, number)

    assert case["state"] == "SUSPENDED"
    assert case["promisedClock"]["paused"] is True


async def test_a_decision_after_the_due_date_is_overdue_by_the_working_days_past_it(
    gql, five_day_power
):
    # Due Fri 10 Oct 2025 (see above); decided Mon 20 Oct. Working days past the due day:
    # Sat 11 Oct (make-up), Mon 13 … Fri 17, Mon 20: 7.
    number = await new_case(
        gql, five_day_power, ("ACCEPT", beijing(2025, 9, 26)), ("APPROVE", beijing(2025, 10, 20))
    )

    case = await read_case(gql, number)

    assert case["state"] == "APPROVED"
    assert case["overdue"] is True
    assert case["promisedClock"]["overdueBy"] == 7


async def test_a_limit_reaching_into_an_unloaded_year_is_provisional_until_the_year_is_loaded(
    gql, database, forty_day_power
):
    # Accepted Fri 20 Nov 2026 (a case accepted on 24 Dec 2026 cannot be reported before that
    # day: facts from the future are refused). 2026 holds 29 working days after it: 23-27 Nov,
    # 30 Nov and the 23 weekdays of December (no holiday, no make-up day). Days 30-40 fall in
    # 2027, whose arrangement chinesecalendar does not know.
    async with database.session(Scope.bypass("test: 2027 not loaded yet")) as session:
        await session.execute(
            delete(CalendarDay).where(CalendarDay.day.between(date(2027, 1, 1), date(2027, 12, 31)))
        )
        await session.commit()
    number = await new_case(gql, forty_day_power, ("ACCEPT", beijing(2026, 11, 20)))

    before = await read_case(gql, number)

    assert before["power"]["promisedLimit"] == {"value": 40, "unit": "WORKING_DAY"}
    assert before["promisedClock"]["provisional"] is True
    # weekends only: Fri 1 Jan counts as day 30, so day 40 is Fri 15 Jan
    assert datetime.fromisoformat(before["promisedClock"]["dueAt"]) == end_of(2027, 1, 15)

    body = await gql(
        LOAD_CALENDAR,
        {"year": 2027, "holidays": HOLIDAYS_2027, "workdays": WORKDAYS_2027},
        as_=ADMIN,
    )

    loaded = body["data"]["loadWorkCalendar"]
    assert loaded["__typename"] == "LoadWorkCalendarPayload", loaded
    # 261 weekdays, less 18 weekdays off, plus 5 weekend days worked
    assert (loaded["year"], loaded["workingDays"]) == (2027, 248)
    assert loaded["recomputedCases"] >= 1
    after = await read_case(gql, number)
    assert after["promisedClock"]["provisional"] is False
    # 元旦 Fri 1 Jan is off: day 30 is Mon 4 Jan, day 34 Fri 8 Jan, day 39 Fri 15 Jan, day 40
    # Mon 18 Jan
    assert datetime.fromisoformat(after["promisedClock"]["dueAt"]) == end_of(2027, 1, 18)
    # and the stored deadline the filters read was recomputed too
    async with database.session(Scope.bypass("test: read the stored clock")) as session:
        stored = await session.scalar(select(Case).where(Case.number == number))
    assert stored.clock_provisional is False
    assert stored.promised_due_at == end_of(2027, 1, 18)


async def test_a_calendar_naming_a_day_outside_its_year_is_invalid(gql):
    body = await gql(
        LOAD_CALENDAR,
        {"year": 2027, "holidays": ["2026-12-31", *HOLIDAYS_2027], "workdays": WORKDAYS_2027},
        as_=ADMIN,
    )

    answer = body["data"]["loadWorkCalendar"]
    assert answer["__typename"] == "InvalidInput"
    assert answer["code"] == "INVALID_CALENDAR"


async def test_an_inspector_may_not_load_a_calendar(gql):
    body = await gql(
        LOAD_CALENDAR,
        {"year": 2027, "holidays": HOLIDAYS_2027, "workdays": WORKDAYS_2027},
        as_=INSPECTOR,
    )

    answer = body["data"]["loadWorkCalendar"]
    assert answer["__typename"] == "NotPermitted"
    assert answer["code"] == "NOT_PERMITTED"
