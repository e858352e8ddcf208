"""issueCard: a supervisor's 黄牌 / 红牌 to a department or one of its officers."""

import pytest
from sqlalchemy import select

from supervision.organisation import Department, Officer
from tenancy.scope import Scope
from tests.schema.rules.support import (
    CONFIRM,
    INSPECTOR,
    SHINAN,
    SUPERVISOR,
    done,
    raise_overdue,
    step,
)

ISSUE_CARD = """
mutation($input: IssueCardInput!) {
  issueCard(input: $input) {
    __typename
    ... on CardPayload {
      card { id level departmentCode officer reason issuedBy divisionCode warningId }
      warning { status cards { level officer } }
      action { step note }
    }
    ... on WrongWarningState { code status }
    ... on UserError { code message field }
  }
}
"""
CARDS = """
query($filter: CardFilter) {
  cards(filter: $filter, first: 100) {
    totalCount
    nodes { id level departmentCode warning { id status } }
  }
}
"""


@pytest.fixture(scope="module")
async def officer_of(database):
    """officer_of(department_code) -> the staff number of one of its officers."""

    async def pick(department_code: str) -> str:
        async with database.session(Scope.bypass("test: pick an officer")) as session:
            return await session.scalar(
                select(Officer.staff_number)
                .join(Department, Department.id == Officer.department_id)
                .where(Department.code == department_code)
                .limit(1)
            )

    return pick


async def confirmed(gql, home: dict) -> int:
    warning_id, _ = await raise_overdue(gql, home)
    await done(gql, CONFIRM, {"id": warning_id}, INSPECTOR)
    return warning_id


async def test_a_red_card_to_the_department_is_recorded_and_listed(gql, licensing_power):
    warning_id = await confirmed(gql, licensing_power)
    department = licensing_power["departmentCode"]

    result = await step(
        gql,
        ISSUE_CARD,
        {"input": {"warningId": warning_id, "level": "RED", "reason": "超期办结, 情节严重"}},
        SUPERVISOR,
    )

    assert result["__typename"] == "CardPayload", result
    card = result["card"]
    assert card == {
        "id": card["id"],
        "level": "RED",
        "departmentCode": department,  # the warning's, none being named
        "officer": None,
        "reason": "超期办结, 情节严重",
        "issuedBy": SUPERVISOR,
        "divisionCode": SHINAN,
        "warningId": warning_id,
    }
    assert result["warning"] == {
        "status": "CONFIRMED",
        "cards": [{"level": "RED", "officer": None}],
    }
    assert result["action"] == {"step": "ISSUE_CARD", "note": "超期办结, 情节严重"}
    listed = await gql(
        CARDS, {"filter": {"level": "RED", "departmentCode": department}}, as_=SUPERVISOR
    )
    assert {
        "id": card["id"],
        "level": "RED",
        "departmentCode": department,
        "warning": {"id": warning_id, "status": "CONFIRMED"},
    } in listed["data"]["cards"]["nodes"]


async def test_a_yellow_card_goes_to_an_officer_of_the_department(gql, licensing_power, officer_of):
    warning_id = await confirmed(gql, licensing_power)
    officer = await officer_of(licensing_power["departmentCode"])

    result = await step(
        gql,
        ISSUE_CARD,
        {
            "input": {
                "warningId": warning_id,
                "level": "YELLOW",
                "reason": "未按承诺时限办结",
                "officer": officer,
            }
        },
        SUPERVISOR,
    )

    assert (result["card"]["level"], result["card"]["officer"]) == ("YELLOW", officer)


async def test_a_card_to_an_unknown_officer_is_refused(gql, licensing_power):
    warning_id = await confirmed(gql, licensing_power)

    result = await step(
        gql,
        ISSUE_CARD,
        {"input": {"warningId": warning_id, "level": "YELLOW", "reason": "x", "officer": "nobody"}},
        SUPERVISOR,
    )

    assert (result["code"], result["field"]) == ("UNKNOWN_OFFICER", "officer")


async def test_a_card_to_an_unknown_department_is_refused(gql, licensing_power):
    warning_id = await confirmed(gql, licensing_power)

    result = await step(
        gql,
        ISSUE_CARD,
        {
            "input": {
                "warningId": warning_id,
                "level": "RED",
                "reason": "x",
                "departmentCode": "000000000000000000",
            }
        },
        SUPERVISOR,
    )

    assert (result["__typename"], result["code"], result["field"]) == (
        "UnknownDepartment",
        "UNKNOWN_DEPARTMENT",
        "departmentCode",
    )


async def test_cards_are_issued_only_on_a_confirmed_violation(gql, licensing_power):
    warning_id, _ = await raise_overdue(gql, licensing_power)

    result = await step(
        gql,
        ISSUE_CARD,
        {"input": {"warningId": warning_id, "level": "RED", "reason": "超期"}},
        SUPERVISOR,
    )

    assert (result["code"], result["status"]) == ("WRONG_STATE", "OPEN")


async def test_an_inspector_may_not_issue_cards(gql, licensing_power):
    warning_id = await confirmed(gql, licensing_power)

    result = await step(
        gql,
        ISSUE_CARD,
        {"input": {"warningId": warning_id, "level": "YELLOW", "reason": "超期"}},
        INSPECTOR,
    )

    assert (result["__typename"], result["code"]) == ("NotPermitted", "NOT_PERMITTED")
