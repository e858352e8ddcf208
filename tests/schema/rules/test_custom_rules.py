"""A custom rule saved while the app runs raises warnings in the same request, no restart."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import update

from supervision.rules.kinds import check_params
from supervision.rules.models import MonitoringPoint, Rule, WarningLevel
from tenancy.scope import Scope
from tests.schema.cases.conftest import SYSTEM, beijing

REPORT = """
mutation($events: [CaseEventInput!]!) {
  reportCaseEvents(events: $events) { ... on ReportCaseEventsPayload { accepted rejected } }
}
"""
WARNINGS = """
query($filter: WarningFilter) {
  warnings(filter: $filter, first: 50) {
    nodes { kind level status detail eventIds legalBasis caseNumber }
  }
}
"""
# only this test's cases (numbers CUSTOM-…) can break it, so other tests never see it
ATTACHED_TWICE = 'case.number.startsWith("CUSTOM-") && case.counts.ATTACH >= 2'
RETURNED = 'case.number.startsWith("CUSTOM-") && case.state == "RETURNED"'


@pytest.fixture
async def custom_rule(database, licensing_power):
    """A CUSTOM rule on a point for the licensing power, saved as the API will save it."""
    params = check_params("CUSTOM", {"expression": ATTACHED_TWICE, "message": "附件重复上传"})
    async with database.session(Scope.bypass("test: save a custom rule")) as session:
        point = MonitoringPoint(
            name="自定义规则测试点",
            division_code=licensing_power["divisionCode"],
            power_code=licensing_power["powerCode"],
            created_by="demo-supervisor",
        )
        session.add(point)
        await session.flush()
        rule = Rule(
            point_id=point.id,
            kind="CUSTOM",
            params=params,
            level=WarningLevel.YELLOW,
            legal_basis="本市电子监察自定义规则第1条",
            owner="demo-supervisor",
        )
        session.add(rule)
        await session.commit()
        rule_id, point_id = rule.id, point.id
    yield rule_id
    async with database.session(Scope.bypass("test: retire the custom rule")) as session:
        await session.execute(update(Rule).where(Rule.id == rule_id).values(active=False))
        await session.execute(
            update(MonitoringPoint).where(MonitoringPoint.id == point_id).values(active=False)
        )
        await session.commit()


def _number() -> str:
    return f"CUSTOM-{uuid.uuid4().hex[:12]}"


async def _custom_warnings(gql, number: str) -> list[dict]:
    body = await gql(WARNINGS, {"filter": {"ruleKind": "CUSTOM"}}, as_="demo-inspector")
    return [w for w in body["data"]["warnings"]["nodes"] if w["caseNumber"] == number]


async def test_a_case_breaking_a_custom_rule_raises_its_warning_in_the_same_request(
    gql, event, custom_rule
):
    number, accepted = _number(), beijing(2025, 9, 26, 10)
    first = event(number, "ATTACH", accepted + timedelta(hours=1))
    second = event(number, "ATTACH", accepted + timedelta(hours=2))
    events = [event(number, "ACCEPT", accepted, officer="王伟"), first, second]
    body = await gql(REPORT, {"events": events}, as_=SYSTEM)
    assert body["data"]["reportCaseEvents"]["accepted"] == 3

    [warning] = await _custom_warnings(gql, number)
    assert (warning["kind"], warning["level"], warning["status"]) == ("CUSTOM", "YELLOW", "OPEN")
    assert warning["detail"] == "附件重复上传"
    assert warning["eventIds"] == [first["eventId"], second["eventId"]]
    assert warning["legalBasis"] == "本市电子监察自定义规则第1条"


async def test_a_case_keeping_a_custom_rule_raises_nothing(gql, event, custom_rule):
    number, accepted = _number(), beijing(2025, 9, 26, 10)
    events = [
        event(number, "ACCEPT", accepted, officer="王伟"),
        event(number, "ATTACH", accepted + timedelta(hours=1)),
    ]
    await gql(REPORT, {"events": events}, as_=SYSTEM)
    assert await _custom_warnings(gql, number) == []


async def test_a_changed_expression_judges_the_next_fact_without_a_restart(
    gql, event, database, custom_rule
):
    params = check_params("CUSTOM", {"expression": RETURNED})
    async with database.session(Scope.bypass("test: change the custom rule")) as session:
        await session.execute(update(Rule).where(Rule.id == custom_rule).values(params=params))
        await session.commit()
    number, submitted = _number(), beijing(2025, 9, 26, 10)
    events = [
        event(number, "SUBMIT", submitted),
        event(number, "RETURN", submitted + timedelta(hours=3), officer="王伟"),
    ]
    await gql(REPORT, {"events": events}, as_=SYSTEM)
    [warning] = await _custom_warnings(gql, number)
    assert warning["detail"] == f"自定义规则成立：{RETURNED}"
    assert warning["eventIds"] == [events[0]["eventId"], events[1]["eventId"]]
