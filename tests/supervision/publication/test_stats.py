"""Public statistics with real dates: 即墨区 in April and May 2024 (清明 4–6 April with Sunday
7 April worked, 劳动节 1–5 May with Sunday 28 April worked), through the reporting path."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from supervision.cases.clock import TZ, DayUnit, Pause, WorkCalendar, read_clock
from supervision.cases.ingest import report_events
from supervision.cases.reports import EventReport
from supervision.catalogue.models import Power, PowerStatus, PowerVersion
from supervision.organisation import Department
from supervision.publication import stats
from supervision.ratings.models import Rating
from supervision.rules.models import Card, CardLevel, Rule, Warning, WarningLevel, WarningStatus
from tenancy.codes import InvalidDivisionCode
from tenancy.scope import Scope

BYPASS = Scope.bypass("test: public statistics")
SYSTEM = "demo-approval-system"
JIMO = "370215000000"  # 即墨区: no other test reports cases here
LICANG = "370213000000"  # 李沧区: a neighbour, to be left out


def beijing(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


APRIL, JUNE = beijing(2024, 4, 1), beijing(2024, 6, 1)


async def _power(database, division_code: str, *, on_the_spot: bool, besides: str = "") -> dict:
    """A published, never revised power: promising 5 working days, or on the spot."""
    query = (
        select(Power.code, Power.division_code, Department.code)
        .join(Department, Department.id == Power.department_id)
        .join(PowerVersion, PowerVersion.id == Power.current_version_id)
        .where(
            Power.status == PowerStatus.PUBLISHED,
            Power.division_code == division_code,
            Power.latest_version == 1,
            PowerVersion.on_the_spot.is_(on_the_spot),
            PowerVersion.promised_value == (0 if on_the_spot else 5),
            PowerVersion.promised_unit == "WORKING_DAY",
            Department.code != besides,
        )
        .order_by(Power.id)
        .limit(1)
    )
    async with database.session(BYPASS, read_only=True) as session:
        code, division, department = (await session.execute(query)).one()
    return {"power_code": code, "division_code": division, "department_code": department}


def _number() -> str:
    return f"S-{uuid.uuid4().hex[:12]}"


async def _report(database, home: dict, facts: list[tuple[str, str, datetime]]) -> None:
    reports = [
        EventReport(
            event_id=f"e-{uuid.uuid4().hex}",
            case_number=number,
            action=action,
            occurred_at=at,
            officer="王伟" if action == "ACCEPT" else "李强",
            **home,
        )
        for number, action, at in facts
    ]
    async with database.session(BYPASS) as session:
        results = await report_events(
            session=session, reports=reports, reporter=SYSTEM, scope=BYPASS
        )
        assert {r.status for r in results} == {"ACCEPTED"}, results
        await session.commit()


@pytest.fixture(scope="module")
async def jimo(database) -> dict:
    """Cases, warnings, cards and ratings of 即墨区 around April and May 2024.

    Department A (a power promising 5 working days) and B (an on-the-spot power). A case
    accepted on Monday 1 April is due on Tuesday 9 April (2, 3, 7, 8, 9 April).
    """
    a = await _power(database, JIMO, on_the_spot=False)
    b = await _power(database, JIMO, on_the_spot=True, besides=a["department_code"])
    n = {key: _number() for key in range(1, 13)}
    facts_a = [
        # 1: early — decided 3 April, 2 working days used
        (n[1], "ACCEPT", beijing(2024, 4, 1, 10)),
        (n[1], "APPROVE", beijing(2024, 4, 3, 15)),
        # 2: on the due day — on time, not early, 5 used
        (n[2], "ACCEPT", beijing(2024, 4, 1, 9)),
        (n[2], "APPROVE", beijing(2024, 4, 9, 16)),
        # 3: late — 10 April, 6 used
        (n[3], "ACCEPT", beijing(2024, 4, 1, 9)),
        (n[3], "REJECT", beijing(2024, 4, 10, 11)),
        # 4: supplement 2–8 April stops the clock (3–8 April): due 12 April, decided 11th,
        # early, 4 used (2, 9, 10, 11 April)
        (n[4], "ACCEPT", beijing(2024, 4, 1, 9)),
        (n[4], "REQUEST_SUPPLEMENT", beijing(2024, 4, 2, 10)),
        (n[4], "RECEIVE_SUPPLEMENT", beijing(2024, 4, 8, 10)),
        (n[4], "APPROVE", beijing(2024, 4, 11, 10)),
        # 5: accepted Friday 26 April, due 7 May (28, 29, 30 April, 6, 7 May); decided
        # 6 May: counted in May, early, 4 used
        (n[5], "ACCEPT", beijing(2024, 4, 26, 10)),
        (n[5], "APPROVE", beijing(2024, 5, 6, 10)),
        # 6: accepted, still open
        (n[6], "ACCEPT", beijing(2024, 4, 15, 10)),
        # 7: accepted in March (29th), decided 2 April: early (due 8 April), 2 used
        (n[7], "ACCEPT", beijing(2024, 3, 29, 10)),
        (n[7], "APPROVE", beijing(2024, 4, 2, 10)),
        # 8: 00:30 on 1 May in Beijing is still 30 April in UTC: a May acceptance
        (n[8], "ACCEPT", beijing(2024, 5, 1, 0, 30)),
        # 9: accepted 00:30 on 1 June: outside the window
        (n[9], "ACCEPT", beijing(2024, 6, 1, 0, 30)),
        # 10: a decision reported without an acceptance: decided, but no clock to judge
        (n[10], "APPROVE", beijing(2024, 4, 20, 10)),
    ]
    facts_b = [
        # 11: on the spot, decided the same day
        (n[11], "ACCEPT", beijing(2024, 4, 8, 9)),
        (n[11], "APPROVE", beijing(2024, 4, 8, 11)),
        # 12: on the spot, decided the next day: late, 1 used
        (n[12], "ACCEPT", beijing(2024, 4, 9, 9)),
        (n[12], "APPROVE", beijing(2024, 4, 10, 9)),
    ]
    neighbour = await _power(database, LICANG, on_the_spot=False)
    await _report(database, a, facts_a)
    await _report(database, b, facts_b)
    await _report(
        database, neighbour, [(_number(), "ACCEPT", beijing(2024, 4, 2, 10))]
    )  # another district

    async with database.session(BYPASS) as session:
        rule = await session.scalar(select(Rule).where(Rule.kind == "OVERDUE").limit(1))

        # on case numbers of their own: the rules raised live warnings on the cases reported
        def warning(case: str, department: str, status: WarningStatus, at: datetime) -> Warning:
            return Warning(
                rule_id=rule.id,
                point_id=rule.point_id,
                case_number=case,
                division_code=JIMO,
                kind="OVERDUE",
                level=WarningLevel.RED,
                status=status,
                detail="test",
                event_ids=[],
                legal_basis="",
                raised_at=at,
                department_code=department,
            )

        confirmed = warning(
            _number(), a["department_code"], WarningStatus.CONFIRMED, APRIL + _D * 10
        )
        session.add_all(
            [
                warning(_number(), a["department_code"], WarningStatus.OPEN, APRIL + _D * 2),
                confirmed,
                warning(_number(), b["department_code"], WarningStatus.RESOLVED, APRIL + _D * 40),
                warning(_number(), a["department_code"], WarningStatus.DISMISSED, APRIL - _D),
            ]
        )
        await session.flush()

        def card(department: str, level: CardLevel, at: datetime) -> Card:
            return Card(
                warning_id=confirmed.id,
                level=level,
                department_code=department,
                reason="test",
                issued_by="demo-supervisor",
                issued_at=at,
                division_code=JIMO,
            )

        def rating(case: str, department: str, level: int, at: datetime) -> Rating:
            return Rating(
                case_number=case,
                division_code=JIMO,
                department_code=department,
                level=level,
                dimensions={},
                rated_at=at,
            )

        session.add_all(
            [
                card(a["department_code"], CardLevel.YELLOW, APRIL + _D * 11),
                card(b["department_code"], CardLevel.RED, APRIL + _D * 37),
                card(a["department_code"], CardLevel.YELLOW, JUNE + _D),
                rating(n[1], a["department_code"], 5, APRIL + _D * 3),
                rating(n[2], a["department_code"], 4, APRIL + _D * 9),
                rating(n[3], a["department_code"], 3, APRIL + _D * 10),
                rating(n[11], b["department_code"], 1, APRIL + _D * 40),
                rating(n[12], b["department_code"], 5, JUNE),
            ]
        )
        await session.commit()
    return {"a": a["department_code"], "b": b["department_code"]}


_D = timedelta(days=1)


async def _stats(database, division_code=JIMO, start=APRIL, end=JUNE) -> stats.PublicStats:
    async with database.session(BYPASS, read_only=True) as session:
        return await stats.public_stats(
            session=session, division_code=division_code, start=start, end=end
        )


async def test_the_totals_of_april_and_may(database, jimo):
    totals = (await _stats(database)).totals
    assert (totals.accepted, totals.decided) == (9, 9)
    assert (totals.on_time, totals.late, totals.on_time_rate) == (6, 2, 0.75)
    assert (totals.promised_decided, totals.early) == (6, 4)
    assert totals.early_completion_rate == pytest.approx(4 / 6)
    assert (totals.on_the_spot_accepted, totals.on_the_spot_same_day) == (2, 1)
    assert totals.on_the_spot_rate == 0.5
    assert (totals.decided_same_day, totals.same_day_rate) == (1, pytest.approx(1 / 9))
    # used 2 + 5 + 6 + 4 + 4 + 2 + 0 + 1 over the 8 cases with a clock; promised 6 × 5 + 0 + 0
    assert (totals.working_days_used, totals.working_days_promised) == (24, 30)
    assert (totals.average_working_days, totals.average_promised_working_days) == (3.0, 3.75)
    assert (totals.warnings_raised, totals.warnings_handled) == (3, 2)
    assert (totals.yellow_cards, totals.red_cards) == (1, 1)
    assert (totals.ratings, totals.satisfied, totals.dissatisfied) == (4, 2, 1)
    assert totals.satisfaction_rate == 0.5


async def test_months_are_beijing_months(database, jimo):
    by_month = dict((await _stats(database)).by_month)
    assert list(by_month) == ["2024-04", "2024-05"]
    april, may = by_month["2024-04"], by_month["2024-05"]
    assert (april.accepted, may.accepted) == (8, 1)  # case 8 (1 May, 00:30) is May's
    assert (april.decided, may.decided) == (8, 1)
    assert (april.on_time, april.late, may.on_time) == (5, 2, 1)
    assert (april.early, may.early) == (3, 1)
    assert (april.warnings_raised, may.warnings_raised) == (2, 1)
    assert (april.red_cards, may.red_cards) == (0, 1)
    assert (april.ratings, may.ratings) == (3, 1)


async def test_by_department(database, jimo):
    by_code = {d.code: f for d, f in (await _stats(database)).by_department}
    assert set(by_code) == {jimo["a"], jimo["b"]}
    a, b = by_code[jimo["a"]], by_code[jimo["b"]]
    assert (a.accepted, a.decided, a.on_time, a.late, a.early) == (7, 7, 5, 1, 4)
    assert (a.warnings_raised, a.warnings_handled, a.yellow_cards) == (2, 1, 1)
    assert (a.ratings, a.satisfied, a.satisfaction_rate) == (3, 2, pytest.approx(2 / 3))
    assert (b.accepted, b.on_the_spot_accepted, b.on_the_spot_same_day) == (2, 2, 1)
    assert (b.on_time_rate, b.early_completion_rate) == (0.5, None)  # no promised case
    assert (b.working_days_used, b.working_days_promised) == (1, 0)
    assert (b.red_cards, b.ratings, b.dissatisfied) == (1, 1, 1)


async def test_an_empty_window_counts_zero_and_rates_nothing(database, jimo):
    result = await _stats(database, start=beijing(2023, 12, 15), end=beijing(2024, 2, 1))
    assert [month for month, _ in result.by_month] == ["2023-12", "2024-01"]
    assert result.by_department == []
    assert result.totals == stats.Figures()
    assert result.totals.on_time_rate is None and result.totals.satisfaction_rate is None


async def test_a_fixed_number_of_statements_whatever_the_departments(database, jimo):
    counts = []
    for division_code in (JIMO, "370200000000"):
        seen = []

        def count(_conn, _cursor, statement, *_args, seen=seen) -> None:
            if "set_config" not in statement:
                seen.append(statement)

        event.listen(database.engine.sync_engine, "before_cursor_execute", count)
        try:
            await _stats(database, division_code=division_code, end=beijing(2025, 4, 1))
        finally:
            event.remove(database.engine.sync_engine, "before_cursor_execute", count)
        counts.append(len([s for s in seen if not s.startswith(("BEGIN", "SET"))]))
    assert counts == [8, 8]


@pytest.mark.parametrize(
    ("division_code", "start", "end", "code"),
    [
        ("3702150000", APRIL, JUNE, "INVALID_DIVISION_CODE"),
        (JIMO, JUNE, APRIL, "INVALID_WINDOW"),
        (JIMO, APRIL, APRIL, "INVALID_WINDOW"),
        (JIMO, datetime(2024, 4, 1), JUNE, "INVALID_WINDOW"),
        (JIMO, APRIL, beijing(2026, 4, 1, 0, 0, 1), "WINDOW_TOO_LONG"),
    ],
)
def test_what_cannot_be_asked(division_code, start, end, code):
    with pytest.raises((InvalidDivisionCode, stats.StatsError)) as raised:
        stats.check_query(division_code, start, end)
    assert raised.value.code == code


def test_twenty_four_months_can_be_asked():
    stats.check_query(JIMO, APRIL, beijing(2026, 4, 1))
    assert len(stats.months_of(APRIL, beijing(2026, 4, 1))) == 24


def test_months_of_a_window_in_beijing_time():
    # 16:00 UTC on 31 March is midnight, 1 April, in Beijing
    assert stats.months_of(datetime(2024, 3, 31, 16, tzinfo=UTC), JUNE) == ["2024-04", "2024-05"]
    assert stats.months_of(beijing(2024, 4, 30, 23), beijing(2024, 5, 1, 0, 0, 1)) == [
        "2024-04",
        "2024-05",
    ]


def test_working_days_agree_with_the_legal_clock():
    """The running-total count gives what read_clock counts, on random cases and pauses."""
    calendar = WorkCalendar({date(2027, 1, 4): False})  # a loaded year beside chinesecalendar
    rng = random.Random(6)
    index = stats.WorkdayIndex.build(calendar, date(2023, 12, 1), date(2027, 12, 31))
    for _ in range(400):
        accepted = beijing(2024, 1, 1, 9) + timedelta(days=rng.randrange(1000), hours=rng.random())
        decided = accepted + timedelta(days=rng.randrange(0, 90), hours=rng.randrange(0, 10))
        pauses, at = [], accepted
        for _ in range(rng.choice((0, 0, 1, 2, 3))):
            start = at + timedelta(days=rng.randrange(0, 20), hours=rng.randrange(0, 8))
            end = start + timedelta(days=rng.randrange(0, 25))
            open_ = rng.random() < 0.1
            pauses.append(Pause(start, None if open_ else end))
            at = end - timedelta(days=rng.randrange(0, 5))  # some overlap
        value = rng.choice((0, 1, 5, 20, 60))
        unit = rng.choice(list(DayUnit))
        reading = read_clock(
            calendar=calendar,
            accepted_at=accepted,
            limit_value=value,
            limit_unit=unit,
            pauses=pauses,
            now=decided,
            decided_at=decided,
        )
        stored = [[p.start.isoformat(), p.end.isoformat() if p.end else None] for p in pauses]
        day = decided.astimezone(TZ).date()
        stops = stats.stopped_spans(stored, day)
        first = accepted.astimezone(TZ).date()
        used = stats.counted_working_days(index, first, day, stops)
        allowed = stats.counted_working_days(index, first, reading.due_at.date(), stops)
        assert used == reading.elapsed_working_days
        assert allowed == reading.elapsed_working_days - reading.overdue_by + (
            reading.remaining_working_days
        )


async def test_a_window_narrower_than_a_day_counts_the_whole_day(database, jimo):
    # narrowing around one moment must not single out one case: whole Beijing days only
    moment = APRIL + _D * 3 + timedelta(hours=10)
    narrow = await _stats(database, start=moment, end=moment + timedelta(microseconds=1))
    day = await _stats(database, start=APRIL + _D * 3, end=APRIL + _D * 4)
    assert narrow.totals == day.totals
    assert (narrow.start, narrow.end) == (APRIL + _D * 3, APRIL + _D * 4)
