"""COMPLAINT_OVERDUE: the worker watches each complaint's due time like a case's.

Real dates; the worker takes `now`. Each test files its complaints about a department of a
town of its own in 李沧区 and keeps the pass to that town, so no other complaint is judged.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from supervision.cases.calendar import current_calendar
from supervision.complaints import service
from supervision.complaints.deadline import check_due_complaints, watch_number
from supervision.complaints.models import Complaint
from supervision.rules import handling
from supervision.rules.kinds import KINDS, RuleKind
from supervision.rules.models import Rule, Warning, WarningLevel, WarningStatus
from supervision.rules.worker import run_once
from tenancy.scope import Scope
from tests.supervision.complaints.support import beijing, department_in, file, step

BYPASS = Scope.bypass("test: complaint deadlines")


async def numbers_of(database, *codes: str) -> list[str]:
    """What the warnings on these complaints name them by."""
    async with database.session(BYPASS, read_only=True) as session:
        ids = await session.scalars(select(Complaint.id).where(Complaint.tracking_code.in_(codes)))
        return [watch_number(i) for i in ids]


async def warnings_on(database, *codes: str) -> list[Warning]:
    """The warnings on the complaints with these tracking codes (named by their id)."""
    async with database.session(BYPASS, read_only=True) as session:
        ids = await session.scalars(select(Complaint.id).where(Complaint.tracking_code.in_(codes)))
        numbers = [watch_number(i) for i in ids]
        query = select(Warning).where(Warning.case_number.in_(numbers)).order_by(Warning.id)
        return list(await session.scalars(query))


def test_complaint_overdue_is_a_time_driven_kind_silent_on_cases():
    spec = KINDS[RuleKind.COMPLAINT_OVERDUE]
    assert spec.time_driven and spec.params == ()
    assert spec.description.startswith("投诉超期：")


async def test_the_demo_point_carries_a_complaint_overdue_rule(database):
    async with database.session(BYPASS, read_only=True) as session:
        level = await session.scalar(
            select(Rule.level).where(Rule.kind == RuleKind.COMPLAINT_OVERDUE.value)
        )
    assert level is WarningLevel.YELLOW


async def test_an_unanswered_complaint_raises_one_warning_once_past_due(database):
    town = "370213001000"  # 振华路街道
    department = await department_in(database, town)
    filed = beijing(2026, 3, 2, 10)  # a Monday: due at the end of 2026-03-23
    receipt = await file(database, department_code=department.code, now=filed)
    assert receipt.due_at == beijing(2026, 3, 23, 23, 59, 59, 999999)

    before = await check_due_complaints(database=database, now=receipt.due_at, division_code=town)
    assert before == 0
    after = receipt.due_at + timedelta(minutes=1)
    assert await check_due_complaints(database=database, now=after, division_code=town) == 1
    again = after + timedelta(days=3)
    assert await check_due_complaints(database=database, now=again, division_code=town) == 0

    (warning,) = await warnings_on(database, receipt.tracking_code)
    assert (warning.kind, warning.status, warning.level) == (
        "COMPLAINT_OVERDUE",
        WarningStatus.OPEN,
        WarningLevel.YELLOW,
    )
    assert (warning.division_code, warning.department_code, warning.officer) == (
        town,
        department.code,
        None,
    )
    assert "2026-03-23" in warning.detail
    assert warning.escalate_at == after + timedelta(hours=48)


async def test_a_replied_or_refused_complaint_raises_nothing(database):
    town = "370213003000"  # 沧口街道
    department = await department_in(database, town)
    filed = beijing(2026, 3, 2, 10)
    replied = await file(database, department_code=department.code, now=filed)
    await step(database, service.accept_complaint, replied.complaint_id, now=filed)
    await step(database, service.reply_complaint, replied.complaint_id, reply="已答复", now=filed)
    refused = await file(database, department_code=department.code, now=filed)
    await step(database, service.close_complaint, refused.complaint_id, note="重复投诉", now=filed)
    late = await file(database, department_code=department.code, now=filed)
    await step(database, service.accept_complaint, late.complaint_id, now=filed)

    raised = await check_due_complaints(
        database=database, now=beijing(2026, 4, 1, 9), division_code=town
    )

    assert raised == 1
    found = await warnings_on(
        database, replied.tracking_code, refused.tracking_code, late.tracking_code
    )
    assert [w.case_number for w in found] == await numbers_of(database, late.tracking_code)
    assert late.tracking_code not in {w.case_number for w in found}  # the code is not spread


async def test_the_worker_pass_counts_complaints_among_the_warnings_raised(database):
    town = "370213004000"  # 兴华路街道
    department = await department_in(database, town)
    receipt = await file(database, department_code=department.code, now=beijing(2026, 3, 2, 10))
    async with database.session(BYPASS, read_only=True) as session:
        calendar = await current_calendar(session=session)

    counts = await run_once(
        database=database, calendar=calendar, now=beijing(2026, 4, 1, 9), division_code=town
    )

    assert counts["raised"] >= 1
    assert len(await warnings_on(database, receipt.tracking_code)) == 1


async def test_the_warning_is_handled_like_any_other(database):
    town = "370213005000"  # 兴城路街道
    department = await department_in(database, town)
    receipt = await file(database, department_code=department.code, now=beijing(2026, 3, 2, 10))
    await check_due_complaints(database=database, now=beijing(2026, 4, 1, 9), division_code=town)
    (warning,) = await warnings_on(database, receipt.tracking_code)

    async with database.session(BYPASS) as session:
        handled = await handling.confirm_warning(
            session=session, warning_id=warning.id, actor="test-inspector", scope=BYPASS
        )
        await session.commit()

    assert handled.warning.status is WarningStatus.CONFIRMED
    assert handled.action.event_id.startswith(f"warning-{warning.id}-")
