"""orderRectification: 督办整改 — the department must rectify by a deadline in the future."""

from datetime import datetime

from tests.schema.rules.support import CONFIRM, INSPECTOR, done, in_days, raise_overdue, step

ORDER = """
mutation($id: Int!, $deadline: DateTime!, $instructions: String!) {
  orderRectification(id: $id, deadline: $deadline, instructions: $instructions) {
    __typename
    ... on WarningPayload {
      warning { status rectifyBy reason nextSteps }
      action { step note deadline fromStatus toStatus }
    }
    ... on WrongWarningState { code status allowed }
    ... on UserError { code message field }
  }
}
"""


async def test_a_confirmed_warning_is_ordered_rectified_by_a_deadline(gql, licensing_power):
    warning_id, _ = await raise_overdue(gql, licensing_power)
    await done(gql, CONFIRM, {"id": warning_id}, INSPECTOR)
    deadline = in_days(10)

    result = await step(
        gql, ORDER, {"id": warning_id, "deadline": deadline, "instructions": "补办手续"}, INSPECTOR
    )

    assert result["__typename"] == "WarningPayload", result
    warning, action = result["warning"], result["action"]
    assert (warning["status"], warning["reason"]) == ("RECTIFYING", "补办手续")
    assert datetime.fromisoformat(warning["rectifyBy"]) == datetime.fromisoformat(deadline)
    assert warning["nextSteps"] == ["SUBMIT_RECTIFICATION", "ISSUE_CARD"]
    assert action["step"] == "ORDER_RECTIFICATION"
    assert (action["fromStatus"], action["toStatus"]) == ("CONFIRMED", "RECTIFYING")
    assert datetime.fromisoformat(action["deadline"]) == datetime.fromisoformat(deadline)


async def test_a_deadline_in_the_past_is_refused(gql, licensing_power):
    warning_id, _ = await raise_overdue(gql, licensing_power)
    await done(gql, CONFIRM, {"id": warning_id}, INSPECTOR)

    result = await step(
        gql, ORDER, {"id": warning_id, "deadline": in_days(-1), "instructions": "补办"}, INSPECTOR
    )

    assert (result["__typename"], result["code"], result["field"]) == (
        "InvalidInput",
        "DEADLINE_IN_PAST",
        "deadline",
    )


async def test_rectification_is_ordered_only_on_a_confirmed_warning(gql, licensing_power):
    warning_id, _ = await raise_overdue(gql, licensing_power)

    result = await step(
        gql, ORDER, {"id": warning_id, "deadline": in_days(5), "instructions": "补办"}, INSPECTOR
    )

    assert (result["__typename"], result["code"], result["status"], result["allowed"]) == (
        "WrongWarningState",
        "WRONG_STATE",
        "OPEN",
        ["CONFIRM", "DISMISS"],
    )
