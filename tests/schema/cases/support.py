"""Helpers shared by the case API tests: report facts, pick powers, read answers."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from supervision.cases.clock import TZ
from supervision.catalogue.models import Power, PowerStatus, PowerVersion
from supervision.organisation import Department
from tenancy.db import Database
from tenancy.scope import Scope

SYSTEM = "demo-approval-system"  # system role at the city: may report anywhere in it
INSPECTOR = "demo-inspector"  # inspector at 市南区
ADMIN = "demo-admin"  # admin at the city

SHINAN = "370202000000"  # 市南区
SHIBEI = "370203000000"  # 市北区
HONG_KONG_ROAD = "370202001000"  # 香港中路街道, a town of 市南区

REPORT = """
mutation($events: [CaseEventInput!]!) {
  reportCaseEvents(events: $events) {
    __typename
    ... on ReportCaseEventsPayload { accepted results { eventId status code message } }
    ... on UserError { code message }
  }
}
"""


async def find_power(
    database: Database,
    *,
    division_code: str,
    promised: tuple[int, str] | None = None,
    category: str | None = None,
    not_department: str | None = None,
) -> dict:
    """A published, never revised power of the division: powerCode, divisionCode, departmentCode.

    `promised` asks for a promised limit (value, unit); `not_department` for a power of
    another department than the one given.
    """
    query = (
        select(Power.code, Power.division_code, Department.code)
        .join(Department, Department.id == Power.department_id)
        .join(PowerVersion, PowerVersion.id == Power.current_version_id)
        .where(
            Power.status == PowerStatus.PUBLISHED,
            Power.division_code == division_code,
            Power.latest_version == 1,
        )
        .order_by(Power.id)
        .limit(1)
    )
    if promised is not None:
        query = query.where(
            PowerVersion.promised_value == promised[0], PowerVersion.promised_unit == promised[1]
        )
    if category is not None:
        query = query.where(Power.category == category)
    if not_department is not None:
        query = query.where(Department.code != not_department)
    async with database.session(Scope.bypass("test: pick a power")) as session:
        row = (await session.execute(query)).one()
    return {"powerCode": row[0], "divisionCode": row[1], "departmentCode": row[2]}


def case_number(label: str = "") -> str:
    return f"T{label}-{uuid.uuid4().hex[:12]}"


def recent_past(*, hours: int) -> datetime:
    """A moment some hours ago, Beijing time."""
    return datetime.now(TZ) - timedelta(hours=hours)


def fact(home: dict, case: str, action: str, at: datetime, **fields) -> dict:
    """A CaseEventInput for the power `home` names, with a fresh eventId."""
    return {
        "eventId": f"e-{uuid.uuid4().hex}",
        "caseNumber": case,
        "action": action,
        "occurredAt": at.isoformat(),
        **home,
        **fields,
    }


async def report(gql, events: list[dict], as_: str = SYSTEM) -> dict:
    """Report facts that must all be accepted; the payload."""
    body = await gql(REPORT, {"events": events}, as_=as_)
    payload = body["data"]["reportCaseEvents"]
    assert payload["__typename"] == "ReportCaseEventsPayload", payload
    assert payload["accepted"] == len(events), payload["results"]
    return payload


def data(body: dict) -> dict:
    """The data of an answer that must carry no error."""
    assert "errors" not in body, body["errors"]
    return body["data"]


def error_code(body: dict) -> str:
    """The code of the one error of an answer."""
    assert body.get("errors"), body
    return body["errors"][0]["extensions"]["code"]
