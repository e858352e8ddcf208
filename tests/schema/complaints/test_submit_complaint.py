"""submitComplaint: anyone files a complaint, named or anonymous, and gets a tracking code."""

import pytest
from sqlalchemy import func, select

from supervision.complaints.models import Complaint
from tenancy.scope import Scope
from tests.schema.complaints.support import SHINAN, SUBMIT, submit
from tests.supervision.complaints.support import department_in

FOLLOW = """
query($code: String!) {
  complaint(trackingCode: $code) {
    trackingCode about departmentCode departmentName named status submittedAt dueAt
    assignedDepartmentCode reply steps { step at note }
  }
}
"""


@pytest.fixture
async def department(database) -> str:
    return (await department_in(database, SHINAN)).code


async def test_an_anonymous_caller_files_a_complaint_and_gets_a_tracking_code(gql, department):
    receipt = await submit(
        gql,
        {"about": "DEPARTMENT", "departmentCode": department, "content": "办事窗口无人值守"},
    )

    assert receipt["__typename"] == "ComplaintReceipt"
    assert len(receipt["trackingCode"]) == 19 and receipt["trackingCode"].count("-") == 3
    assert receipt["complaint"] == {"status": "RECEIVED"}
    body = await gql(FOLLOW, {"code": receipt["trackingCode"]})
    followed = body["data"]["complaint"]
    assert (followed["about"], followed["departmentCode"], followed["named"]) == (
        "DEPARTMENT",
        department,
        False,
    )
    assert followed["dueAt"] == receipt["dueAt"]
    assert [s["step"] for s in followed["steps"]] == ["SUBMIT"]


async def test_a_named_complaints_contact_never_reaches_the_public_view(gql, department):
    receipt = await submit(
        gql,
        {
            "about": "OFFICER",
            "departmentCode": department,
            "officer": "王伟",
            "content": "王伟拖延办理，请回电 13912345678",
            "complainant": {"name": "李四", "phone": "13912345678"},
        },
    )

    body = await gql(FOLLOW, {"code": receipt["trackingCode"]})

    assert body["data"]["complaint"]["named"] is True
    for secret in ("李四", "13912345678", "王伟"):
        assert secret not in str(body)


@pytest.mark.parametrize(
    ("change", "typename", "code", "field"),
    [
        ({"content": "  "}, "InvalidInput", "CONTENT_REQUIRED", "content"),
        ({"content": "长" * 2001}, "InvalidInput", "TOO_LONG", "content"),
        (
            {"departmentCode": "12370200MB0000000X"},
            "UnknownDepartment",
            "UNKNOWN_DEPARTMENT",
            "departmentCode",
        ),
        (
            {"complainant": {"name": "李四", "phone": "110"}},
            "InvalidInput",
            "INVALID_PHONE",
            "complainant.phone",
        ),
        (
            {"about": "CASE", "caseNumber": "NO-SUCH-CASE", "departmentCode": None},
            "InvalidInput",
            "DEPARTMENT_REQUIRED",
            "departmentCode",
        ),
    ],
)
async def test_bad_input_answers_a_typed_error(gql, department, change, typename, code, field):
    complaint = {"about": "DEPARTMENT", "departmentCode": department, "content": "投诉", **change}

    result = await submit(gql, complaint)

    assert (result["__typename"], result["code"], result["field"]) == (typename, code, field)


async def test_a_refused_complaint_leaves_nothing_behind(gql, department, database):
    async def count() -> int:
        async with database.session(Scope.bypass("test: count"), read_only=True) as session:
            return await session.scalar(select(func.count()).select_from(Complaint))

    before = await count()
    body = await gql(
        SUBMIT, {"input": {"about": "DEPARTMENT", "departmentCode": department, "content": ""}}
    )
    assert body["data"]["submitComplaint"]["code"] == "CONTENT_REQUIRED"
    assert await count() == before
