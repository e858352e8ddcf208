"""closeWarning: 办结 — a confirmed violation that needs no rectification is resolved."""

from tests.schema.rules.support import CONFIRM, INSPECTOR, done, raise_overdue, step

CLOSE = """
mutation($id: Int!, $note: String!) {
  closeWarning(id: $id, note: $note) {
    __typename
    ... on WarningPayload { warning { status reason nextSteps } action { step } }
    ... on WrongWarningState { code status allowed }
    ... on UserError { code message field }
  }
}
"""


async def test_a_confirmed_warning_is_closed_without_rectification(gql, licensing_power):
    warning_id, _ = await raise_overdue(gql, licensing_power)
    await done(gql, CONFIRM, {"id": warning_id}, INSPECTOR)

    result = await step(gql, CLOSE, {"id": warning_id, "note": "已办结, 纳入考核"}, INSPECTOR)

    assert result == {
        "__typename": "WarningPayload",
        "warning": {"status": "RESOLVED", "reason": "已办结, 纳入考核", "nextSteps": []},
        "action": {"step": "CLOSE"},
    }


async def test_an_open_warning_is_confirmed_before_it_is_closed(gql, licensing_power):
    warning_id, _ = await raise_overdue(gql, licensing_power)

    result = await step(gql, CLOSE, {"id": warning_id, "note": "办结"}, INSPECTOR)

    assert (result["code"], result["status"]) == ("WRONG_STATE", "OPEN")
