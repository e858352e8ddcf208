"""Helpers for the handling tests: raise a warning, hand out roles, take steps, read answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from tests.schema.cases.support import ADMIN, SHIBEI, SHINAN, case_number, fact, report

INSPECTOR = "demo-inspector"  # inspector at 市南区
SUPERVISOR = "demo-supervisor"  # supervisor at the city
OFFICER = "demo-officer"  # officer at 香港中路街道, 市南区

FIELDS = """
  id status level kind caseNumber divisionCode departmentCode officer handledBy handledAt
  reason rectifyBy escalations attentionDivisionCode nextSteps
  actions { step actor note fromStatus toStatus deadline eventId at }
  cards { level departmentCode officer reason issuedBy }
"""
RESULT = f"""
  __typename
  ... on WarningPayload {{ warning {{ {FIELDS} }} action {{ step eventId }} }}
  ... on WrongWarningState {{ code message status allowed }}
  ... on UserError {{ code message field }}
"""
WARNINGS = """
query($filter: WarningFilter) {
  warnings(filter: $filter, first: 100) { nodes { id caseNumber kind status } }
}
"""
GRANT_ROLE = """
mutation($input: GrantRoleInput!) {
  grantRole(input: $input) { __typename ... on UserError { code message } }
}
"""
CONFIRM = f"""
mutation($id: Int!) {{ confirmWarning(id: $id) {{ {RESULT} }} }}
"""
ORDER = f"""
mutation($id: Int!, $deadline: DateTime!, $instructions: String!) {{
  orderRectification(id: $id, deadline: $deadline, instructions: $instructions) {{ {RESULT} }}
}}
"""
SUBMIT = f"""
mutation($id: Int!, $note: String!) {{ submitRectification(id: $id, note: $note) {{ {RESULT} }} }}
"""
DISMISS = f"""
mutation($id: Int!, $reason: String!) {{ dismissWarning(id: $id, reason: $reason) {{ {RESULT} }} }}
"""


def in_days(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


async def raise_overdue(gql, home: dict) -> tuple[int, str]:
    """Report a case decided weeks late: the id of its OVERDUE warning (RED, OPEN), and
    the case number."""
    number = case_number("handle")
    accepted = datetime(2025, 9, 26, 2, tzinfo=UTC)
    await report(
        gql,
        [
            fact(home, number, "ACCEPT", accepted, officer="王伟"),
            fact(home, number, "APPROVE", accepted + timedelta(days=60), officer="李强"),
        ],
    )
    body = await gql(
        WARNINGS, {"filter": {"ruleKind": "OVERDUE", "divisionCode": SHINAN}}, as_=ADMIN
    )
    found = [w for w in body["data"]["warnings"]["nodes"] if w["caseNumber"] == number]
    assert len(found) == 1, body
    return found[0]["id"], number


async def granted(gql, role: str, division_code: str = SHINAN) -> str:
    """A fresh subject holding `role` at the division."""
    subject = f"t-{uuid4().hex[:8]}"
    body = await gql(
        GRANT_ROLE,
        {"input": {"subject": subject, "role": role, "divisionCode": division_code}},
        as_=ADMIN,
    )
    assert body["data"]["grantRole"]["__typename"] == "GrantRolePayload", body
    return subject


async def step(gql, operation: str, variables: dict, as_: str) -> dict:
    """The result of one handling mutation (the only root field)."""
    body = await gql(operation, variables, as_=as_)
    assert "errors" not in body, body["errors"]
    return next(iter(body["data"].values()))


async def done(gql, operation: str, variables: dict, as_: str) -> dict:
    """The warning after a step that must succeed."""
    result = await step(gql, operation, variables, as_)
    assert result["__typename"] == "WarningPayload", result
    return result["warning"]


async def rectifying(gql, home: dict) -> tuple[int, str]:
    """A warning confirmed and ordered to be rectified within a week."""
    warning_id, number = await raise_overdue(gql, home)
    await done(gql, CONFIRM, {"id": warning_id}, INSPECTOR)
    await done(
        gql,
        ORDER,
        {"id": warning_id, "deadline": in_days(7), "instructions": "补办手续, 说明超期原因"},
        INSPECTOR,
    )
    return warning_id, number


async def rectified(gql, home: dict) -> tuple[int, str]:
    """A warning whose department reported the rectification done."""
    warning_id, number = await rectifying(gql, home)
    head = await granted(gql, "DEPARTMENT_HEAD")
    await done(gql, SUBMIT, {"id": warning_id, "note": "已补办, 责任人已谈话"}, head)
    return warning_id, number


__all__ = ["ADMIN", "SHIBEI", "SHINAN"]
