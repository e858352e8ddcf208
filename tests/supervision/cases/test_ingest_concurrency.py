"""Two processes reporting the same batch at once: each fact is kept exactly once."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from supervision.cases.ingest import report_events
from supervision.cases.models import LedgerEntry
from supervision.cases.reports import EventReport
from supervision.catalogue.models import Power, PowerStatus
from supervision.organisation import Department
from tenancy.db import Database
from tenancy.scope import Scope


async def _power(database: Database) -> tuple[str, str, str]:
    async with database.session(Scope.bypass("test: pick a power")) as session:
        return (
            await session.execute(
                select(Power.code, Power.division_code, Department.code)
                .join(Department, Department.id == Power.department_id)
                .where(Power.status == PowerStatus.PUBLISHED, Power.division_code == "370211000000")
                .limit(1)
            )
        ).one()


async def _report(database: Database, reports: list[EventReport]) -> list[str]:
    async with database.session(Scope.of(["370200000000"])) as session:
        results = await report_events(
            session=session,
            reports=reports,
            reporter="demo-approval-system",
            scope=Scope.of(["370200000000"]),
        )
        await session.commit()
    return [r.status for r in results]


async def test_the_same_batch_from_two_processes_is_kept_once(settings):
    first, second = (Database(settings.database_url, app_role=settings.database_role) for _ in "ab")
    try:
        power, division, department = await _power(first)
        case = f"TC-{uuid.uuid4().hex[:10]}"
        start = datetime.now(UTC) - timedelta(days=2)
        reports = [
            EventReport(
                event_id=f"{case}-{n}",
                case_number=case,
                power_code=power,
                division_code=division,
                department_code=department,
                action=action,
                occurred_at=start + timedelta(hours=n),
                node="审查" if action == "ADVANCE" else None,
            )
            for n, action in enumerate(["ACCEPT", "ADVANCE", "APPROVE"])
        ]
        outcomes = await asyncio.gather(_report(first, reports), _report(second, reports))
        assert sorted(map(tuple, outcomes)) == [
            ("ACCEPTED",) * 3,
            ("DUPLICATE",) * 3,
        ]
        async with first.session(Scope.bypass("test: count")) as session:
            kept = await session.scalar(
                select(func.count()).select_from(LedgerEntry).where(LedgerEntry.case_number == case)
            )
        assert kept == 3
    finally:
        await first.dispose()
        await second.dispose()
