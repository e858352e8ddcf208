"""reopenRectification: 退回整改 — back to RECTIFYING with a new deadline and a reason."""

from datetime import datetime

from tests.schema.rules.support import INSPECTOR, in_days, rectified, step

REOPEN = """
mutation($id: Int!, $deadline: DateTime!, $reason: String!) {
  reopenRectification(id: $id, deadline: $deadline, reason: $reason) {
    __typename
    ... on WarningPayload {
      warning { status rectifyBy reason actions { step deadline } }
    }
    ... on WrongWarningState { code status }
    ... on UserError { code message field }
  }
}
"""


async def test_reopening_sends_it_back_to_rectifying_with_a_new_deadline(gql, licensing_power):
    warning_id, _ = await rectified(gql, licensing_power)
    deadline = in_days(14)

    result = await step(
        gql, REOPEN, {"id": warning_id, "deadline": deadline, "reason": "材料不全"}, INSPECTOR
    )

    assert result["__typename"] == "WarningPayload", result
    warning = result["warning"]
    assert (warning["status"], warning["reason"]) == ("RECTIFYING", "材料不全")
    assert datetime.fromisoformat(warning["rectifyBy"]) == datetime.fromisoformat(deadline)
    steps = [a["step"] for a in warning["actions"]]
    assert steps == [
        "CONFIRM",
        "ORDER_RECTIFICATION",
        "SUBMIT_RECTIFICATION",
        "REOPEN_RECTIFICATION",
    ]
    first, last = warning["actions"][1]["deadline"], warning["actions"][-1]["deadline"]
    assert datetime.fromisoformat(last) > datetime.fromisoformat(first)


async def test_reopening_needs_a_reason(gql, licensing_power):
    warning_id, _ = await rectified(gql, licensing_power)

    result = await step(
        gql, REOPEN, {"id": warning_id, "deadline": in_days(14), "reason": ""}, INSPECTOR
    )

    assert (result["__typename"], result["code"], result["field"]) == (
        "InvalidInput",
        "REASON_REQUIRED",
        "reason",
    )


async def test_reopening_needs_a_deadline_in_the_future(gql, licensing_power):
    warning_id, _ = await rectified(gql, licensing_power)

    result = await step(
        gql, REOPEN, {"id": warning_id, "deadline": in_days(-0.1), "reason": "不全"}, INSPECTOR
    )

    assert (result["code"], result["field"]) == ("DEADLINE_IN_PAST", "deadline")
