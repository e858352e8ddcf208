"""cases(filter, orderBy, first, after) and case(number): filters, order, pages, access, SQL.

Each test reports its own cases, accepted in a window of 2021-2023 that no other test uses, and
filters on that window: the session database also holds other tests' cases.
"""

import itertools
from datetime import datetime, timedelta

import pytest

from supervision.cases.clock import TZ
from tests.schema.cases.support import (
    ADMIN,
    HONG_KONG_ROAD,
    INSPECTOR,
    SHIBEI,
    SHINAN,
    case_number,
    data,
    error_code,
    fact,
    find_power,
    report,
)

CASES = """
query($filter: CaseFilter, $orderBy: CaseOrder, $first: Int, $after: String) {
  cases(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { number state divisionCode powerCode acceptedAt overdue }
  }
}
"""

CASE = """
query($number: String!) { case(number: $number) { number divisionCode } }
"""

DUE_AT = """query($n: String!) { case(number: $n) { promisedClock { dueAt } } }"""

# The page whose SQL statements are counted: every relation a client list shows.
PAGE = """
query($filter: CaseFilter, $first: Int) {
  cases(filter: $filter, first: $first, orderBy: {field: ACCEPTED_AT, descending: false}) {
    totalCount
    nodes {
      number state
      power { name nodes { name } }
      department { name }
      steps { action }
      attachments { name }
      promisedClock { dueAt }
    }
  }
}
"""

_windows = itertools.count()


def window() -> tuple[datetime, datetime]:
    """Forty days of 2021-2023 that only the calling test accepts cases in."""
    start = datetime(2021, 1, 4, 9, 0, tzinfo=TZ) + timedelta(days=40 * next(_windows))
    assert start.year <= 2023, "out of windows: widen them"
    return start, start + timedelta(days=40)


def within(start: datetime, end: datetime, **more) -> dict:
    return {"acceptedFrom": start.isoformat(), "acceptedTo": end.isoformat(), **more}


async def numbers(gql, filter_: dict, as_: str = ADMIN, order: dict | None = None) -> list[str]:
    variables = {"filter": filter_, "first": 100}
    if order is not None:
        variables["orderBy"] = order
    return [c["number"] for c in data(await gql(CASES, variables, as_=as_))["cases"]["nodes"]]


@pytest.fixture(scope="module")
async def homes(database, licensing_power) -> dict[str, dict]:
    """Powers to report under: 市南区's licensing one, another department's, a town's, 市北区's."""
    return {
        "shinan": licensing_power,
        "other": await find_power(
            database, division_code=SHINAN, not_department=licensing_power["departmentCode"]
        ),
        "town": await find_power(database, division_code=HONG_KONG_ROAD),
        "shibei": await find_power(database, division_code=SHIBEI),
    }


async def accept(gql, home: dict, at: datetime, *later: tuple[str, datetime, dict]) -> str:
    """A new case accepted at `at`, then the later facts (action, at, fields); its number."""
    number = case_number("q")
    events = [fact(home, number, "ACCEPT", at)]
    events += [fact(home, number, action, when, **fields) for action, when, fields in later]
    await report(gql, events)
    return number


# --- filters ---


async def test_filtering_by_division_takes_it_and_everything_below(gql, homes):
    start, end = window()
    district = await accept(gql, homes["shinan"], start)
    town = await accept(gql, homes["town"], start + timedelta(days=1))
    other_district = await accept(gql, homes["shibei"], start + timedelta(days=2))

    assert sorted(await numbers(gql, within(start, end, divisionCode=SHINAN))) == sorted(
        [district, town]
    )
    assert await numbers(gql, within(start, end, divisionCode=HONG_KONG_ROAD)) == [town]
    assert sorted(await numbers(gql, within(start, end, divisionCode="370200000000"))) == sorted(
        [district, town, other_district]
    )


async def test_filtering_by_state_lists_only_cases_in_that_state(gql, homes):
    start, end = window()
    home = homes["shinan"]
    accepted = await accept(gql, home, start)
    approved = await accept(gql, home, start, ("APPROVE", start + timedelta(days=1), {}))
    in_progress = await accept(
        gql, home, start, ("ADVANCE", start + timedelta(hours=2), {"node": "审查"})
    )

    assert await numbers(gql, within(start, end, state="ACCEPTED")) == [accepted]
    assert await numbers(gql, within(start, end, state="APPROVED")) == [approved]
    assert await numbers(gql, within(start, end, state="IN_PROGRESS")) == [in_progress]
    assert await numbers(gql, within(start, end, state="REJECTED")) == []


async def test_filtering_by_power_code_lists_only_that_powers_cases(gql, homes):
    start, end = window()
    licensing = await accept(gql, homes["shinan"], start)
    other = await accept(gql, homes["other"], start)

    by_licensing = within(start, end, powerCode=homes["shinan"]["powerCode"])
    by_other = within(start, end, powerCode=homes["other"]["powerCode"])
    assert await numbers(gql, by_licensing) == [licensing]
    assert await numbers(gql, by_other) == [other]


async def test_filtering_by_department_code_lists_only_that_departments_cases(gql, homes):
    start, end = window()
    licensing = await accept(gql, homes["shinan"], start)
    other = await accept(gql, homes["other"], start)

    by_licensing = within(start, end, departmentCode=homes["shinan"]["departmentCode"])
    by_other = within(start, end, departmentCode=homes["other"]["departmentCode"])
    assert await numbers(gql, by_licensing) == [licensing]
    assert await numbers(gql, by_other) == [other]
    assert await numbers(gql, within(start, end, departmentCode="no-such-department")) == []


async def test_accepted_from_is_inclusive_and_accepted_to_exclusive(gql, homes):
    start, end = window()
    days = [start + timedelta(days=n) for n in (1, 3, 5)]
    first, middle, last = [await accept(gql, homes["shinan"], day) for day in days]

    assert await numbers(gql, within(days[1], days[2])) == [middle]
    assert sorted(await numbers(gql, within(days[0], days[2]))) == sorted([first, middle])
    assert await numbers(gql, within(days[0] + timedelta(seconds=1), days[1])) == []
    assert await numbers(gql, within(days[2], end)) == [last]


async def test_filtering_by_overdue_splits_late_cases_from_the_rest(gql, homes):
    start, end = window()
    home = homes["shinan"]  # its promised limit is a few weeks at most: long past
    still_open = await accept(gql, home, start)
    on_time = await accept(gql, home, start, ("APPROVE", start + timedelta(days=1), {}))
    decided_late = await accept(gql, home, start, ("APPROVE", start + timedelta(days=35), {}))

    late = await numbers(gql, within(start, end, overdue=True))
    not_late = await numbers(gql, within(start, end, overdue=False))

    assert sorted(late) == sorted([still_open, decided_late])
    assert not_late == [on_time]


async def test_due_before_lists_cases_falling_due_before_that_moment(gql, homes):
    start, end = window()
    early = await accept(gql, homes["shinan"], start)
    late = await accept(gql, homes["shinan"], start + timedelta(days=30))
    due = data(await gql(DUE_AT, {"n": early}, as_=ADMIN))["case"]["promisedClock"]["dueAt"]
    due_at = datetime.fromisoformat(due)

    just_after = (due_at + timedelta(hours=1)).isoformat()
    assert await numbers(gql, within(start, end, dueBefore=just_after)) == [early]
    # strictly before: a case due at that very moment is not listed
    assert await numbers(gql, within(start, end, dueBefore=due_at.isoformat())) == []
    both = within(start, end, dueBefore="2024-01-01T00:00:00+08:00")
    assert sorted(await numbers(gql, both)) == sorted([early, late])


# --- order and pages ---


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
async def test_ordering_by_accepted_at_lists_cases_by_acceptance(gql, homes, descending):
    start, end = window()
    accepted = [await accept(gql, homes["shinan"], start + timedelta(days=n)) for n in (4, 1, 3)]
    by_time = [accepted[1], accepted[2], accepted[0]]

    listed = await numbers(
        gql, within(start, end), order={"field": "ACCEPTED_AT", "descending": descending}
    )

    assert listed == (by_time[::-1] if descending else by_time)


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
async def test_pages_list_every_case_exactly_once_in_order(gql, homes, descending):
    start, end = window()
    # two cases accepted at the same moment: the order falls back to the id
    moments = [start + timedelta(days=n) for n in (0, 1, 1, 2, 3, 5, 8)]
    accepted = [await accept(gql, homes["shinan"], moment) for moment in moments]
    expected = accepted[::-1] if descending else accepted
    order = {"field": "ACCEPTED_AT", "descending": descending}

    seen, after, pages = [], None, 0
    while True:
        variables = {"filter": within(start, end), "orderBy": order, "first": 3, "after": after}
        page = data(await gql(CASES, variables, as_=ADMIN))["cases"]
        assert page["totalCount"] == len(accepted)
        seen += [c["number"] for c in page["nodes"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        assert pages < 10, "pagination does not end"

    assert pages == 3
    assert seen == expected


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "azpnYXJiYWdl",  # base64 of "k:garbage": no row id
        "azpub3QtYS10aW1lfDEy",  # base64 of "k:not-a-time|12": no time for ACCEPTED_AT
    ],
    ids=["not-base64-of-a-key", "no-row-id", "no-time"],
)
async def test_an_invalid_cursor_is_refused_with_invalid_cursor(gql, cursor):
    variables = {"orderBy": {"field": "ACCEPTED_AT"}, "first": 5, "after": cursor}

    body = await gql(CASES, variables, as_=ADMIN)

    assert error_code(body) == "INVALID_CURSOR"
    assert body["data"] is None


# --- who sees what ---


async def test_an_inspector_of_shinan_never_sees_a_case_of_shibei(gql, homes):
    start, end = window()
    shinan = await accept(gql, homes["shinan"], start)
    shibei = await accept(gql, homes["shibei"], start)

    assert data(await gql(CASE, {"number": shibei}, as_=INSPECTOR))["case"] is None
    assert data(await gql(CASE, {"number": shinan}, as_=INSPECTOR))["case"]["number"] == shinan
    assert await numbers(gql, within(start, end), as_=INSPECTOR) == [shinan]
    # the case exists: the city's admin sees both
    assert sorted(await numbers(gql, within(start, end), as_=ADMIN)) == sorted([shinan, shibei])


async def test_listing_cases_anonymously_asks_to_sign_in(gql):
    body = await gql(CASES, {"first": 5})

    assert error_code(body) == "UNAUTHENTICATED"
    assert body["data"] is None


async def test_reading_a_case_anonymously_asks_to_sign_in(gql, homes):
    start, _ = window()
    number = await accept(gql, homes["shinan"], start)

    body = await gql(CASE, {"number": number})

    assert error_code(body) == "UNAUTHENTICATED"


# --- cost ---


async def test_a_page_of_cases_costs_the_same_statements_for_3_as_for_20(gql, homes, sql):
    start, end = window()
    home = homes["shinan"]
    events = []
    for n in range(20):
        number = case_number("sql")
        at = start + timedelta(hours=n)
        attachment = {"name": "申请书.pdf", "sha256": f"{n:064x}", "size": 100 + n}
        events += [
            fact(home, number, "ACCEPT", at, attachments=[attachment]),
            fact(home, number, "ADVANCE", at + timedelta(hours=1), node="审查"),
        ]
    await report(gql, events)

    counts = {}
    for first in (3, 20):
        sql.statements.clear()
        page = data(await gql(PAGE, {"filter": within(start, end), "first": first}, as_=ADMIN))
        nodes = page["cases"]["nodes"]
        assert len(nodes) == first
        assert all(n["steps"] and n["attachments"] and n["power"]["nodes"] for n in nodes)
        # the outbox relay may still be publishing the reports above, beside the request
        counts[first] = [s for s in sql.statements if "outbox" not in s]

    # the total count and the page, then one batch per relation: power versions, their
    # nodes, departments, steps, attachments, and the loaded calendar for the clocks (once)
    assert {first: len(statements) for first, statements in counts.items()} == {3: 8, 20: 8}, (
        "\n\n".join(counts[20])
    )
