"""Helpers for the complaint tests: departments of a division, filing and stepping."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select

from supervision.cases.clock import TZ
from supervision.cases.ingest import report_events
from supervision.cases.reports import EventReport
from supervision.catalogue.models import Power, PowerStatus
from supervision.complaints import filing, service
from supervision.complaints.models import ComplaintAbout
from supervision.organisation import Department
from tenancy.db import Database
from tenancy.scope import Scope, subtree

HANDLERS = Scope.bypass("test: complaint handlers")


def beijing(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


async def department_in(database: Database, division_code: str, index: int = 0) -> Department:
    """A department of exactly this division (the index-th by id)."""
    async with database.session(Scope.bypass("test: departments"), read_only=True) as session:
        rows = list(
            await session.scalars(
                select(Department)
                .where(Department.division_code == division_code)
                .order_by(Department.id)
            )
        )
    return rows[index]


async def department_under(database: Database, division_code: str) -> Department:
    """A department somewhere in this division's subtree."""
    async with database.session(Scope.bypass("test: departments"), read_only=True) as session:
        return await session.scalar(
            select(Department)
            .where(subtree(Department.division_code, division_code))
            .order_by(Department.id)
            .limit(1)
        )


async def file(
    database: Database,
    *,
    department_code: str | None = None,
    about: ComplaintAbout = ComplaintAbout.DEPARTMENT,
    content: str = "窗口工作人员态度恶劣，材料齐全却不予受理",
    now: datetime | None = None,
    **given,
) -> filing.Receipt:
    """File a complaint through the service, as the API does; committed."""
    given = filing.Filing(about=about, content=content, department_code=department_code, **given)
    async with database.session(filing.FILING_SCOPE) as session:
        receipt = await filing.submit_complaint(session=session, filing=given, now=now)
        await session.commit()
    return receipt


async def step(database: Database, fn, complaint_id: int, **kwargs) -> service.Stepped:
    """Take a handler's step (service function `fn`) with the whole tree in scope; committed."""
    async with database.session(HANDLERS) as session:
        stepped = await fn(
            session=session,
            complaint_id=complaint_id,
            actor="test-supervisor",
            scope=HANDLERS,
            **kwargs,
        )
        await session.commit()
    return stepped


async def decided_case(database: Database, division_code: str, *, publish: bool) -> dict:
    """A case of a power of the division, accepted and approved in 2026 (and published, if
    asked): its number, division and department code."""
    bypass = Scope.bypass("test: a decided case")
    async with database.session(bypass, read_only=True) as session:
        power, division, department = (
            await session.execute(
                select(Power.code, Power.division_code, Department.code)
                .join(Department, Department.id == Power.department_id)
                .where(
                    Power.status == PowerStatus.PUBLISHED,
                    Power.division_code == division_code,
                    Power.latest_version == 1,
                )
                .order_by(Power.id)
                .limit(1)
            )
        ).one()
    number = f"C-{uuid.uuid4().hex[:12]}"
    facts = [("ACCEPT", beijing(2026, 3, 2, 10)), ("APPROVE", beijing(2026, 3, 3, 10))]
    if publish:
        facts.append(("PUBLISH", beijing(2026, 3, 4, 10)))
    reports = [
        EventReport(
            event_id=f"e-{uuid.uuid4().hex}",
            case_number=number,
            power_code=power,
            division_code=division,
            department_code=department,
            action=action,
            occurred_at=at,
            officer="王伟",
            applicant_name="张三丰",
            applicant_id_number="370213198001011234",
            applicant_phone="13812345678",
        )
        for action, at in facts
    ]
    async with database.session(bypass) as session:
        results = await report_events(
            session=session,
            reports=reports,
            reporter="demo-approval-system",
            scope=bypass,
            now=beijing(2026, 3, 5, 10),
        )
        assert {r.status for r in results} == {"ACCEPTED"}, results
        await session.commit()
    return {"number": number, "division_code": division, "department_code": department}
