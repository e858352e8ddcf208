"""confirmWarning: an inspector or supervisor confirms a warning is a violation."""

from tests.schema.rules.support import (
    DISMISS,
    FIELDS,
    INSPECTOR,
    OFFICER,
    SHIBEI,
    SUPERVISOR,
    done,
    granted,
    raise_overdue,
    step,
)

CONFIRM = f"""
mutation($id: Int!, $note: String) {{
  confirmWarning(id: $id, note: $note) {{
    __typename
    ... on WarningPayload {{ warning {{ {FIELDS} }} action {{ step eventId }} }}
    ... on WrongWarningState {{ code message status allowed }}
    ... on UserError {{ code message field }}
  }}
}}
"""
CASE_TRACE = """
query($number: String!) {
  case(number: $number) { state supervisionSteps { action eventId reason } }
}
"""


async def test_an_inspector_confirms_an_open_warning_and_the_ledger_keeps_the_step(
    gql, licensing_power
):
    warning_id, number = await raise_overdue(gql, licensing_power)

    result = await step(gql, CONFIRM, {"id": warning_id, "note": "超期属实"}, INSPECTOR)

    assert result["__typename"] == "WarningPayload", result
    warning = result["warning"]
    assert (warning["status"], warning["handledBy"], warning["reason"]) == (
        "CONFIRMED",
        INSPECTOR,
        "超期属实",
    )
    assert warning["handledAt"]
    assert warning["nextSteps"] == ["ORDER_RECTIFICATION", "CLOSE", "ISSUE_CARD"]
    assert [(a["step"], a["fromStatus"], a["toStatus"]) for a in warning["actions"]] == [
        ("CONFIRM", "OPEN", "CONFIRMED")
    ]
    trace = (await gql(CASE_TRACE, {"number": number}, as_=INSPECTOR))["data"]["case"]
    assert trace["state"] == "APPROVED"  # the case itself is untouched
    assert trace["supervisionSteps"][-1] == {
        "action": "CONFIRM_WARNING",
        "eventId": result["action"]["eventId"],
        "reason": "超期属实",
    }


async def test_a_supervisor_of_the_city_confirms_a_district_warning(gql, licensing_power):
    warning_id, _ = await raise_overdue(gql, licensing_power)

    warning = await done(gql, CONFIRM, {"id": warning_id}, SUPERVISOR)

    assert (warning["status"], warning["handledBy"], warning["reason"]) == (
        "CONFIRMED",
        SUPERVISOR,
        None,
    )


async def test_confirming_a_dismissed_warning_is_the_wrong_state(gql, licensing_power):
    warning_id, _ = await raise_overdue(gql, licensing_power)
    await done(gql, DISMISS, {"id": warning_id, "reason": "系统对接延迟, 实际按时办结"}, INSPECTOR)

    result = await step(gql, CONFIRM, {"id": warning_id}, INSPECTOR)

    assert result["__typename"] == "WrongWarningState", result
    assert (result["code"], result["status"], result["allowed"]) == ("WRONG_STATE", "DISMISSED", [])
    assert "DISMISSED" in result["message"]


async def test_an_officer_may_not_confirm_a_warning(gql, licensing_power):
    warning_id, _ = await raise_overdue(gql, licensing_power)

    result = await step(gql, CONFIRM, {"id": warning_id}, OFFICER)

    assert (result["__typename"], result["code"]) == ("NotPermitted", "NOT_PERMITTED")


async def test_an_inspector_of_another_district_does_not_find_the_warning(gql, licensing_power):
    warning_id, _ = await raise_overdue(gql, licensing_power)
    shibei_inspector = await granted(gql, "INSPECTOR", SHIBEI)

    result = await step(gql, CONFIRM, {"id": warning_id}, shibei_inspector)

    assert (result["__typename"], result["code"], result["field"]) == (
        "NotFound",
        "WARNING_NOT_FOUND",
        "id",
    )


async def test_confirming_a_warning_that_does_not_exist_is_not_found(gql):
    result = await step(gql, CONFIRM, {"id": 2_000_000_000}, INSPECTOR)

    assert (result["__typename"], result["code"]) == ("NotFound", "WARNING_NOT_FOUND")


async def test_confirming_anonymously_is_not_permitted(gql, licensing_power):
    warning_id, _ = await raise_overdue(gql, licensing_power)

    result = await step(gql, CONFIRM, {"id": warning_id}, None)

    assert (result["__typename"], result["code"]) == ("NotPermitted", "NOT_PERMITTED")


async def test_the_officers_supervised_do_not_see_the_supervision_steps(
    gql, licensing_power, granted
):
    warning_id, number = await raise_overdue(gql, licensing_power)
    await step(gql, CONFIRM, {"id": warning_id, "note": "超期属实"}, INSPECTOR)

    query = (
        "query($n: String!) { case(number: $n) { steps { action } supervisionSteps { action } } }"
    )
    body = await gql(query, {"n": number}, as_="demo-admin")
    assert "CONFIRM_WARNING" not in {s["action"] for s in body["data"]["case"]["steps"]}
    assert body["data"]["case"]["supervisionSteps"][-1]["action"] == "CONFIRM_WARNING"
    officer = await granted("test-shinan-officer", "officer", licensing_power["divisionCode"])
    body = await gql(query, {"n": number}, as_=officer)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["errors"][0]["path"] == ["case", "supervisionSteps"]
    # the case's own facts stay readable to them
    assert body["data"]["case"]["supervisionSteps"] is None
    assert body["data"]["case"]["steps"][0]["action"] == "ACCEPT"
