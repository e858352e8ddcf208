"""complaints(filter): the handlers' list, inside the caller's part of the tree."""

import pytest

from tests.schema.complaints.support import INSPECTOR, SHIBEI, SHINAN, SUPERVISOR, submit
from tests.supervision.complaints.support import department_in

COMPLAINTS = """
query($filter: ComplaintFilter, $first: Int) {
  complaints(filter: $filter, first: $first) {
    totalCount
    nodes {
      id trackingCode divisionCode departmentCode departmentName status content overdue
      complainant { name phone masked } steps { step actor } nextSteps
    }
  }
}
"""


@pytest.fixture
async def named(gql, database) -> dict:
    """A named complaint about a department of 市南区: the department and the tracking code."""
    department = await department_in(database, SHINAN, 2)
    receipt = await submit(
        gql,
        {
            "about": "DEPARTMENT",
            "departmentCode": department.code,
            "content": "审批超时",
            "complainant": {"name": "欧阳娜娜", "phone": "13912345678"},
        },
    )
    return {"department": department.code, "code": receipt["trackingCode"]}


def mine(body: dict, code: str) -> dict:
    (found,) = [n for n in body["data"]["complaints"]["nodes"] if n["trackingCode"] == code]
    return found


async def test_a_supervisor_lists_complaints_filtered_by_department_and_status(gql, named):
    flt = {"departmentCode": named["department"], "status": "RECEIVED", "divisionCode": SHINAN}

    body = await gql(COMPLAINTS, {"filter": flt}, as_=SUPERVISOR)

    found = mine(body, named["code"])
    assert (found["divisionCode"], found["status"], found["overdue"]) == (SHINAN, "RECEIVED", False)
    assert found["complainant"] == {"name": "欧阳娜娜", "phone": "13912345678", "masked": False}
    assert all(
        n["departmentCode"] == named["department"] for n in body["data"]["complaints"]["nodes"]
    )


async def test_an_inspector_reads_the_complainant_masked(gql, named):
    body = await gql(COMPLAINTS, {"filter": {"divisionCode": SHINAN}}, as_=INSPECTOR)

    found = mine(body, named["code"])
    assert found["complainant"] == {"name": "欧阳**", "phone": "139****5678", "masked": True}
    assert found["content"] == "审批超时"


async def test_another_districts_supervisor_does_not_see_it(gql, granted, named):
    shibei = await granted("shibei-complaint-reader", "supervisor", SHIBEI)

    body = await gql(COMPLAINTS, {"first": 100}, as_=shibei)

    assert named["code"] not in str(body)
    assert all(n["divisionCode"].startswith("370203") for n in body["data"]["complaints"]["nodes"])


async def test_asking_for_another_district_is_forbidden(gql):
    body = await gql(COMPLAINTS, {"filter": {"divisionCode": SHIBEI}}, as_=INSPECTOR)

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_an_anonymous_caller_may_not_list_complaints(gql):
    body = await gql(COMPLAINTS)

    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_page_costs_a_fixed_number_of_statements(gql, named, sql):
    await gql(COMPLAINTS, {"first": 1}, as_=SUPERVISOR)  # warm up
    sql.statements.clear()
    await gql(COMPLAINTS, {"first": 1}, as_=SUPERVISOR)
    one = sql.count
    sql.statements.clear()
    await gql(COMPLAINTS, {"first": 50}, as_=SUPERVISOR)
    assert sql.count == one <= 4
