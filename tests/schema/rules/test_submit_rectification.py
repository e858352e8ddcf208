"""submitRectification: the department head reports what the department rectified."""

from tests.schema.rules.support import INSPECTOR, SHIBEI, granted, rectifying, step

SUBMIT = """
mutation($id: Int!, $note: String!) {
  submitRectification(id: $id, note: $note) {
    __typename
    ... on WarningPayload { warning { status reason handledBy nextSteps } action { step actor } }
    ... on WrongWarningState { code status }
    ... on UserError { code message field }
  }
}
"""


async def test_the_department_head_submits_the_rectification(gql, licensing_power):
    warning_id, _ = await rectifying(gql, licensing_power)
    head = await granted(gql, "DEPARTMENT_HEAD")

    result = await step(gql, SUBMIT, {"id": warning_id, "note": "已补办手续"}, head)

    assert result["__typename"] == "WarningPayload", result
    assert result["warning"] == {
        "status": "RECTIFIED",
        "reason": "已补办手续",
        "handledBy": head,
        "nextSteps": ["VERIFY_RECTIFICATION", "REOPEN_RECTIFICATION", "ISSUE_CARD"],
    }
    assert result["action"] == {"step": "SUBMIT_RECTIFICATION", "actor": head}


async def test_a_department_head_of_another_district_does_not_find_the_warning(
    gql, licensing_power
):
    warning_id, _ = await rectifying(gql, licensing_power)
    head = await granted(gql, "DEPARTMENT_HEAD", SHIBEI)

    result = await step(gql, SUBMIT, {"id": warning_id, "note": "已整改"}, head)

    assert (result["__typename"], result["code"]) == ("NotFound", "WARNING_NOT_FOUND")


async def test_an_inspector_may_not_submit_a_rectification(gql, licensing_power):
    warning_id, _ = await rectifying(gql, licensing_power)

    result = await step(gql, SUBMIT, {"id": warning_id, "note": "已整改"}, INSPECTOR)

    assert (result["__typename"], result["code"]) == ("NotPermitted", "NOT_PERMITTED")


async def test_a_submission_says_what_was_done(gql, licensing_power):
    warning_id, _ = await rectifying(gql, licensing_power)
    head = await granted(gql, "DEPARTMENT_HEAD")

    result = await step(gql, SUBMIT, {"id": warning_id, "note": ""}, head)

    assert (result["code"], result["field"]) == ("NOTE_REQUIRED", "note")
