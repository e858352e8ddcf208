"""dismissWarning: 排除 — not a violation, for a reason that must be given."""

from tests.schema.cases.conftest import beijing
from tests.schema.cases.support import fact, report
from tests.schema.rules.support import INSPECTOR, done, raise_overdue, step

DISMISS = """
mutation($id: Int!, $reason: String!) {
  dismissWarning(id: $id, reason: $reason) {
    __typename
    ... on WarningPayload { warning { status reason handledBy nextSteps } action { step } }
    ... on WrongWarningState { code status }
    ... on UserError { code message field }
  }
}
"""
WARNINGS = """
query($filter: WarningFilter) { warnings(filter: $filter, first: 100) { nodes { id caseNumber } } }
"""


async def test_an_inspector_dismisses_a_warning_for_a_reason(gql, licensing_power):
    warning_id, _ = await raise_overdue(gql, licensing_power)

    warning = await done(
        gql, DISMISS, {"id": warning_id, "reason": " 系统对接延迟, 实际按时办结 "}, INSPECTOR
    )

    assert warning == {
        "status": "DISMISSED",
        "reason": "系统对接延迟, 实际按时办结",
        "handledBy": INSPECTOR,
        "nextSteps": [],
    }


async def test_dismissing_without_a_reason_is_refused(gql, licensing_power):
    warning_id, _ = await raise_overdue(gql, licensing_power)

    result = await step(gql, DISMISS, {"id": warning_id, "reason": "   "}, INSPECTOR)

    assert (result["__typename"], result["code"], result["field"]) == (
        "InvalidInput",
        "REASON_REQUIRED",
        "reason",
    )


async def test_a_dismissed_warning_is_not_raised_again_on_the_same_facts(gql, licensing_power):
    warning_id, number = await raise_overdue(gql, licensing_power)
    await done(gql, DISMISS, {"id": warning_id, "reason": "实际按时办结"}, INSPECTOR)

    # another fact on the case makes the rules judge it again
    await report(gql, [fact(licensing_power, number, "ATTACH", beijing(2025, 12, 1, 10))])

    body = await gql(WARNINGS, {"filter": {"ruleKind": "OVERDUE"}}, as_=INSPECTOR)
    assert [w["id"] for w in body["data"]["warnings"]["nodes"] if w["caseNumber"] == number] == [
        warning_id
    ]
