import itertools
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from supervision.cases.clock import TZ
from supervision.catalogue.models import Power, PowerStatus
from supervision.organisation import Department
from tenancy.scope import Scope

SYSTEM = "demo-approval-system"
_serial = itertools.count(1)


@pytest.fixture(scope="session")
async def licensing_power(database) -> dict:
    """A published licensing power of 市南区 with its procedure, from the demo catalogue."""
    async with database.session(Scope.bypass("test: pick a power")) as session:
        row = (
            await session.execute(
                select(Power.code, Power.division_code, Department.code)
                .join(Department, Department.id == Power.department_id)
                .where(
                    Power.status == PowerStatus.PUBLISHED,
                    Power.division_code == "370202000000",
                    Power.category == "LICENSING",
                    Power.latest_version == 1,
                )
                .order_by(Power.id)
                .limit(1)
            )
        ).one()
    return {"powerCode": row[0], "divisionCode": row[1], "departmentCode": row[2]}


@pytest.fixture
def case_number() -> str:
    return f"T{next(_serial):05d}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def event(licensing_power):
    """event(case, action, at, **fields) -> a CaseEventInput dict with a fresh eventId."""

    def make(case: str, action: str, at: datetime, **fields) -> dict:
        return {
            "eventId": fields.pop("eventId", f"e-{uuid.uuid4().hex}"),
            "caseNumber": case,
            "action": action,
            "occurredAt": at.isoformat(),
            **licensing_power,
            **fields,
        }

    return make


def beijing(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


def recent(days_ago: int, hour: int = 10) -> datetime:
    today = datetime.now(TZ).replace(hour=hour, minute=0, second=0, microsecond=0)
    return today - timedelta(days=days_ago)
