"""Handling complaints: who may take which step where, and the typed errors."""

import pytest

from tests.schema.complaints.support import (
    ACCEPT,
    INSPECTOR,
    RESULT,
    SHIBEI,
    SHINAN,
    SUPERVISOR,
    complaint_id,
    submit,
    take,
)
from tests.supervision.complaints.support import department_in

ASSIGN = f"""
mutation($id: Int!, $to: String!) {{ assignComplaint(id: $id, assignee: $to) {{ {RESULT} }} }}
"""
REPLY = f"""
mutation($id: Int!, $reply: String!) {{ replyComplaint(id: $id, reply: $reply) {{ {RESULT} }} }}
"""
CLOSE = f"""
mutation($id: Int!, $note: String) {{ closeComplaint(id: $id, note: $note) {{ {RESULT} }} }}
"""


@pytest.fixture
async def filed(gql, database) -> int:
    """A named complaint about a department of 市南区, just filed: its id."""
    department = (await department_in(database, SHINAN)).code
    receipt = await submit(
        gql,
        {
            "about": "DEPARTMENT",
            "departmentCode": department,
            "content": "窗口推诿",
            "complainant": {"name": "李四", "phone": "13912345678"},
        },
    )
    return await complaint_id(gql, receipt["trackingCode"])


async def test_a_supervisor_accepts_and_sees_the_complainant(gql, filed):
    result = await take(gql, ACCEPT, {"id": filed})

    complaint = result["complaint"]
    assert (complaint["status"], complaint["nextSteps"]) == ("ACCEPTED", ["ASSIGN", "REPLY"])
    assert complaint["complainant"] == {"name": "李四", "phone": "13912345678", "masked": False}
    assert [(s["step"], s["actor"]) for s in complaint["steps"]] == [
        ("SUBMIT", "named"),
        ("ACCEPT", SUPERVISOR),
    ]


async def test_a_district_supervisor_cannot_handle_another_districts_complaint(gql, granted, filed):
    shibei = await granted("shibei-complaint-supervisor", "supervisor", SHIBEI)

    result = await take(gql, ACCEPT, {"id": filed}, as_=shibei)

    assert (result["__typename"], result["code"], result["field"]) == (
        "NotFound",
        "COMPLAINT_NOT_FOUND",
        "id",
    )


async def test_a_district_supervisor_handles_the_districts_own(gql, granted, filed):
    shinan = await granted("shinan-complaint-supervisor", "supervisor", SHINAN)

    result = await take(gql, ACCEPT, {"id": filed}, as_=shinan)

    assert result["complaint"]["status"] == "ACCEPTED"


async def test_an_inspector_reads_but_may_not_handle(gql, filed):
    result = await take(gql, ACCEPT, {"id": filed}, as_=INSPECTOR)

    assert (result["__typename"], result["code"]) == ("NotPermitted", "NOT_PERMITTED")


async def test_an_anonymous_caller_may_not_handle(gql, filed):
    body = await gql(ACCEPT, {"id": filed})

    assert body["data"]["acceptComplaint"]["code"] == "NOT_PERMITTED"


async def test_a_step_out_of_turn_is_the_wrong_state(gql, filed):
    result = await take(gql, REPLY, {"id": filed, "reply": "答复"})

    assert result == {
        "__typename": "WrongComplaintState",
        "code": "WRONG_STATE",
        "message": "the complaint is RECEIVED: no REPLY now; it may take ACCEPT, CLOSE",
        "status": "RECEIVED",
        "allowed": ["ACCEPT", "CLOSE"],
        "field": None,
    }


async def test_refusing_to_accept_needs_its_reason(gql, filed):
    result = await take(gql, CLOSE, {"id": filed, "note": " "})
    assert (result["code"], result["field"]) == ("REASON_REQUIRED", "note")

    result = await take(gql, CLOSE, {"id": filed, "note": "不属于受理范围"})
    complaint = result["complaint"]
    assert (complaint["status"], complaint["steps"][-1]["step"]) == ("CLOSED", "REJECT")


async def test_an_empty_reply_is_refused(gql, filed):
    await take(gql, ACCEPT, {"id": filed})

    result = await take(gql, REPLY, {"id": filed, "reply": "   "})

    assert (result["__typename"], result["code"], result["field"]) == (
        "InvalidInput",
        "REPLY_REQUIRED",
        "reply",
    )


async def test_assigning_to_an_unknown_department_is_refused(gql, filed):
    await take(gql, ACCEPT, {"id": filed})

    result = await take(gql, ASSIGN, {"id": filed, "to": "12370200MB0000000X"})

    assert (result["__typename"], result["code"], result["field"]) == (
        "UnknownDepartment",
        "UNKNOWN_DEPARTMENT",
        "assignee",
    )


async def test_an_unknown_complaint_is_not_found(gql):
    result = await take(gql, ACCEPT, {"id": 2_000_000_000})

    assert (result["__typename"], result["code"]) == ("NotFound", "COMPLAINT_NOT_FOUND")
