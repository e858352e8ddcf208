"""warning(id), the departmentCode and attentionDivisionCode filters, and what a page costs."""

from datetime import UTC, datetime

from tests.schema.rules.support import (
    CONFIRM,
    INSPECTOR,
    SHIBEI,
    SHINAN,
    SUPERVISOR,
    done,
    granted,
    raise_overdue,
)

WARNING = """
query($id: Int!) {
  warning(id: $id) {
    id status kind caseNumber divisionCode departmentCode officer escalations
    attentionDivisionCode nextSteps actions { step } cards { level }
  }
}
"""
WARNINGS = """
query($filter: WarningFilter, $first: Int) {
  warnings(filter: $filter, first: $first) {
    totalCount
    nodes {
      id status handledBy
      actions { step actor note }
      cards { level departmentCode reason }
      case { number state }
    }
  }
}
"""
ISSUE_CARD = """
mutation($input: IssueCardInput!) { issueCard(input: $input) { __typename } }
"""


async def test_an_inspector_reads_a_warning_by_id(gql, licensing_power):
    warning_id, number = await raise_overdue(gql, licensing_power)

    body = await gql(WARNING, {"id": warning_id}, as_=INSPECTOR)

    assert body["data"]["warning"] == {
        "id": warning_id,
        "status": "OPEN",
        "kind": "OVERDUE",
        "caseNumber": number,
        "divisionCode": SHINAN,
        "departmentCode": licensing_power["departmentCode"],
        "officer": "李强",  # who reported the case's latest step
        "escalations": 0,
        "attentionDivisionCode": SHINAN,
        "nextSteps": ["CONFIRM", "DISMISS"],
        "actions": [],
        "cards": [],
    }


async def test_a_warning_of_another_district_reads_as_none(gql, licensing_power):
    warning_id, _ = await raise_overdue(gql, licensing_power)
    shibei_inspector = await granted(gql, "INSPECTOR", SHIBEI)

    body = await gql(WARNING, {"id": warning_id}, as_=shibei_inspector)

    assert "errors" not in body, body["errors"]
    assert body["data"] == {"warning": None}


async def test_warnings_are_filtered_by_department_and_by_the_division_asked_to_act(
    gql, licensing_power
):
    warning_id, _ = await raise_overdue(gql, licensing_power)
    department = licensing_power["departmentCode"]

    async def ids(**flt) -> list[int]:
        body = await gql(WARNINGS, {"filter": flt, "first": 100}, as_=INSPECTOR)
        return [w["id"] for w in body["data"]["warnings"]["nodes"]]

    assert warning_id in await ids(departmentCode=department, ruleKind="OVERDUE")
    assert warning_id not in await ids(departmentCode="000000000000000000")
    assert warning_id in await ids(attentionDivisionCode=SHINAN, ruleKind="OVERDUE")
    # exactly the division asked to act: the city is not asked until it is escalated there
    assert warning_id not in await ids(attentionDivisionCode="370200000000")


async def test_a_page_of_handled_warnings_costs_the_same_statements_for_2_as_for_4(
    gql, licensing_power, sql
):
    since = datetime.now(UTC).isoformat()
    for _ in range(4):
        warning_id, _ = await raise_overdue(gql, licensing_power)
        await done(gql, CONFIRM, {"id": warning_id}, INSPECTOR)
        card = {"warningId": warning_id, "level": "YELLOW", "reason": "超期"}
        body = await gql(ISSUE_CARD, {"input": card}, as_=SUPERVISOR)
        assert body["data"]["issueCard"]["__typename"] == "CardPayload", body

    counts = {}
    for first in (2, 4):
        sql.statements.clear()
        body = await gql(
            WARNINGS,
            {"filter": {"raisedFrom": since, "ruleKind": "OVERDUE"}, "first": first},
            as_=SUPERVISOR,
        )
        nodes = body["data"]["warnings"]["nodes"]
        assert len(nodes) == first
        assert all(n["actions"] and n["cards"] and n["case"] for n in nodes)
        counts[first] = list(sql.statements)

    # the total count and the page, then one batch each for actions, cards and cases
    assert {first: len(statements) for first, statements in counts.items()} == {2: 5, 4: 5}, (
        "\n\n".join(counts[4])
    )
