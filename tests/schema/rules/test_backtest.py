"""backtestRule: a candidate rule replayed on recorded history, writing nothing."""

from datetime import timedelta

from tests.schema.cases.conftest import SYSTEM, beijing

BACKTEST = """
query($input: BacktestInput!) {
  backtestRule(input: $input) {
    casesExamined casesFlagged truncated
    findings { caseNumber divisionCode departmentCode detail eventIds node }
  }
}
"""
REPORT = """
mutation($events: [CaseEventInput!]!) {
  reportCaseEvents(events: $events) { ... on ReportCaseEventsPayload { accepted } }
}
"""
WARNINGS = """
query($filter: WarningFilter) { warnings(filter: $filter, first: 100) { nodes { caseNumber } } }
"""
SHINAN = "370202000000"
# a window no other test reports into
WINDOW = {"acceptedFrom": "2024-07-08T00:00:00+08:00", "acceptedTo": "2024-07-13T00:00:00+08:00"}


async def _report(gql, events) -> None:
    body = await gql(REPORT, {"events": events}, as_=SYSTEM)
    assert body["data"]["reportCaseEvents"]["accepted"] == len(events)


async def test_a_backtest_finds_what_the_rule_would_have_flagged_and_writes_nothing(
    gql, event, case_number, licensing_power
):
    twice, once = f"{case_number}-twice", f"{case_number}-once"
    accepted = beijing(2024, 7, 8, 9)
    supplement = event(twice, "REQUEST_SUPPLEMENT", accepted + timedelta(hours=2))
    await _report(
        gql,
        [
            event(twice, "ACCEPT", accepted),
            event(twice, "REQUEST_SUPPLEMENT", accepted + timedelta(hours=1)),
            event(twice, "RECEIVE_SUPPLEMENT", accepted + timedelta(hours=1, minutes=30)),
            supplement,
            event(once, "ACCEPT", accepted),
            event(once, "REQUEST_SUPPLEMENT", accepted + timedelta(hours=1)),
        ],
    )
    before = await gql(WARNINGS, {"filter": {"divisionCode": SHINAN}}, as_="demo-supervisor")

    rule = {
        "kind": "REPEATED_SUPPLEMENT",
        "params": {"max": 1},
        "divisionCode": SHINAN,
        "powerCode": licensing_power["powerCode"],
        **WINDOW,
    }
    report = (await gql(BACKTEST, {"input": rule}, as_="demo-supervisor"))["data"]["backtestRule"]
    assert report["casesExamined"] >= 2 and report["truncated"] is False
    flagged = {f["caseNumber"]: f for f in report["findings"]}
    assert twice in flagged and once not in flagged
    assert supplement["eventId"] in flagged[twice]["eventIds"]
    assert flagged[twice]["departmentCode"] == licensing_power["departmentCode"]

    after = await gql(WARNINGS, {"filter": {"divisionCode": SHINAN}}, as_="demo-supervisor")
    assert after == before


async def test_a_backtest_replays_only_the_facts_up_to_the_end_of_the_window(
    gql, event, case_number
):
    accepted = beijing(2024, 7, 9, 9)
    late_supplement = event(case_number, "REQUEST_SUPPLEMENT", beijing(2024, 7, 20, 9))
    await _report(
        gql,
        [
            event(case_number, "ACCEPT", accepted),
            event(case_number, "REQUEST_SUPPLEMENT", accepted + timedelta(hours=1)),
            event(case_number, "RECEIVE_SUPPLEMENT", accepted + timedelta(hours=2)),
            late_supplement,
        ],
    )
    rule = {"kind": "REPEATED_SUPPLEMENT", "params": {"max": 1}, "divisionCode": SHINAN}
    in_window = await gql(BACKTEST, {"input": {**rule, **WINDOW}}, as_="demo-supervisor")
    assert case_number not in {
        f["caseNumber"] for f in in_window["data"]["backtestRule"]["findings"]
    }
    longer = {**WINDOW, "acceptedTo": "2024-07-21T00:00:00+08:00"}
    replayed = await gql(BACKTEST, {"input": {**rule, **longer}}, as_="demo-supervisor")
    assert case_number in {f["caseNumber"] for f in replayed["data"]["backtestRule"]["findings"]}


async def test_a_malformed_candidate_is_refused_with_a_code(gql):
    rule = {
        "kind": "REPEATED_SUPPLEMENT",
        "params": {"max": "two"},
        "divisionCode": SHINAN,
        **WINDOW,
    }
    body = await gql(BACKTEST, {"input": rule}, as_="demo-supervisor")
    assert body["errors"][0]["extensions"]["code"] == "INVALID_RULE"
    assert body["data"] is None


async def test_only_rule_managers_backtest_and_only_in_their_part_of_the_tree(gql):
    rule = {"kind": "RETURNED", "divisionCode": SHINAN, **WINDOW}
    body = await gql(BACKTEST, {"input": rule}, as_="demo-inspector")
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    anonymous = await gql(BACKTEST, {"input": rule})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
