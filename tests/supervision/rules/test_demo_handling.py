"""Demo handling: the demo city shows warnings handled, dismissed, carded and rectified."""

from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from supervision.cases import ledger
from supervision.cases.models import SUPERVISION_ACTIONS, LedgerEntry
from supervision.rules.demo_handling import seed_demo_handling
from supervision.rules.models import Card, Warning, WarningAction, WarningStatus
from tests.supervision.cases.test_demo_cases import (  # noqa: F401 - fixtures
    NOW,
    _seed,
    powers,
    session,
)


async def test_the_demo_leaves_warnings_in_every_state_each_step_in_the_ledger(session, powers):  # noqa: F811
    numbers = await _seed(session, powers)
    # a month on: every warning is old enough to be handled, however the cases went in
    # (as they happened, or all at NOW when earlier tests left cases behind)
    later = NOW + timedelta(days=30)
    handled = await seed_demo_handling(session=session, now=later, case_numbers=numbers)
    assert handled > 0

    warnings = list(await session.scalars(select(Warning).where(Warning.case_number.in_(numbers))))
    statuses = Counter(w.status for w in warnings)
    assert statuses[WarningStatus.OPEN] > 0  # not everything is handled
    assert statuses[WarningStatus.DISMISSED] > 0
    assert statuses[WarningStatus.RESOLVED] > 0
    assert statuses[WarningStatus.RECTIFYING] + statuses[WarningStatus.RECTIFIED] > 0
    assert all(w.reason for w in warnings if w.status is WarningStatus.DISMISSED)

    ids = [w.id for w in warnings]
    cards = list(await session.scalars(select(Card).where(Card.warning_id.in_(ids))))
    assert cards and {c.level for c in cards} <= {"YELLOW", "RED"}
    steps = await session.scalar(
        select(func.count()).select_from(WarningAction).where(WarningAction.warning_id.in_(ids))
    )
    in_ledger = await session.scalar(
        select(func.count())
        .select_from(LedgerEntry)
        .where(
            LedgerEntry.case_number.in_(numbers),
            LedgerEntry.action.in_(SUPERVISION_ACTIONS),
        )
    )
    assert steps == in_ledger >= handled
    verification = await ledger.verify(session=session, division_code="370200000000")
    assert verification.ok, verification
