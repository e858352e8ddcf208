"""Handling warnings: the transition table, and steps taken through the service functions
(as the demo seeding does) leave the case as its facts make it and the ledger verifiable."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from supervision.cases import ledger
from supervision.cases.calendar import current_calendar
from supervision.cases.derive import derive_cases
from supervision.cases.ingest import report_events
from supervision.cases.models import SUPERVISION_ACTIONS, Case, LedgerEntry, OutboxMessage
from supervision.cases.reports import EventReport
from supervision.organisation import Department
from supervision.rules import handling
from supervision.rules.handling import LEDGER_ACTIONS, TRANSITIONS, Step
from supervision.rules.models import Card, CardLevel, Warning, WarningAction, WarningStatus
from tenancy.scope import Scope
from tests.schema.cases.conftest import licensing_power  # noqa: F401 - fixture

BYPASS = Scope.bypass("test: handling")
SYSTEM = "demo-approval-system"
SHINAN = "370202000000"


# --- the table -----------------------------------------------------------------------------


def test_dismissed_and_resolved_warnings_take_no_more_steps():
    assert handling.allowed_steps(WarningStatus.DISMISSED) == []
    assert handling.allowed_steps(WarningStatus.RESOLVED) == []


def test_every_status_but_open_is_reached_and_every_live_one_can_end():
    reached = {after for after in TRANSITIONS.values()}
    assert reached == set(WarningStatus) - {WarningStatus.OPEN}
    for status in (WarningStatus.CONFIRMED, WarningStatus.RECTIFYING, WarningStatus.RECTIFIED):
        assert handling.allowed_steps(status), status


def test_a_card_never_changes_the_status_and_needs_a_confirmed_violation():
    cards = {
        before: after for (before, step), after in TRANSITIONS.items() if step is Step.ISSUE_CARD
    }
    assert all(before is after for before, after in cards.items())
    assert WarningStatus.OPEN not in cards


def test_every_step_is_kept_under_a_supervision_action():
    assert set(LEDGER_ACTIONS) == set(Step)
    assert set(LEDGER_ACTIONS.values()) == SUPERVISION_ACTIONS


# --- steps through the service ---------------------------------------------------------------


@pytest.fixture
async def overdue(database, licensing_power) -> tuple[int, str]:  # noqa: F811
    """The id of a fresh OVERDUE warning of 市南区 and its case number."""
    number = f"H-{uuid.uuid4().hex[:12]}"
    accepted = datetime(2025, 9, 26, 2, tzinfo=UTC)
    home = {
        "power_code": licensing_power["powerCode"],
        "division_code": licensing_power["divisionCode"],
        "department_code": licensing_power["departmentCode"],
    }
    reports = [
        EventReport(f"e-{uuid.uuid4().hex}", number, action=action, occurred_at=at, **home)
        for action, at in (("ACCEPT", accepted), ("APPROVE", accepted + timedelta(days=60)))
    ]
    async with database.session(BYPASS) as session:
        results = await report_events(
            session=session, reports=reports, reporter=SYSTEM, scope=BYPASS
        )
        assert {r.status for r in results} == {"ACCEPTED"}, results
        await session.commit()
        warning_id = await session.scalar(
            select(Warning.id).where(Warning.case_number == number, Warning.kind == "OVERDUE")
        )
    assert warning_id is not None
    return warning_id, number


async def test_handling_steps_leave_the_case_alone_and_the_ledger_verifiable(database, overdue):
    warning_id, number = overdue
    now = datetime.now(UTC)
    async with database.session(BYPASS) as session:
        case = await session.scalar(select(Case).where(Case.number == number))
        before = (case.state, case.event_count, list(case.anomalies), case.decided_at)
        common = {"session": session, "warning_id": warning_id, "scope": BYPASS}
        await handling.confirm_warning(**common, actor="inspector-1", note="属实", now=now)
        await handling.issue_card(
            **common, actor="supervisor-1", level=CardLevel.RED, reason="超期", now=now
        )
        await handling.order_rectification(
            **common,
            actor="inspector-1",
            deadline=now + timedelta(days=7),
            instructions="补办",
            now=now,
        )
        await handling.submit_rectification(**common, actor="head-1", note="已补办", now=now)
        await handling.reopen_rectification(
            **common, actor="inspector-1", deadline=now + timedelta(days=14), reason="不全", now=now
        )
        await handling.submit_rectification(**common, actor="head-1", note="已补全", now=now)
        handled = await handling.verify_rectification(**common, actor="inspector-1", now=now)
        await session.commit()

        assert handled.warning.status is WarningStatus.RESOLVED
        assert handled.warning.rectify_by == now + timedelta(days=14)
        assert handled.warning.escalate_at is None
        steps = list(
            await session.scalars(
                select(WarningAction.action)
                .where(WarningAction.warning_id == warning_id)
                .order_by(WarningAction.id)
            )
        )
        assert steps == [
            "CONFIRM",
            "ISSUE_CARD",
            "ORDER_RECTIFICATION",
            "SUBMIT_RECTIFICATION",
            "REOPEN_RECTIFICATION",
            "SUBMIT_RECTIFICATION",
            "VERIFY_RECTIFICATION",
        ]
        card = await session.scalar(select(Card).where(Card.warning_id == warning_id))
        assert (card.level, card.division_code, card.issued_by) == (
            CardLevel.RED,
            SHINAN,
            "supervisor-1",
        )
        entries = list(
            await session.scalars(
                select(LedgerEntry)
                .where(
                    LedgerEntry.case_number == number, LedgerEntry.action.in_(SUPERVISION_ACTIONS)
                )
                .order_by(LedgerEntry.seq)
            )
        )
        assert [e.event_id for e in entries] == [f"warning-{warning_id}-{n}" for n in range(1, 8)]
        body = json.loads(entries[0].body)
        assert (body["warningId"], body["step"], body["actor"], body["reason"]) == (
            warning_id,
            "CONFIRM",
            "inspector-1",
            "属实",
        )
        assert body["powerCode"] and body["detail"] == {"from": "OPEN", "to": "CONFIRMED"}
        live = list(
            await session.scalars(
                select(OutboxMessage.payload).where(OutboxMessage.topic == "warning")
            )
        )
        mine = [m for m in live if m["warningId"] == warning_id and "step" in m]
        assert [m["status"] for m in mine][-1] == "RESOLVED"

        # re-deriving the case from all its facts: the supervision steps change nothing
        calendar = await current_calendar(session=session)
        await derive_cases(session=session, case_numbers=[number], calendar=calendar, now=now)
        await session.commit()
        case = await session.scalar(
            select(Case).where(Case.number == number).execution_options(populate_existing=True)
        )
        assert (case.state, case.event_count, list(case.anomalies), case.decided_at) == before

        verified = await ledger.verify(session=session, division_code=SHINAN)
    assert verified.ok, verified


async def test_a_refused_step_writes_nothing(database, overdue):
    warning_id, number = overdue
    async with database.session(BYPASS) as session:
        with pytest.raises(handling.WrongState) as refused:
            await handling.verify_rectification(
                session=session, warning_id=warning_id, actor="inspector-1", scope=BYPASS
            )
        assert refused.value.status is WarningStatus.OPEN
        with pytest.raises(handling.InvalidHandling) as invalid:
            await handling.dismiss_warning(
                session=session, warning_id=warning_id, actor="inspector-1", scope=BYPASS, reason=""
            )
        assert (invalid.value.code, invalid.value.field) == ("REASON_REQUIRED", "reason")
        await session.rollback()
        entries = await session.scalars(
            select(LedgerEntry.id).where(
                LedgerEntry.case_number == number, LedgerEntry.action.in_(SUPERVISION_ACTIONS)
            )
        )
        assert list(entries) == []


async def test_a_warning_outside_the_scope_is_not_found(database, overdue):
    warning_id, _ = overdue
    async with database.session(BYPASS) as session:
        with pytest.raises(handling.WarningNotFound):
            await handling.confirm_warning(
                session=session,
                warning_id=warning_id,
                actor="inspector-2",
                scope=Scope.of(["370203000000"]),  # 市北区
            )


async def test_closing_a_warning_brings_its_case_back_to_the_worker(database, overdue):
    warning_id, number = overdue
    now = datetime.now(UTC)
    async with database.session(BYPASS) as session:
        before = await session.scalar(select(Case.next_check_at).where(Case.number == number))
        assert before is None or before > now  # decided and published or not: nothing due yet
        await handling.confirm_warning(
            session=session, warning_id=warning_id, actor="demo-inspector", scope=BYPASS, now=now
        )
        assert await session.scalar(select(Case.next_check_at).where(Case.number == number)) == (
            before
        )  # still live: the rule cannot fire again, nothing to look at
        await handling.close_warning(
            session=session,
            warning_id=warning_id,
            actor="demo-supervisor",
            scope=BYPASS,
            note="已批评教育",
            now=now,
        )
        due = await session.scalar(select(Case.next_check_at).where(Case.number == number))
        await session.rollback()
    assert due == now


async def test_a_card_goes_only_to_a_department_inside_the_issuers_part_of_the_tree(
    database, overdue
):
    warning_id, _ = overdue
    shinan = Scope.of([SHINAN])
    async with database.session(BYPASS) as session:
        await handling.confirm_warning(
            session=session, warning_id=warning_id, actor="supervisor-1", scope=shinan
        )
        city_department = await session.scalar(
            select(Department.code).where(Department.division_code == "370200000000").limit(1)
        )
        with pytest.raises(handling.InvalidHandling) as refused:
            await handling.issue_card(
                session=session,
                warning_id=warning_id,
                actor="supervisor-1",
                scope=shinan,
                level=CardLevel.RED,
                reason="越界亮牌",
                department_code=city_department,
            )
        assert (refused.value.code, refused.value.field) == ("UNKNOWN_DEPARTMENT", "departmentCode")
        await session.rollback()
