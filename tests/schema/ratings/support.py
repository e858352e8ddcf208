"""Helpers for the rating API tests: a decided case and its code, a rating, a role."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from tests.schema.cases.conftest import recent

SYSTEM = "demo-approval-system"  # system role at the city
SUPERVISOR = "demo-supervisor"  # supervisor at the city
INSPECTOR = "demo-inspector"  # inspector at 市南区
OFFICER = "demo-officer"  # officer at 香港中路街道, 市南区
SHINAN, SHIBEI = "370202000000", "370203000000"

REPORT = """
mutation($events: [CaseEventInput!]!) {
  reportCaseEvents(events: $events) {
    ... on ReportCaseEventsPayload { accepted results { eventId status ratingCode } }
  }
}
"""
RATE = """
mutation($input: RateCaseInput!) {
  rateCase(input: $input) {
    __typename
    ... on RatingPayload {
      caseNumber level score ratedAt rectificationDueAt dimensions { dimension level }
    }
    ... on UserError { code message field }
  }
}
"""
GRANT_ROLE = """
mutation($input: GrantRoleInput!) {
  grantRole(input: $input) { __typename ... on UserError { code message } }
}
"""
RATINGS = """
query($filter: RatingFilter) {
  ratings(filter: $filter, first: 100) {
    totalCount
    nodes {
      id caseNumber level score comment rectificationStatus rectificationDueAt
      rectificationOverdue callbackAt callbackBy callbackNote
    }
  }
}
"""


async def decided(gql, event, number: str, action: str = "APPROVE") -> str:
    """Report the case accepted and decided; the rating code its decision answered."""
    events = [
        event(number, "ACCEPT", recent(3), officer="王伟"),
        event(number, action, recent(1), officer="李强"),
    ]
    body = await gql(REPORT, {"events": events}, as_=SYSTEM)
    payload = body["data"]["reportCaseEvents"]
    assert payload["accepted"] == 2, payload
    accepted, decision = payload["results"]
    assert accepted["ratingCode"] is None
    return decision["ratingCode"]


async def rate(gql, number: str, code: str, level: str = "VERY_SATISFIED", **more) -> dict:
    """rateCase, anonymously; the result."""
    given = {"caseNumber": number, "ratingCode": code, "level": level, **more}
    body = await gql(RATE, {"input": given})
    assert "errors" not in body, body
    return body["data"]["rateCase"]


BAD = {"dimensions": [{"dimension": "EFFICIENCY", "level": "VERY_DISSATISFIED"}]}


async def bad_rating(gql, event, number: str) -> int:
    """A decided case rated 非常不满意; the rating's id, as a supervisor sees it."""
    code = await decided(gql, event, number)
    result = await rate(gql, number, code, "VERY_DISSATISFIED", **BAD)
    assert result["__typename"] == "RatingPayload", result
    return (await rating_of(gql, number))["id"]


async def rating_of(gql, number: str, as_: str = SUPERVISOR) -> dict | None:
    body = await gql(RATINGS, {"filter": {"divisionCode": SHINAN}}, as_=as_)
    assert "errors" not in body, body
    found = [n for n in body["data"]["ratings"]["nodes"] if n["caseNumber"] == number]
    return found[0] if found else None


async def granted(gql, role: str, division_code: str = SHINAN) -> str:
    """A fresh subject holding `role` at the division."""
    subject = f"t-{uuid4().hex[:8]}"
    body = await gql(
        GRANT_ROLE,
        {"input": {"subject": subject, "role": role, "divisionCode": division_code}},
        as_="demo-admin",
    )
    assert body["data"]["grantRole"]["__typename"] == "GrantRolePayload", body
    return subject


def days(n: float) -> timedelta:
    return timedelta(days=n)
