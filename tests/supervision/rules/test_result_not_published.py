"""结果未公示: a decision not published (a PUBLISH fact) within 7 days raises
RESULT_NOT_PUBLISHED (a default rule, YELLOW); a timely publication keeps it silent.

The department publishes; the platform never does (the rule watches it). Each test works
in 城阳区, where no other test reports cases, and keeps the worker to it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from supervision.cases.calendar import current_calendar
from supervision.cases.clock import TZ
from supervision.cases.ingest import report_events
from supervision.cases.models import Case
from supervision.cases.reports import EventReport
from supervision.catalogue.models import Power, PowerStatus
from supervision.organisation import Department
from supervision.rules.models import Warning, WarningLevel
from supervision.rules.timeline import publish_by
from tenancy.scope import Scope

SYSTEM = "demo-approval-system"
BYPASS = Scope.bypass("test: publication rule")
CHENGYANG = "370214000000"  # 城阳区
KIND = "RESULT_NOT_PUBLISHED"


def beijing(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


@pytest.fixture(scope="module")
async def home(database) -> dict:
    """A published power of 城阳区."""
    query = (
        select(Power.code, Power.division_code, Department.code)
        .join(Department, Department.id == Power.department_id)
        .where(Power.status == PowerStatus.PUBLISHED, Power.division_code == CHENGYANG)
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
    return f"P-{uuid.uuid4().hex[:12]}"


async def case_of(database, case_number: str) -> Case:
    async with database.session(BYPASS, read_only=True) as session:
        return await session.scalar(select(Case).where(Case.number == case_number))


async def unpublished(database, case_number: str) -> list[Warning]:
    async with database.session(BYPASS, read_only=True) as session:
        query = select(Warning).where(Warning.case_number == case_number, Warning.kind == KIND)
        return list(await session.scalars(query))


def decided_case(case: str, decided: datetime) -> list[tuple[str, str, datetime]]:
    return [(case, "ACCEPT", decided - timedelta(hours=3)), (case, "APPROVE", decided)]


async def test_a_result_still_unpublished_after_seven_days_raises_a_yellow_warning(database, home):
    case = number()
    decided = beijing(2026, 3, 2, 10)
    await report(database, home, decided_case(case, decided), now=decided + timedelta(hours=1))
    assert await unpublished(database, case) == []

    # reported later: any new fact has the rules judge the case again, as of then
    later = beijing(2026, 3, 10, 9)
    await report(database, home, [(case, "ATTACH", later)], now=later)

    (warning,) = await unpublished(database, case)
    assert warning.level is WarningLevel.YELLOW
    assert warning.detail == "2026-03-02 作出决定，应在 7 日内公示，至今未公示"
    assert (await case_of(database, case)).published_at is None


async def test_a_result_published_within_seven_days_raises_nothing(database, home):
    case = number()
    decided = beijing(2026, 3, 2, 10)
    published = beijing(2026, 3, 9, 23)  # the last day
    facts = [*decided_case(case, decided), (case, "PUBLISH", published)]
    await report(database, home, facts, now=beijing(2026, 4, 1, 9))

    assert await unpublished(database, case) == []
    reported = await case_of(database, case)
    assert reported.published_at == published
    assert reported.next_check_at is None  # nothing left for time to bring


async def test_a_result_published_late_is_noted_with_its_day(database, home):
    case = number()
    decided = beijing(2026, 3, 2, 10)
    facts = [*decided_case(case, decided), (case, "PUBLISH", beijing(2026, 3, 12, 10))]
    await report(database, home, facts, now=beijing(2026, 4, 1, 9))

    (warning,) = await unpublished(database, case)
    assert warning.detail == "2026-03-02 作出决定，应在 7 日内公示，2026-03-12 才公示"


async def test_the_worker_raises_it_when_the_seventh_day_is_over(database, home):
    from supervision.rules.worker import check_due_cases

    case = number()
    decided = beijing(2026, 5, 11, 15)
    await report(database, home, decided_case(case, decided), now=decided + timedelta(hours=1))
    deadline = publish_by(decided, 7)
    assert deadline == beijing(2026, 5, 19)
    assert (await case_of(database, case)).next_check_at == deadline

    async with database.session(BYPASS, read_only=True) as session:
        calendar = await current_calendar(session=session)
    before = deadline - timedelta(minutes=1)
    await check_due_cases(database=database, calendar=calendar, now=before, division_code=CHENGYANG)
    assert await unpublished(database, case) == []

    after = deadline + timedelta(minutes=1)
    await check_due_cases(database=database, calendar=calendar, now=after, division_code=CHENGYANG)
    (warning,) = await unpublished(database, case)
    assert warning.raised_at == after


async def test_a_timely_publication_takes_the_case_out_of_the_workers_index(database, home):
    case = number()
    decided = beijing(2026, 6, 1, 15)
    await report(database, home, decided_case(case, decided), now=decided + timedelta(hours=1))
    assert (await case_of(database, case)).next_check_at == publish_by(decided, 7)

    published = decided + timedelta(days=2)
    await report(database, home, [(case, "PUBLISH", published)], now=published)

    reported = await case_of(database, case)
    assert (reported.published_at, reported.next_check_at) == (published, None)
    assert await unpublished(database, case) == []
