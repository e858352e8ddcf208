"""publicStats: anonymous figures of 城阳区 in April 2024, reported through reportCaseEvents.

A case accepted on Monday 1 April 2024 and promised 5 working days is due on Tuesday 9 April
(2, 3, then 7 — the Sunday worked for 清明 — 8 and 9 April).
"""

from __future__ import annotations

import uuid
from datetime import datetime

import httpx
import pytest
from sqlalchemy import select

from api.auth import issue_dev_token
from supervision.cases.clock import TZ
from supervision.catalogue.models import Power, PowerStatus, PowerVersion
from supervision.organisation import Department
from tenancy.scope import Scope

PUBLIC_STATS = """
query($divisionCode: String!, $from: DateTime!, $to: DateTime!) {
  publicStats(divisionCode: $divisionCode, from: $from, to: $to) {
    divisionCode from to
    totals { ...figures }
    byDepartment { department { code name } figures { ...figures } }
    byMonth { month figures { accepted decided onTimeRate } }
  }
}
fragment figures on PublicFigures {
  accepted decided decidedOnTime decidedLate onTimeRate
  promisedCasesDecided decidedEarly earlyCompletionRate
  onTheSpotAccepted onTheSpotDecidedSameDay onTheSpotRate decidedSameDay sameDayRate
  averageWorkingDays averagePromisedWorkingDays
  warningsRaised warningsHandled warningHandlingRate yellowCards redCards
  ratings satisfiedRatings dissatisfiedRatings satisfactionRate
}
"""
REPORT = """
mutation($events: [CaseEventInput!]!) {
  reportCaseEvents(events: $events) { ... on ReportCaseEventsPayload { accepted rejected } }
}
"""
SYSTEM = "demo-approval-system"
CHENGYANG = "370214000000"  # 城阳区: no other test reports cases there
APRIL = {"divisionCode": CHENGYANG, "from": "2024-04-01T00:00:00+08:00", "to": "2024-05-01"}


def beijing(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


async def _home(database, *, on_the_spot: bool, besides: str = "") -> dict:
    """A published, never revised power of 城阳区: promising 5 working days, or on the spot."""
    query = (
        select(Power.code, Power.division_code, Department.code)
        .join(Department, Department.id == Power.department_id)
        .join(PowerVersion, PowerVersion.id == Power.current_version_id)
        .where(
            Power.status == PowerStatus.PUBLISHED,
            Power.division_code == CHENGYANG,
            Power.latest_version == 1,
            PowerVersion.on_the_spot.is_(on_the_spot),
            PowerVersion.promised_value == (0 if on_the_spot else 5),
            PowerVersion.promised_unit == "WORKING_DAY",
            Department.code != besides,
        )
        .order_by(Power.id)
        .limit(1)
    )
    async with database.session(Scope.bypass("test: pick a power"), read_only=True) as session:
        code, division, department = (await session.execute(query)).one()
    return {"powerCode": code, "divisionCode": division, "departmentCode": department}


def _case(home: dict, *facts: tuple[str, datetime]) -> list[dict]:
    number = f"ST-{uuid.uuid4().hex[:12]}"
    return [
        {
            "eventId": f"e-{uuid.uuid4().hex}",
            "caseNumber": number,
            "action": action,
            "occurredAt": at.isoformat(),
            "officer": "王伟" if action == "ACCEPT" else "李强",
            **home,
        }
        for action, at in facts
    ]


@pytest.fixture(scope="module")
async def chengyang(database, settings, app) -> dict:
    """Four cases of April 2024: early, on time, late, and one on the spot the same day."""
    promised = await _home(database, on_the_spot=False)
    spot = await _home(database, on_the_spot=True, besides=promised["departmentCode"])
    events = [
        *_case(promised, ("ACCEPT", beijing(2024, 4, 1, 10)), ("APPROVE", beijing(2024, 4, 3, 15))),
        *_case(promised, ("ACCEPT", beijing(2024, 4, 1, 10)), ("APPROVE", beijing(2024, 4, 9, 16))),
        *_case(promised, ("ACCEPT", beijing(2024, 4, 1, 10)), ("REJECT", beijing(2024, 4, 12, 9))),
        *_case(spot, ("ACCEPT", beijing(2024, 4, 8, 9)), ("APPROVE", beijing(2024, 4, 8, 10, 30))),
    ]
    token = issue_dev_token(settings, subject=SYSTEM)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post(
            "/graphql",
            json={"query": REPORT, "variables": {"events": events}},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.json()["data"]["reportCaseEvents"] == {"accepted": 8, "rejected": 0}
    return {"promised": promised["departmentCode"], "spot": spot["departmentCode"]}


async def test_anyone_reads_the_figures_of_a_district_month(gql, chengyang):
    body = await gql(PUBLIC_STATS, APRIL)
    assert "errors" not in body, body["errors"]
    stats = body["data"]["publicStats"]
    assert stats["divisionCode"] == CHENGYANG
    assert (stats["from"], stats["to"]) == (
        "2024-04-01T00:00:00+08:00",
        "2024-05-01T00:00:00+08:00",
    )
    assert stats["totals"] == {
        "accepted": 4,
        "decided": 4,
        "decidedOnTime": 3,
        "decidedLate": 1,
        "onTimeRate": 0.75,
        "promisedCasesDecided": 3,
        "decidedEarly": 1,
        "earlyCompletionRate": pytest.approx(1 / 3),
        "onTheSpotAccepted": 1,
        "onTheSpotDecidedSameDay": 1,
        "onTheSpotRate": 1.0,
        "decidedSameDay": 1,
        "sameDayRate": 0.25,
        # 2 (2, 3 April), 5, 8 (to 12 April) and 0 working days; promised 5, 5, 5 and 0
        "averageWorkingDays": 3.75,
        "averagePromisedWorkingDays": 3.75,
        # the rules raised their warnings when the facts came in: now, not in April 2024
        "warningsRaised": 0,
        "warningsHandled": 0,
        "warningHandlingRate": None,
        "yellowCards": 0,
        "redCards": 0,
        "ratings": 0,
        "satisfiedRatings": 0,
        "dissatisfiedRatings": 0,
        "satisfactionRate": None,
    }
    departments = {d["department"]["code"]: d["figures"] for d in stats["byDepartment"]}
    assert set(departments) == {chengyang["promised"], chengyang["spot"]}
    promised, spot = departments[chengyang["promised"]], departments[chengyang["spot"]]
    assert (promised["decided"], promised["onTimeRate"]) == (3, pytest.approx(2 / 3))
    assert (spot["onTheSpotRate"], spot["earlyCompletionRate"]) == (1.0, None)
    assert stats["byMonth"] == [
        {"month": "2024-04", "figures": {"accepted": 4, "decided": 4, "onTimeRate": 0.75}}
    ]


async def test_the_statements_are_as_many_for_the_city_as_for_a_district(gql, sql, chengyang):
    counts = []
    for division_code in (CHENGYANG, "370200000000"):
        sql.statements.clear()
        variables = {**APRIL, "divisionCode": division_code, "to": "2025-04-01"}
        body = await gql(PUBLIC_STATS, variables)
        assert "errors" not in body, body["errors"]
        # the outbox relay may be publishing the reports above, beside the request
        counts.append([s for s in sql.statements if "outbox" not in s])
    # the calendar, accepted, decided, the decided cases' dates for the clock,
    # warnings, cards, ratings and the departments named
    assert [len(statements) for statements in counts] == [8, 8], "\n\n".join(counts[1])


async def test_an_empty_window_has_zeros_and_no_rates(gql, chengyang):
    variables = {**APRIL, "from": "2023-11-20", "to": "2024-01-01"}
    stats = (await gql(PUBLIC_STATS, variables))["data"]["publicStats"]
    assert (stats["totals"]["accepted"], stats["totals"]["onTimeRate"]) == (0, None)
    assert stats["byDepartment"] == []
    assert [m["month"] for m in stats["byMonth"]] == ["2023-11", "2023-12"]


async def test_to_must_come_after_from(gql):
    body = await gql(PUBLIC_STATS, {**APRIL, "from": "2024-05-01", "to": "2024-04-01"})
    assert body["errors"][0]["extensions"]["code"] == "INVALID_WINDOW"


async def test_a_window_is_at_most_24_months(gql):
    body = await gql(PUBLIC_STATS, {**APRIL, "to": "2026-04-02"})
    assert body["errors"][0]["extensions"]["code"] == "WINDOW_TOO_LONG"


async def test_a_division_code_has_12_digits(gql):
    body = await gql(PUBLIC_STATS, {**APRIL, "divisionCode": "370214"})
    assert body["errors"][0]["extensions"]["code"] == "INVALID_DIVISION_CODE"
