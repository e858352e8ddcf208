"""Warnings raised by the default rules in the same request as the facts."""

from datetime import timedelta

from tests.schema.cases.conftest import SYSTEM, beijing

REPORT = """
mutation($events: [CaseEventInput!]!) {
  reportCaseEvents(events: $events) { ... on ReportCaseEventsPayload { accepted rejected } }
}
"""
WARNINGS = """
query($filter: WarningFilter) {
  warnings(filter: $filter, first: 50) {
    totalCount
    nodes { kind level status detail eventIds legalBasis caseNumber case { number state } }
  }
}
"""


def _of(body: dict, number: str) -> list[dict]:
    return [w for w in body["data"]["warnings"]["nodes"] if w["caseNumber"] == number]


async def test_a_late_decision_raises_overdue_in_the_same_request(gql, event, case_number):
    # accepted before National Day 2025, decided weeks later: past any short promise
    accepted = beijing(2025, 9, 26, 10)
    accept = event(case_number, "ACCEPT", accepted, officer="王伟")
    approve = event(case_number, "APPROVE", accepted + timedelta(days=60), officer="李强")
    body = await gql(REPORT, {"events": [accept, approve]}, as_=SYSTEM)
    assert body["data"]["reportCaseEvents"]["accepted"] == 2

    found = _of(
        await gql(WARNINGS, {"filter": {"ruleKind": "OVERDUE"}}, as_="demo-inspector"), case_number
    )
    assert len(found) == 1
    warning = found[0]
    assert (warning["level"], warning["status"]) == ("RED", "OPEN")
    assert approve["eventId"] in warning["eventIds"]
    assert warning["legalBasis"]
    assert warning["case"] == {"number": case_number, "state": "APPROVED"}


async def test_reporting_again_never_duplicates_an_open_warning(gql, event, case_number):
    accepted = beijing(2025, 9, 26, 10)
    events = [
        event(case_number, "ACCEPT", accepted, officer="王伟"),
        event(case_number, "APPROVE", accepted + timedelta(days=60), officer="王伟"),
    ]
    await gql(REPORT, {"events": events}, as_=SYSTEM)
    late_attachment = event(case_number, "ATTACH", accepted + timedelta(days=61))
    await gql(REPORT, {"events": [late_attachment]}, as_=SYSTEM)
    found = _of(
        await gql(WARNINGS, {"filter": {"divisionCode": "370202000000"}}, as_="demo-inspector"),
        case_number,
    )
    kinds = sorted(w["kind"] for w in found)
    assert kinds == sorted(set(kinds))  # one open warning per rule and case
    assert "SAME_OFFICER_ACCEPTS_AND_DECIDES" in kinds


async def test_a_lawful_case_raises_nothing(gql, event, case_number):
    accepted = beijing(2025, 9, 26, 10)
    events = [
        event(case_number, "ACCEPT", accepted, officer="王伟"),
        event(case_number, "APPROVE", accepted + timedelta(hours=2), officer="李强"),
    ]
    await gql(REPORT, {"events": events}, as_=SYSTEM)
    body = await gql(WARNINGS, {"filter": {"divisionCode": "370202000000"}}, as_="demo-inspector")
    kinds = [w["kind"] for w in _of(body, case_number)]
    assert "OVERDUE" not in kinds and "SAME_OFFICER_ACCEPTS_AND_DECIDES" not in kinds


async def test_warnings_stay_inside_the_callers_part_of_the_tree(gql):
    body = await gql(WARNINGS, {"filter": {"divisionCode": "370203000000"}}, as_="demo-inspector")
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    anonymous = await gql(WARNINGS)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
