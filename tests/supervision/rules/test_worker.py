"""The worker: time-driven rules from the next-check index, escalation, rescheduling.

Real dates throughout; the worker takes `now`, so nothing sleeps. Each test works in a
division of its own (莱西市, 平度市, 胶州市: no other test reports cases there) and keeps
the worker to it, so the session's other cases are never judged here.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import event, select, update

from supervision.cases.calendar import current_calendar
from supervision.cases.clock import TZ
from supervision.cases.ingest import report_events
from supervision.cases.ledger import chain_of
from supervision.cases.models import Case, OutboxMessage
from supervision.cases.reports import EventReport
from supervision.catalogue.models import Power, PowerStatus, PowerVersion
from supervision.notify.models import DeliveryStatus
from supervision.notify.providers import LoggingSmsProvider
from supervision.organisation import Department
from supervision.publication.models import LedgerCheckpoint
from supervision.publication.signing import LedgerKeys, new_blinding_key, new_signing_key_pem
from supervision.rules import worker as worker_module
from supervision.rules.models import MonitoringPoint, Rule, Warning, WarningLevel, WarningStatus
from supervision.rules.worker import (
    Outside,
    Worker,
    check_due_cases,
    escalate_due,
    recheck,
    reschedule,
    run_once,
)
from tenancy.scope import Scope
from tests.databases import on_postgres
from tests.supervision.notify.support import (
    SHINAN,
    licensing_home,
    notifications_about,
    officer_of,
    report_late_case,
)

SYSTEM = "demo-approval-system"
BYPASS = Scope.bypass("test: worker")
LAIXI = "370285000000"  # 莱西市
PINGDU = "370283000000"  # 平度市
JIAOZHOU = "370281000000"  # 胶州市


def beijing(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


@pytest.fixture(scope="module")
async def calendar(database):
    async with database.session(BYPASS, read_only=True) as session:
        return await current_calendar(session=session)


async def power_of(database, division_code: str) -> dict:
    """A published, never revised power of the division promising 5 working days or more."""
    query = (
        select(Power.code, Power.division_code, Department.code)
        .join(Department, Department.id == Power.department_id)
        .join(PowerVersion, PowerVersion.id == Power.current_version_id)
        .where(
            Power.status == PowerStatus.PUBLISHED,
            Power.division_code == division_code,
            Power.latest_version == 1,
            PowerVersion.promised_value >= 5,
            PowerVersion.promised_unit == "WORKING_DAY",
            PowerVersion.on_the_spot.is_(False),
        )
        .order_by(Power.id)
        .limit(1)
    )
    async with database.session(BYPASS, read_only=True) as session:
        code, division, department = (await session.execute(query)).one()
    return {"power_code": code, "division_code": division, "department_code": department}


async def report(database, home: dict, facts: list[tuple[str, str, datetime]], now) -> None:
    """Report (case number, action, when) facts under the power `home`, as of `now`."""
    reports = [
        EventReport(
            event_id=f"e-{uuid.uuid4().hex}",
            case_number=number,
            action=action,
            occurred_at=at,
            officer="王伟" if action == "ACCEPT" else "李强",
            reason="申请人不具备申请资格" if action == "RETURN" else None,
            **home,
        )
        for number, action, at in facts
    ]
    async with database.session(BYPASS) as session:
        results = await report_events(
            session=session, reports=reports, reporter=SYSTEM, scope=BYPASS, now=now
        )
        assert {r.status for r in results} == {"ACCEPTED"}, results
        await session.commit()


def number() -> str:
    return f"W-{uuid.uuid4().hex[:12]}"


async def case_of(database, case_number: str) -> Case:
    async with database.session(BYPASS, read_only=True) as session:
        return await session.scalar(select(Case).where(Case.number == case_number))


async def warning(database, warning_id: int) -> Warning:
    async with database.session(BYPASS, read_only=True) as session:
        return await session.get(Warning, warning_id)


async def warnings_of(database, *case_numbers: str) -> list[Warning]:
    async with database.session(BYPASS, read_only=True) as session:
        query = select(Warning).where(Warning.case_number.in_(case_numbers)).order_by(Warning.id)
        return list(await session.scalars(query))


def kinds(warnings: list[Warning]) -> list[str]:
    return sorted(w.kind for w in warnings)


async def test_the_worker_raises_overdue_once_the_promise_runs_out(database, calendar):
    town = "370285001000"
    home = await power_of(database, town)
    case = number()
    accepted = beijing(2026, 3, 2, 10)  # a Monday
    await report(database, home, [(case, "ACCEPT", accepted)], now=accepted + timedelta(hours=1))
    reported = await case_of(database, case)
    due = reported.promised_due_at
    assert reported.next_check_at is not None and reported.next_check_at <= due
    assert "OVERDUE" not in kinds(await warnings_of(database, case))

    # just before the due moment: other time rules may fire, OVERDUE not yet
    before = due - timedelta(minutes=1)
    await check_due_cases(database=database, calendar=calendar, now=before, division_code=town)
    assert "OVERDUE" not in kinds(await warnings_of(database, case))
    assert (await case_of(database, case)).next_check_at > before

    after = due + timedelta(minutes=1)
    raised = await check_due_cases(
        database=database, calendar=calendar, now=after, division_code=town
    )
    overdue = [w for w in await warnings_of(database, case) if w.kind == "OVERDUE"]
    assert raised >= 1 and len(overdue) == 1
    assert (overdue[0].raised_at, overdue[0].status) == (after, WarningStatus.OPEN)
    assert overdue[0].level is WarningLevel.RED

    # running it again, now or later, raises nothing new
    everything = kinds(await warnings_of(database, case))
    for later in (after, after + timedelta(days=3)):
        assert (
            await check_due_cases(
                database=database, calendar=calendar, now=later, division_code=town
            )
            == 0
        )
    assert kinds(await warnings_of(database, case)) == everything


async def test_a_case_with_nothing_pending_stays_out_of_the_index(database, calendar):
    town = "370285002000"
    home = await power_of(database, town)
    closed, open_case = number(), number()  # refused (不予受理): no clock, no decision
    accepted = beijing(2026, 4, 7, 9)
    await report(
        database,
        home,
        [
            (closed, "SUBMIT", accepted),
            (closed, "RETURN", accepted + timedelta(hours=3)),
            (open_case, "ACCEPT", accepted),
        ],
        now=accepted + timedelta(hours=4),
    )
    assert (await case_of(database, closed)).next_check_at is None
    assert (await case_of(database, open_case)).next_check_at is not None
    judged_when_reported = kinds(await warnings_of(database, closed))

    # a pass with nothing due reads the index once and writes nothing
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if not statement.startswith(("BEGIN", "SELECT set_config", "SET LOCAL")):
            statements.append(statement)

    engine = database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        quiet = accepted + timedelta(hours=5)
        assert (
            await check_due_cases(
                database=database, calendar=calendar, now=quiet, division_code=town
            )
            == 0
        )
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1 and "next_check_at" in statements[0], statements

    # long after: the open case is judged, the closed one never comes up
    await check_due_cases(
        database=database, calendar=calendar, now=beijing(2026, 8, 3, 9), division_code=town
    )
    assert kinds(await warnings_of(database, closed)) == judged_when_reported
    assert "OVERDUE" in kinds(await warnings_of(database, open_case))
    assert (await case_of(database, closed)).next_check_at is None


async def test_two_workers_at_once_split_the_work_and_never_duplicate(database, calendar):
    town = "370285007000"
    home = await power_of(database, town)
    cases = [number() for _ in range(10)]
    accepted = beijing(2026, 5, 11, 10)
    await report(
        database, home, [(c, "ACCEPT", accepted) for c in cases], now=accepted + timedelta(hours=1)
    )
    later = beijing(2026, 9, 1, 9)  # every case long overdue
    before = len(await warnings_of(database, *cases))

    def worker():
        return check_due_cases(
            database=database, calendar=calendar, now=later, batch=1, division_code=town
        )

    first, second = await asyncio.gather(worker(), worker())

    found = await warnings_of(database, *cases)
    assert first + second == len(found) - before
    assert len({(w.rule_id, w.case_number) for w in found}) == len(found)
    assert all("OVERDUE" in kinds([w for w in found if w.case_number == c]) for c in cases)
    if on_postgres():  # SKIP LOCKED: each claims what the other does not hold
        assert first > 0 and second > 0
    assert await worker() == 0


async def _warning_raised(database, division_code: str, case_number: str) -> Warning:
    """A BLUE warning (RETURNED: escalates after 24 hours) on a new case; the warning."""
    home = await power_of(database, division_code)
    submitted = beijing(2026, 6, 1, 10)
    returned = submitted + timedelta(hours=2)
    facts = [(case_number, "SUBMIT", submitted), (case_number, "RETURN", returned)]
    await report(database, home, facts, now=returned + timedelta(minutes=5))
    (returned_warning,) = [
        w for w in await warnings_of(database, case_number) if w.kind == "RETURNED"
    ]
    return returned_warning


async def test_an_unhandled_warning_rises_to_the_tier_above_and_stops_at_red(database):
    case, handled_case = number(), number()
    raised = await _warning_raised(database, PINGDU, case)
    handled = await _warning_raised(database, PINGDU, handled_case)
    assert (raised.level, raised.attention_code, raised.escalations) == (
        WarningLevel.BLUE,
        PINGDU,
        0,
    )
    assert raised.escalate_at == raised.raised_at + timedelta(hours=24)
    async with database.session(BYPASS) as session:  # someone looked at this one
        await session.execute(
            update(Warning).where(Warning.id == handled.id).values(status=WarningStatus.CONFIRMED)
        )
        await session.commit()

    def escalate(now: datetime):
        return escalate_due(database=database, now=now, division_code=PINGDU)

    assert await escalate(raised.escalate_at - timedelta(minutes=1)) == 0
    first = raised.escalate_at
    assert await escalate(first) == 1
    risen = await warning(database, raised.id)
    assert (risen.level, risen.attention_code, risen.escalations) == (
        WarningLevel.YELLOW,
        "370200000000",  # 平度市 → 青岛市
        1,
    )
    assert risen.escalate_at == first + timedelta(hours=24)
    assert await escalate(first + timedelta(hours=1)) == 0

    assert await escalate(risen.escalate_at) == 1
    top = await warning(database, raised.id)
    assert (top.level, top.attention_code, top.escalations) == (
        WarningLevel.RED,
        "370200000000",  # the city keeps it
        2,
    )
    assert top.escalate_at is None
    assert await escalate(risen.escalate_at + timedelta(days=30)) == 0

    untouched = await warning(database, handled.id)
    assert (untouched.level, untouched.escalations) == (WarningLevel.BLUE, 0)
    assert untouched.attention_code == PINGDU

    async with database.session(BYPASS, read_only=True) as session:
        news = list(
            await session.scalars(
                select(OutboxMessage.payload)
                .where(OutboxMessage.topic == "warning")
                .order_by(OutboxMessage.id)
            )
        )
    mine = [m for m in news if m["warningId"] == raised.id]
    assert [(m.get("escalated", False), m["level"]) for m in mine] == [
        (False, "BLUE"),
        (True, "YELLOW"),
        (True, "RED"),
    ]
    assert mine[-1]["attentionCode"] == "370200000000"


async def test_reschedule_applies_a_new_rule_to_open_cases(database, calendar):
    village = "370285001001"
    home = await power_of(database, village)
    case = number()
    accepted = beijing(2026, 7, 6, 15)  # a Monday
    await report(database, home, [(case, "ACCEPT", accepted)], now=accepted + timedelta(hours=1))
    # 01:00 of the next day: a rule asking to be told once a first day of the limit is used
    # fires; the case's own next check (other rules) lies later
    moment = beijing(2026, 7, 7, 1)
    assert (await case_of(database, case)).next_check_at > moment

    async with database.session(BYPASS) as session:
        point = MonitoringPoint(name="测试：早提醒", division_code=village, created_by="test")
        session.add(point)
        await session.flush()
        rule = Rule(
            point_id=point.id,
            kind="NEAR_DEADLINE",
            params={"share": 0.01},
            level=WarningLevel.BLUE,
            legal_basis="测试",
            owner="test",
        )
        session.add(rule)
        await session.commit()
    try:
        await check_due_cases(
            database=database, calendar=calendar, now=moment, division_code=village
        )
        assert rule.id not in {w.rule_id for w in await warnings_of(database, case)}

        async with database.session(Scope.of([village])) as session:
            assert await reschedule(session=session, point=point, now=moment) == 1
            await session.commit()
        assert (await case_of(database, case)).next_check_at == moment
        raised = await check_due_cases(
            database=database, calendar=calendar, now=moment, division_code=village
        )
        assert raised >= 1
        assert rule.id in {w.rule_id for w in await warnings_of(database, case)}
    finally:
        async with database.session(BYPASS) as session:
            await session.execute(
                update(MonitoringPoint).where(MonitoringPoint.id == point.id).values(active=False)
            )
            await session.commit()


async def test_recheck_makes_cases_due_for_the_next_pass(database, calendar):
    town = "370285101000"
    home = await power_of(database, town)
    case = number()
    accepted = beijing(2026, 4, 14, 9)
    await report(database, home, [(case, "ACCEPT", accepted)], now=accepted + timedelta(hours=1))
    moment = accepted + timedelta(hours=2)
    assert (await case_of(database, case)).next_check_at > moment
    async with database.session(BYPASS) as session:
        assert await recheck(session=session, case_numbers=[case], now=moment) == 1
        assert await recheck(session=session, case_numbers=[case], now=moment) == 0
        await session.commit()
    assert (await case_of(database, case)).next_check_at == moment
    await check_due_cases(database=database, calendar=calendar, now=moment, division_code=town)
    assert (await case_of(database, case)).next_check_at > moment


async def test_a_case_that_cannot_be_judged_never_holds_up_the_others(
    database, calendar, monkeypatch
):
    town = "370285007001"
    home = await power_of(database, town)
    poison, *fine = cases = [number() for _ in range(3)]
    accepted = beijing(2026, 5, 18, 10)
    await report(
        database, home, [(c, "ACCEPT", accepted) for c in cases], now=accepted + timedelta(hours=1)
    )
    judge = worker_module.evaluate_cases

    async def failing(*, case_numbers, **kwargs):
        if poison in case_numbers:
            raise RuntimeError("a rule that cannot judge this case")
        return await judge(case_numbers=case_numbers, **kwargs)

    monkeypatch.setattr(worker_module, "evaluate_cases", failing)
    later = beijing(2026, 9, 1, 9)
    await check_due_cases(database=database, calendar=calendar, now=later, division_code=town)
    for case in fine:
        assert "OVERDUE" in kinds(await warnings_of(database, case))
    assert kinds(await warnings_of(database, poison)) == []
    assert (await case_of(database, poison)).next_check_at == later + timedelta(hours=1)


async def test_run_once_counts_both_and_the_worker_loop_starts_and_stops(database, calendar):
    town = "370281001000"
    home = await power_of(database, town)
    case = number()
    accepted = beijing(2026, 1, 5, 10)  # long before today: due by the real clock
    await report(database, home, [(case, "ACCEPT", accepted)], now=accepted + timedelta(hours=1))
    counts = await run_once(
        database=database,
        calendar=calendar,
        now=accepted + timedelta(minutes=90),
        division_code=town,
    )
    assert counts == {"raised": 0, "escalated": 0}

    worker = Worker(database=database, interval=0.05, division_code=town)
    worker.start()
    try:
        for _ in range(200):
            if "OVERDUE" in kinds(await warnings_of(database, case)):
                break
            await asyncio.sleep(0.05)
    finally:
        await worker.stop()
    assert "OVERDUE" in kinds(await warnings_of(database, case))


async def test_a_worker_pass_texts_the_officer_and_signs_the_chain(database):
    home = await licensing_home(database, SHINAN)
    staff_number, phone = await officer_of(database, home["department_code"])
    case = await report_late_case(database, home, officer=staff_number)
    sms = LoggingSmsProvider()
    keys = LedgerKeys.from_text(signing=new_signing_key_pem(), blinding=new_blinding_key())
    async with httpx.AsyncClient() as http:
        outside = Outside(sms=sms, http=http, ledger_keys=keys)
        async with database.session(worker_module.SCOPE, read_only=True) as session:
            calendar = await current_calendar(session=session)
        counts = await run_once(
            database=database,
            calendar=calendar,
            now=datetime.now(UTC),
            division_code=LAIXI,
            outside=outside,
        )
    assert counts["delivered"] >= 1 and counts["checkpoints"] >= 1
    assert any(target == phone and case in text for target, text in sms.sent)
    texts = await notifications_about(database, case)
    assert {n.status for n in texts if n.target == phone} == {DeliveryStatus.SENT}
    async with database.session(worker_module.SCOPE, read_only=True) as session:
        signed = await session.scalar(
            select(LedgerCheckpoint.tree_size)
            .where(LedgerCheckpoint.chain == chain_of(SHINAN))
            .order_by(LedgerCheckpoint.tree_size.desc())
            .limit(1)
        )
    assert signed is not None and signed > 0
