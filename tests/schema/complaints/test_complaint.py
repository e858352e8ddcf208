"""complaint(trackingCode): whoever holds the code follows the complaint through its steps."""

from tests.schema.complaints.support import ACCEPT, SHINAN, complaint_id, submit, take
from tests.supervision.complaints.support import department_in

FOLLOW = """
query($code: String!) {
  complaint(trackingCode: $code) {
    trackingCode status closedAt assignedDepartmentCode assignedDepartmentName reply
    steps { step note }
  }
}
"""
ASSIGN = """
mutation($id: Int!, $to: String!) {
  assignComplaint(id: $id, assignee: $to) { __typename ... on UserError { code message } }
}
"""
REPLY = """
mutation($id: Int!, $reply: String!) {
  replyComplaint(id: $id, reply: $reply) { __typename ... on UserError { code message } }
}
"""
CLOSE = """
mutation($id: Int!, $note: String) {
  closeComplaint(id: $id, note: $note) { __typename ... on UserError { code message } }
}
"""


async def test_an_anonymous_caller_follows_a_complaint_to_its_close(gql, database):
    department = (await department_in(database, SHINAN)).code
    handler = await department_in(database, SHINAN, 1)
    receipt = await submit(
        gql,
        {
            "about": "DEPARTMENT",
            "departmentCode": department,
            "content": "多次往返仍未办结",
            "complainant": {"name": "李四", "phone": "13912345678"},
        },
    )
    code = receipt["trackingCode"]
    cid = await complaint_id(gql, code)

    async def status() -> dict:
        body = await gql(FOLLOW, {"code": code})
        assert "errors" not in body, body
        return body["data"]["complaint"]

    assert (await status())["status"] == "RECEIVED"
    assert (await take(gql, ACCEPT, {"id": cid}))["__typename"] == "ComplaintPayload"
    assert (await status())["status"] == "ACCEPTED"
    assert (await take(gql, ASSIGN, {"id": cid, "to": handler.code}))["__typename"] == (
        "ComplaintPayload"
    )
    assigned = await status()
    assert (assigned["status"], assigned["assignedDepartmentName"]) == ("ASSIGNED", handler.name)
    reply = "经核查，该部门已于次日办结，并对相关人员批评教育。"
    assert (await take(gql, REPLY, {"id": cid, "reply": reply}))["__typename"] == (
        "ComplaintPayload"
    )
    assert ((await status())["status"], (await status())["reply"]) == ("REPLIED", reply)
    assert (await take(gql, CLOSE, {"id": cid, "note": "回访满意"}))["__typename"] == (
        "ComplaintPayload"
    )

    closed = await status()
    assert closed["status"] == "CLOSED" and closed["closedAt"] is not None
    assert closed["steps"] == [
        {"step": "SUBMIT", "note": None},
        {"step": "ACCEPT", "note": None},
        {"step": "ASSIGN", "note": None},
        {"step": "REPLY", "note": reply},
        {"step": "CLOSE", "note": None},
    ]
    assert "李四" not in str(closed) and "13912345678" not in str(closed)


async def test_a_wrong_code_reveals_nothing(gql):
    for code in ("ABCD-EFGH-JKMN-PQRS", "abcd", "", "%" * 19):
        body = await gql(FOLLOW, {"code": code})
        assert body["data"] == {"complaint": None} and "errors" not in body


async def test_the_code_is_read_as_typed(gql, database):
    department = (await department_in(database, SHINAN)).code
    receipt = await submit(
        gql, {"about": "DEPARTMENT", "departmentCode": department, "content": "收费不透明"}
    )
    typed = receipt["trackingCode"].replace("-", " ").lower()

    body = await gql(FOLLOW, {"code": typed})

    assert body["data"]["complaint"]["trackingCode"] == receipt["trackingCode"]
