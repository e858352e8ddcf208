"""Published results to read: cases of 崂山区 decided in May 2024, most published.

Seeded once per session, straight through ingest (as a business system reports them).
Every person's name, ID number and phone is kept, so tests can look for them anywhere
an anonymous caller reaches.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from supervision import credit_code
from supervision.cases.clock import TZ
from supervision.cases.ingest import report_events
from supervision.cases.reports import EventReport
from supervision.catalogue.models import Power, PowerStatus, PowerVersion
from supervision.organisation import Department
from tenancy.scope import Scope

SYSTEM = "demo-approval-system"
BYPASS = Scope.bypass("test: published results")
LAOSHAN = "370212000000"  # 崂山区: no other test reports cases there
WINDOW = (datetime(2024, 5, 1, tzinfo=TZ), datetime(2024, 6, 1, tzinfo=TZ))
PUBLISHED = 55
GIVEN = "明华建国秀英志强丽娟海燕德胜春梅"


@dataclass
class Seeded:
    """What was reported: numbers by kind, and every personal detail given."""

    home: dict
    power_name: str
    department_name: str
    published: list[str] = field(default_factory=list)  # latest decision first
    persons: list[str] = field(default_factory=list)
    companies: dict[str, tuple[str, str]] = field(default_factory=dict)  # number -> name, code
    late: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)  # names, ID numbers, phones of persons


def _person(n: int) -> dict:
    return {
        "applicant_name": f"欧阳{GIVEN[n % len(GIVEN)]}{GIVEN[(n * 7 + 3) % len(GIVEN)]}",
        "applicant_id_number": f"370212{1960 + n % 40}{(n % 12) + 1:02d}15{n % 1000:03d}X",
        "applicant_phone": f"139{n:08d}",
    }


@pytest.fixture(scope="session")
async def seeded(database) -> Seeded:
    """55 published results (persons and companies, some late), and cases never published."""
    query = (
        select(Power.code, Power.division_code, Department.code, PowerVersion.name, Department.name)
        .join(Department, Department.id == Power.department_id)
        .join(PowerVersion, PowerVersion.id == Power.current_version_id)
        .where(
            Power.status == PowerStatus.PUBLISHED,
            Power.division_code == LAOSHAN,
            Power.latest_version == 1,
            PowerVersion.promised_unit == "WORKING_DAY",
            PowerVersion.promised_value.between(1, 20),
        )
        .order_by(Power.id)
        .limit(1)
    )
    async with database.session(BYPASS, read_only=True) as session:
        code, division, department, power_name, department_name = (
            await session.execute(query)
        ).one()
    home = {"power_code": code, "division_code": division, "department_code": department}
    seeded = Seeded(home=home, power_name=power_name, department_name=department_name)
    tag = uuid.uuid4().hex[:6]
    reports: list[EventReport] = []

    def fact(number: str, action: str, at: datetime, **fields) -> None:
        reports.append(
            EventReport(
                event_id=f"e-{uuid.uuid4().hex}",
                case_number=number,
                action=action,
                occurred_at=at,
                **home,
                **fields,
            )
        )

    start = datetime(2024, 5, 6, 10, tzinfo=TZ)
    for n in range(PUBLISHED):
        number = f"370212-PUB-{tag}-{n:03d}"
        decided = start + timedelta(hours=7 * n)
        late = n % 10 == 3
        accepted = datetime(2024, 2, 1, 10, tzinfo=TZ) if late else decided - timedelta(hours=2)
        if n % 2:
            name = f"青岛崂山公示测试{n}号有限公司"
            code = credit_code.make(division6="370212", serial=7000 + n, kind="91")
            applicant = {
                "applicant_name": name,
                "applicant_credit_code": code,
                "applicant_phone": f"137{n:08d}",
            }
            seeded.companies[number] = (name, code)
            seeded.secrets.append(applicant["applicant_phone"])
        else:
            applicant = _person(n)
            if n % 4 == 2:  # a malformed credit code is no company
                applicant["applicant_credit_code"] = "NOT-A-CREDIT-CODE"
            seeded.persons.append(number)
            seeded.secrets.extend(v for k, v in applicant.items() if "credit" not in k)
        fact(number, "ACCEPT", accepted, **applicant)
        fact(number, "APPROVE" if n % 5 else "REJECT", decided)
        fact(number, "PUBLISH", decided + timedelta(days=1))
        seeded.published.append(number)
        if late:
            seeded.late.append(number)
    seeded.published.reverse()

    # decided in the window, never published; published before the decision; still open
    hidden = [f"370212-HID-{tag}-{k}" for k in range(3)]
    for k, number in enumerate(hidden):
        applicant = _person(900 + k)
        seeded.secrets.extend(applicant.values())
        at = datetime(2024, 5, 20, 9, tzinfo=TZ) + timedelta(hours=k)
        fact(number, "ACCEPT", at, **applicant)
        if k == 0:
            fact(number, "APPROVE", at + timedelta(hours=1))
        elif k == 1:
            fact(number, "PUBLISH", at + timedelta(hours=1))
            fact(number, "APPROVE", at + timedelta(hours=2))
        else:
            fact(number, "PUBLISH", at + timedelta(hours=1))
    seeded.unpublished = hidden

    async with database.session(BYPASS) as session:
        results = await report_events(
            session=session, reports=reports, reporter=SYSTEM, scope=BYPASS
        )
        assert {r.status for r in results} == {"ACCEPTED"}, results
        await session.commit()
    return seeded
