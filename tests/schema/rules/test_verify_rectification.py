"""verifyRectification: 验收 — the whole handling flow ends RESOLVED, every step in the ledger."""

from tests.schema.cases.support import SHINAN
from tests.schema.rules.support import (
    CONFIRM,
    INSPECTOR,
    ORDER,
    SUBMIT,
    done,
    granted,
    in_days,
    raise_overdue,
    rectifying,
    step,
)

VERIFY = """
mutation($id: Int!, $note: String) {
  verifyRectification(id: $id, note: $note) {
    __typename
    ... on WarningPayload {
      warning { status reason nextSteps actions { step actor fromStatus toStatus eventId } }
    }
    ... on WrongWarningState { code status allowed }
    ... on UserError { code message field }
  }
}
"""
CASE_TRACE = """
query($number: String!) {
  case(number: $number) { state steps { action eventId } supervisionSteps { action eventId } }
}
"""
VERIFY_LEDGER = """
query($code: String!) { verifyLedger(divisionCode: $code) { ok reason eventId } }
"""


async def test_confirm_order_submit_verify_resolves_with_every_step_in_the_case_ledger(
    gql, licensing_power
):
    warning_id, number = await raise_overdue(gql, licensing_power)
    before = (await gql(CASE_TRACE, {"number": number}, as_=INSPECTOR))["data"]["case"]
    head = await granted(gql, "DEPARTMENT_HEAD")
    await done(gql, CONFIRM, {"id": warning_id}, INSPECTOR)
    await done(
        gql, ORDER, {"id": warning_id, "deadline": in_days(7), "instructions": "补办"}, INSPECTOR
    )
    await done(gql, SUBMIT, {"id": warning_id, "note": "已补办"}, head)

    result = await step(gql, VERIFY, {"id": warning_id, "note": "验收通过"}, INSPECTOR)

    assert result["__typename"] == "WarningPayload", result
    warning = result["warning"]
    assert (warning["status"], warning["reason"], warning["nextSteps"]) == (
        "RESOLVED",
        "验收通过",
        [],
    )
    actions = warning["actions"]
    assert [(a["step"], a["actor"], a["fromStatus"], a["toStatus"]) for a in actions] == [
        ("CONFIRM", INSPECTOR, "OPEN", "CONFIRMED"),
        ("ORDER_RECTIFICATION", INSPECTOR, "CONFIRMED", "RECTIFYING"),
        ("SUBMIT_RECTIFICATION", head, "RECTIFYING", "RECTIFIED"),
        ("VERIFY_RECTIFICATION", INSPECTOR, "RECTIFIED", "RESOLVED"),
    ]
    after = (await gql(CASE_TRACE, {"number": number}, as_=INSPECTOR))["data"]["case"]
    # the case's own state and facts are not disturbed; the steps are its supervision trace
    assert after["state"] == before["state"] == "APPROVED"
    assert after["steps"] == before["steps"]
    assert after["supervisionSteps"][len(before["supervisionSteps"]) :] == [
        {"action": action, "eventId": a["eventId"]}
        for action, a in zip(
            [
                "CONFIRM_WARNING",
                "ORDER_RECTIFICATION",
                "SUBMIT_RECTIFICATION",
                "VERIFY_RECTIFICATION",
            ],
            actions,
            strict=True,
        )
    ]
    ledger = (await gql(VERIFY_LEDGER, {"code": SHINAN}, as_=INSPECTOR))["data"]["verifyLedger"]
    assert ledger == {"ok": True, "reason": None, "eventId": None}


async def test_only_a_submitted_rectification_is_verified(gql, licensing_power):
    warning_id, _ = await rectifying(gql, licensing_power)

    result = await step(gql, VERIFY, {"id": warning_id}, INSPECTOR)

    assert (result["__typename"], result["status"], result["allowed"]) == (
        "WrongWarningState",
        "RECTIFYING",
        ["SUBMIT_RECTIFICATION", "ISSUE_CARD"],
    )
