"""Helpers for the ratings tests: a power of a town, decided cases reported through ingest."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from supervision.cases.clock import TZ
from supervision.cases.ingest import report_events
from supervision.cases.reports import EventReport
from supervision.catalogue.models import Power, PowerStatus
from supervision.organisation import Department
from tenancy.scope import Scope, subtree

SECRET = b"test rating secret " + b"x" * 20
SYSTEM = "demo-approval-system"
TAIDONG = "370203021000"  # 市北区 台东街道: no other test rates or reports there
BYPASS = Scope.bypass("test: ratings")


def beijing(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


def number() -> str:
    return f"R-{uuid.uuid4().hex[:12]}"


async def power_in(database, division_code: str) -> dict:
    """A published power of the division or below it (for EventReport)."""
    query = (
        select(Power.code, Power.division_code, Department.code)
        .join(Department, Department.id == Power.department_id)
        .where(
            Power.status == PowerStatus.PUBLISHED,
            Power.latest_version == 1,
            subtree(Power.division_code, division_code),
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
            case_number=case,
            action=action,
            occurred_at=at,
            officer="王伟" if action == "ACCEPT" else "李强",
            **home,
        )
        for case, action, at in facts
    ]
    async with database.session(BYPASS) as session:
        results = await report_events(
            session=session, reports=reports, reporter=SYSTEM, scope=BYPASS, now=now
        )
        assert {r.status for r in results} == {"ACCEPTED"}, results
        await session.commit()


async def decided_case(database, home: dict, *, decided: datetime, action="APPROVE") -> str:
    """A case accepted the day before `decided` and decided then; its number."""
    case = number()
    accepted = decided - timedelta(days=1)
    await report(database, home, [(case, "ACCEPT", accepted), (case, action, decided)], now=decided)
    return case
