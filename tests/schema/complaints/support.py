"""Helpers for the complaint API tests: file one anonymously, step it as a supervisor."""

from __future__ import annotations

SUPERVISOR = "demo-supervisor"  # supervisor at the city
INSPECTOR = "demo-inspector"  # inspector at 市南区
SHINAN = "370202000000"  # 市南区
SHIBEI = "370203000000"  # 市北区

SUBMIT = """
mutation($input: ComplaintInput!) {
  submitComplaint(input: $input) {
    __typename
    ... on ComplaintReceipt { trackingCode dueAt complaint { status } }
    ... on UserError { code message field }
  }
}
"""
COMPLAINT_FIELDS = """
  id trackingCode divisionCode about caseNumber departmentCode departmentName officer content
  named complainant { name phone masked } status assignedDepartmentCode assignedDepartmentName
  reply dueAt overdue submittedAt updatedAt closedAt nextSteps steps { step actor note at }
"""
RESULT = f"""
  __typename
  ... on ComplaintPayload {{ complaint {{ {COMPLAINT_FIELDS} }} }}
  ... on WrongComplaintState {{ code message status allowed }}
  ... on UserError {{ code message field }}
"""
ACCEPT = f"mutation($id: Int!) {{ acceptComplaint(id: $id) {{ {RESULT} }} }}"


async def submit(gql, complaint: dict, as_: str | None = None) -> dict:
    """File a complaint; its receipt (or the error)."""
    body = await gql(SUBMIT, {"input": complaint}, as_=as_)
    assert "errors" not in body, body
    return body["data"]["submitComplaint"]


async def complaint_id(gql, tracking_code: str) -> int:
    """The id of the complaint with this code, as the city supervisor finds it."""
    body = await gql("{ complaints(first: 100) { nodes { id trackingCode } } }", as_=SUPERVISOR)
    (found,) = [
        n["id"] for n in body["data"]["complaints"]["nodes"] if n["trackingCode"] == tracking_code
    ]
    return found


async def take(gql, operation: str, variables: dict, as_: str = SUPERVISOR) -> dict:
    """Run a step mutation; its result."""
    body = await gql(operation, variables, as_=as_)
    assert "errors" not in body, body
    return next(iter(body["data"].values()))
