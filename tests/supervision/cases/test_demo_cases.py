"""Demo cases: a realistic, deterministic year of cases that ingest takes as they are."""

import re
from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from supervision import credit_code
from supervision.cases import ledger
from supervision.cases.clock import TZ
from supervision.cases.demo import (
    REPORTER,
    demo_powers,
    demo_reports,
    id_check_char,
    seed_demo_cases,
)
from supervision.cases.ingest import report_events
from supervision.cases.models import Attachment, Case, CaseState
from supervision.cases.reports import MAX_BATCH, check_report
from supervision.cases.states import OPEN
from supervision.rules.models import Warning
from supervision.rules.timeline import publish_by
from tenancy.scope import Scope

NOW = datetime(2026, 11, 20, 17, 30, tzinfo=TZ)
COUNT = 300


@pytest.fixture
async def session(database):
    """A bypass session whose work is rolled back: no demo case outlives the test."""
    async with database.session(Scope.bypass("test")) as session:
        try:
            yield session
        finally:
            await session.rollback()


@pytest.fixture(scope="module")
async def powers(database):
    async with database.session(Scope.bypass("test")) as session:
        return await demo_powers(session=session)


async def _seed(session, powers) -> set[str]:
    """Seed the demo cases; their numbers."""
    reports = demo_reports(powers=powers, count=COUNT, now=NOW)
    if await session.scalar(select(Case.id).limit(1)) is None:
        assert await seed_demo_cases(session=session, count=COUNT, now=NOW) == COUNT
    else:
        # Other tests committed cases: the seeder must leave such a database alone,
        # so the same reports go in as the seeder sends them (sorted, batches of 500).
        assert await seed_demo_cases(session=session, count=COUNT, now=NOW) == 0
        reports.sort(key=lambda r: (r.occurred_at, r.event_id))
        for start in range(0, len(reports), MAX_BATCH):
            results = await report_events(
                session=session,
                reports=reports[start : start + MAX_BATCH],
                reporter=REPORTER,
                scope=Scope.bypass("test"),
                now=NOW,
            )
            assert {r.status for r in results} == {"ACCEPTED"}
    return {r.case_number for r in reports}


async def test_seeding_gives_a_realistic_spread_of_cases(session, powers):
    numbers = await _seed(session, powers)
    cases = list(await session.scalars(select(Case).where(Case.number.in_(numbers))))

    assert len(cases) == COUNT
    states = Counter(c.state for c in cases)
    assert 0.65 * COUNT <= states[CaseState.APPROVED] <= 0.9 * COUNT
    assert states[CaseState.REJECTED] >= 6
    assert states[CaseState.RETURNED] >= 6
    assert sum(states[s] for s in OPEN) >= 6
    assert sum(bool(c.pauses) for c in cases) >= 6
    decided = [c for c in cases if c.decided_at is not None]
    late = [c for c in decided if c.decided_late]
    assert 0.03 * len(decided) <= len(late) <= 0.15 * len(decided)
    assert any(c.amounts["penalty"] for c in cases)
    # 公示: most results published within days, some late, some never (the rule sees them)
    published = [c for c in decided if c.published_at is not None]
    assert 0.8 * len(decided) <= len(published) < len(decided)
    assert any(c.published_at >= publish_by(c.decided_at, 7) for c in published)
    unpublished_warnings = await session.scalar(
        select(func.count())
        .select_from(Warning)
        .where(Warning.kind == "RESULT_NOT_PUBLISHED", Warning.case_number.in_(numbers))
    )
    assert unpublished_warnings > 0
    # The demo follows procedure. The one anomaly it may carry: the demo catalogue came
    # into force when it was seeded, after most of these cases were accepted.
    kinds = {a["kind"] for c in cases for a in c.anomalies}
    assert kinds <= {"NO_VERSION_IN_FORCE"}
    attachments = await session.scalar(
        select(func.count()).select_from(Attachment).where(Attachment.case_number.in_(numbers))
    )
    assert attachments > 0

    verification = await ledger.verify(session=session, division_code="370200000000")
    assert verification.ok, verification

    # cases exist now: seeding again leaves them alone
    assert await seed_demo_cases(session=session, count=10, now=NOW) == 0


def test_demo_reports_are_deterministic_and_well_formed(powers):
    reports = demo_reports(powers=powers, count=COUNT, now=NOW)

    assert reports == demo_reports(powers=powers, count=COUNT, now=NOW)
    assert reports != demo_reports(powers=powers, count=COUNT, now=NOW, seed=1)
    for report in reports:
        check_report(report, now=NOW)
    assert len({r.event_id for r in reports}) == len(reports)
    numbers = {r.case_number for r in reports}
    assert len(numbers) == COUNT
    assert all(re.fullmatch(r"\d{6}-\d{4}-\d{6}", n) for n in numbers)  # never "T…"
    assert all(NOW - timedelta(days=380) < r.occurred_at <= NOW for r in reports)
    assert all(8 <= r.occurred_at.astimezone(TZ).hour < 18 for r in reports)
    actions = Counter(r.action for r in reports)
    for action in (
        "SUSPEND",
        "REQUEST_SUPPLEMENT",
        "RETURN",
        "CHARGE_FEE",
        "DECIDE_PENALTY",
        "PUBLISH",
    ):
        assert actions[action] > 0, action


def test_demo_applicants_carry_valid_identifiers(powers):
    reports = demo_reports(powers=powers, count=COUNT, now=NOW)
    ids = [r.applicant_id_number for r in reports if r.applicant_id_number]
    codes = [r.applicant_credit_code for r in reports if r.applicant_credit_code]
    phones = [r.applicant_phone for r in reports if r.applicant_phone]

    assert ids and codes
    assert all(re.fullmatch(r"\d{17}[\dX]", i) and id_check_char(i[:17]) == i[17] for i in ids)
    assert all(credit_code.is_valid(c) for c in codes)
    assert all(re.fullmatch(r"1[3-9]\d{9}", p) for p in phones)


def test_id_check_char_follows_gb_11643():
    # the standard's own example: 11010519491231002X
    assert id_check_char("11010519491231002") == "X"
