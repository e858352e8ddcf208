"""reportCaseEvents: every fact answered on its own; good ones kept; replays change nothing."""

from tests.schema.cases.conftest import SYSTEM, recent

REPORT = """
mutation($events: [CaseEventInput!]!) {
  reportCaseEvents(events: $events) {
    __typename
    ... on ReportCaseEventsPayload {
      accepted duplicates rejected
      results { eventId caseNumber status code message }
    }
    ... on UserError { code message }
  }
}
"""

CASE = """
query($number: String!) {
  case(number: $number) {
    number state node acceptedAt decidedAt
    anomalies { kind detail }
    applicant { name idNumber phone }
    power { code version name }
    promisedClock {
      limit { value unit } dueAt elapsedWorkingDays remainingWorkingDays
      overdueBy paused provisional
    }
    steps { eventId action node officer occurredAt hash }
    attachments { name version sha256 }
  }
}
"""

SHA_A = "a" * 64
SHA_B = "b" * 64


async def test_a_batch_mixing_good_duplicate_and_bad_events_answers_each(gql, event, case_number):
    accept = event(
        case_number,
        "ACCEPT",
        recent(3),
        applicant={"name": "张三丰", "idNumber": "370202199001011234", "phone": "13812345678"},
        officer="王伟",
        post="窗口受理岗",
    )
    first = await gql(REPORT, {"events": [accept]}, as_=SYSTEM)
    assert first["data"]["reportCaseEvents"]["accepted"] == 1

    advance = event(case_number, "ADVANCE", recent(2), node="审查")
    unknown_power = event(case_number + "-x", "ACCEPT", recent(2), powerCode="0" * 42)
    no_action = event(case_number, "ADVANCE", recent(2))  # ADVANCE without a node
    body = await gql(REPORT, {"events": [accept, advance, unknown_power, no_action]}, as_=SYSTEM)
    payload = body["data"]["reportCaseEvents"]
    assert [(r["status"], r["code"]) for r in payload["results"]] == [
        ("DUPLICATE", None),
        ("ACCEPTED", None),
        ("REJECTED", "UNKNOWN_POWER"),
        ("REJECTED", "MALFORMED"),
    ]
    assert (payload["accepted"], payload["duplicates"], payload["rejected"]) == (1, 1, 2)

    replay = await gql(REPORT, {"events": [accept, advance]}, as_=SYSTEM)
    assert [r["status"] for r in replay["data"]["reportCaseEvents"]["results"]] == ["DUPLICATE"] * 2

    case = (await gql(CASE, {"number": case_number}, as_="demo-inspector"))["data"]["case"]
    assert case["state"] == "IN_PROGRESS"
    assert case["node"] == "审查"
    assert [s["action"] for s in case["steps"]] == ["ACCEPT", "ADVANCE"]
    assert case["applicant"] == {
        "name": "张**",
        "idNumber": "3702**********1234",
        "phone": "138****5678",
    }
    assert case["power"]["version"] == 1


async def test_the_same_event_id_with_another_body_is_refused(gql, event, case_number):
    accept = event(case_number, "ACCEPT", recent(3))
    await gql(REPORT, {"events": [accept]}, as_=SYSTEM)
    changed = {**accept, "officer": "someone else"}
    body = await gql(REPORT, {"events": [changed]}, as_=SYSTEM)
    assert body["data"]["reportCaseEvents"]["results"][0]["code"] == "EVENT_ID_REUSED"


async def test_a_decision_without_acceptance_is_recorded_as_an_anomaly(gql, event, case_number):
    body = await gql(REPORT, {"events": [event(case_number, "APPROVE", recent(1))]}, as_=SYSTEM)
    assert body["data"]["reportCaseEvents"]["accepted"] == 1
    case = (await gql(CASE, {"number": case_number}, as_="demo-inspector"))["data"]["case"]
    assert case["state"] == "APPROVED"
    assert "OUT_OF_ORDER" in [a["kind"] for a in case["anomalies"]]


async def test_facts_arriving_out_of_order_are_placed_by_time(gql, event, case_number):
    approve = event(case_number, "APPROVE", recent(1))
    accept = event(case_number, "ACCEPT", recent(5))
    await gql(REPORT, {"events": [approve]}, as_=SYSTEM)
    await gql(REPORT, {"events": [accept]}, as_=SYSTEM)
    case = (await gql(CASE, {"number": case_number}, as_="demo-inspector"))["data"]["case"]
    assert [s["action"] for s in case["steps"]] == ["ACCEPT", "APPROVE"]
    assert case["state"] == "APPROVED"
    assert case["acceptedAt"] is not None and case["decidedAt"] is not None


async def test_a_new_hash_under_an_attachment_name_is_a_new_version(gql, event, case_number):
    files = [{"name": "申请书.pdf", "sha256": SHA_A, "size": 10}]
    await gql(
        REPORT, {"events": [event(case_number, "ACCEPT", recent(3), attachments=files)]}, as_=SYSTEM
    )
    again = [{"name": "申请书.pdf", "sha256": SHA_A, "size": 10}]
    changed = [{"name": "申请书.pdf", "sha256": SHA_B, "size": 11}]
    await gql(
        REPORT,
        {
            "events": [
                event(case_number, "ATTACH", recent(2), attachments=again),
                event(case_number, "ATTACH", recent(1), attachments=changed),
            ]
        },
        as_=SYSTEM,
    )
    case = (await gql(CASE, {"number": case_number}, as_="demo-inspector"))["data"]["case"]
    assert [(a["version"], a["sha256"]) for a in case["attachments"]] == [(1, SHA_A), (2, SHA_B)]


async def test_reporting_outside_the_callers_subtree_is_refused(gql, event, case_number):
    # the 黄岛区 platform may report only within 黄岛区
    body = await gql(
        REPORT, {"events": [event(case_number, "ACCEPT", recent(1))]}, as_="demo-huangdao-platform"
    )
    assert body["data"]["reportCaseEvents"]["results"][0]["code"] == "OUTSIDE_SUBTREE"


async def test_an_inspector_may_not_report(gql, event, case_number):
    body = await gql(
        REPORT, {"events": [event(case_number, "ACCEPT", recent(1))]}, as_="demo-inspector"
    )
    assert body["data"]["reportCaseEvents"]["code"] == "NOT_PERMITTED"


async def test_more_than_500_events_are_refused_whole(gql, event, case_number):
    events = [event(case_number, "ATTACH", recent(1)) for _ in range(501)]
    body = await gql(REPORT, {"events": events}, as_=SYSTEM)
    assert body["data"]["reportCaseEvents"]["code"] == "BATCH_SIZE"
