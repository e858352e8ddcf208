"""Monitoring points and rules through the API: saved, validated, used without a restart."""

from datetime import UTC, datetime, timedelta

from supervision.cases.calendar import current_calendar
from supervision.rules.worker import check_due_cases
from tenancy.scope import Scope
from tests.schema.cases.conftest import SYSTEM, beijing

CREATE_POINT = """
mutation($input: MonitoringPointInput!) {
  createMonitoringPoint(input: $input) {
    __typename
    ... on MonitoringPointPayload {
      point { id name divisionCode powerCode rules { id kind level params escalateAfterHours } }
    }
    ... on InvalidRule { code message field line column }
    ... on UserError { code message field }
  }
}
"""
ADD_RULE = """
mutation($pointId: Int!, $input: RuleInput!) {
  addRule(pointId: $pointId, input: $input) {
    __typename
    ... on RulePayload { rule { id kind params level active } }
    ... on InvalidRule { code message field line column }
    ... on UserError { code message field }
  }
}
"""
UPDATE_RULE = """
mutation($id: Int!, $input: RuleChangesInput!) {
  updateRule(id: $id, input: $input) {
    __typename
    ... on RulePayload { rule { id active level params } }
    ... on UserError { code message field }
  }
}
"""
UPDATE_POINT = """
mutation($id: Int!, $active: Boolean) {
  updateMonitoringPoint(id: $id, active: $active) {
    __typename
    ... on MonitoringPointPayload { point { id active } }
    ... on UserError { code message }
  }
}
"""
POINTS = """
query($divisionCode: String) {
  monitoringPoints(divisionCode: $divisionCode) { id name divisionCode rules { kind } }
}
"""
RULE_KINDS = "{ ruleKinds { kind timeDriven legalBasis params { name type default } } }"
REPORT = """
mutation($events: [CaseEventInput!]!) {
  reportCaseEvents(events: $events) { ... on ReportCaseEventsPayload { accepted } }
}
"""
WARNINGS = """
query($filter: WarningFilter) {
  warnings(filter: $filter, first: 50) { nodes { kind level caseNumber } }
}
"""
SHINAN, SHIBEI = "370202000000", "370203000000"


def _point(name: str, division: str = SHINAN, **fields) -> dict:
    return {"name": name, "divisionCode": division, **fields}


def _strict_supplements(level: str = "YELLOW") -> dict:
    return {"kind": "REPEATED_SUPPLEMENT", "params": {"max": 0}, "level": level}


async def _supplemented_case(gql, event, number: str, accepted=None) -> None:
    accepted = accepted or beijing(2025, 3, 3, 9)
    events = [
        event(number, "ACCEPT", accepted, officer="王伟"),
        event(number, "REQUEST_SUPPLEMENT", accepted + timedelta(hours=1), officer="王伟"),
    ]
    body = await gql(REPORT, {"events": events}, as_=SYSTEM)
    assert body["data"]["reportCaseEvents"]["accepted"] == 2


async def _kinds_on(gql, number: str) -> list[tuple[str, str]]:
    body = await gql(WARNINGS, {"filter": {"divisionCode": SHINAN}}, as_="demo-inspector")
    return sorted(
        (w["kind"], w["level"])
        for w in body["data"]["warnings"]["nodes"]
        if w["caseNumber"] == number
    )


async def test_rule_kinds_list_every_built_in_kind_with_its_parameters(gql):
    kinds = {k["kind"]: k for k in (await gql(RULE_KINDS))["data"]["ruleKinds"]}
    assert {"OVERDUE", "REPEATED_SUPPLEMENT", "RESULT_NOT_PUBLISHED"} <= set(kinds)
    assert kinds["OVERDUE"]["timeDriven"] is True
    assert kinds["REPEATED_SUPPLEMENT"]["params"] == [{"name": "max", "type": "int", "default": 1}]


async def test_a_rule_saved_through_the_api_raises_on_the_next_fact(
    gql, event, case_number, licensing_power
):
    point = _point(
        "市南区补正从严", powerCode=licensing_power["powerCode"], rules=[_strict_supplements()]
    )
    body = await gql(CREATE_POINT, {"input": point}, as_="demo-supervisor")
    created = body["data"]["createMonitoringPoint"]
    assert created["__typename"] == "MonitoringPointPayload"
    assert created["point"]["rules"][0]["params"] == {"max": 0}

    try:
        await _supplemented_case(gql, event, case_number)
        # the city-wide default allows one supplement; only the new, stricter rule fires
        assert ("REPEATED_SUPPLEMENT", "YELLOW") in await _kinds_on(gql, case_number)
    finally:  # the strict point watches a power other tests report on
        point_id = int(created["point"]["id"])
        await gql(UPDATE_POINT, {"id": point_id, "active": False}, as_="demo-supervisor")


async def test_a_switched_off_rule_raises_nothing(gql, event, case_number, licensing_power):
    point = _point(
        "将停用", powerCode=licensing_power["powerCode"], rules=[_strict_supplements("RED")]
    )
    created = (await gql(CREATE_POINT, {"input": point}, as_="demo-supervisor"))["data"]
    rule_id = created["createMonitoringPoint"]["point"]["rules"][0]["id"]
    body = await gql(
        UPDATE_RULE, {"id": rule_id, "input": {"active": False}}, as_="demo-supervisor"
    )
    assert body["data"]["updateRule"]["rule"]["active"] is False

    await _supplemented_case(gql, event, case_number)
    assert not [k for k in await _kinds_on(gql, case_number) if k[0] == "REPEATED_SUPPLEMENT"]


async def test_parameters_out_of_range_are_refused_with_the_field(gql):
    point = _point(
        "错误参数", rules=[{"kind": "REPEATED_SUPPLEMENT", "params": {"max": -1}, "level": "BLUE"}]
    )
    result = (await gql(CREATE_POINT, {"input": point}, as_="demo-supervisor"))["data"][
        "createMonitoringPoint"
    ]
    assert (result["__typename"], result["code"], result["field"]) == (
        "InvalidRule",
        "INVALID_RULE",
        "params",
    )
    assert "max" in result["message"]


async def test_an_unknown_kind_is_refused(gql):
    point = _point("未知种类", rules=[{"kind": "TOO_SLOW", "level": "BLUE"}])
    result = (await gql(CREATE_POINT, {"input": point}, as_="demo-supervisor"))["data"][
        "createMonitoringPoint"
    ]
    assert (result["code"], result["field"]) == ("INVALID_RULE", "kind")


async def test_an_unknown_power_is_refused(gql):
    point = _point("未知事项", powerCode="X" * 42)
    result = (await gql(CREATE_POINT, {"input": point}, as_="demo-supervisor"))["data"][
        "createMonitoringPoint"
    ]
    assert (result["__typename"], result["code"]) == ("UnknownPower", "UNKNOWN_POWER")


async def test_an_inspector_may_read_points_but_not_make_them(gql):
    body = await gql(CREATE_POINT, {"input": _point("检查员")}, as_="demo-inspector")
    assert body["data"]["createMonitoringPoint"]["code"] == "NOT_PERMITTED"
    points = (await gql(POINTS, as_="demo-inspector"))["data"]["monitoringPoints"]
    assert "青岛市通用监察点" in {p["name"] for p in points}  # set above 市南区, applies there


async def test_a_district_supervisor_changes_only_their_own_district(gql, granted):
    supervisor = await granted("test-shibei-supervisor", "supervisor", SHIBEI)
    refused = await gql(CREATE_POINT, {"input": _point("越界")}, as_=supervisor)
    assert refused["data"]["createMonitoringPoint"]["code"] == "NOT_PERMITTED"

    shinan = await gql(CREATE_POINT, {"input": _point("市南区的点")}, as_="demo-supervisor")
    point_id = int(shinan["data"]["createMonitoringPoint"]["point"]["id"])
    rule = {"kind": "RETURNED", "level": "BLUE"}
    body = await gql(ADD_RULE, {"pointId": point_id, "input": rule}, as_=supervisor)
    assert body["data"]["addRule"]["code"] == "POINT_NOT_FOUND"

    own = await gql(CREATE_POINT, {"input": _point("市北区的点", SHIBEI)}, as_=supervisor)
    own_id = int(own["data"]["createMonitoringPoint"]["point"]["id"])
    added = await gql(ADD_RULE, {"pointId": own_id, "input": rule}, as_=supervisor)
    assert added["data"]["addRule"]["rule"]["params"] == {}
    names = {p["name"] for p in (await gql(POINTS, as_=supervisor))["data"]["monitoringPoints"]}
    assert "市北区的点" in names and "市南区的点" not in names


async def test_validity_must_end_after_it_starts(gql):
    rule = {
        **_strict_supplements(),
        "validFrom": "2026-01-01T00:00:00+08:00",
        "validTo": "2025-01-01T00:00:00+08:00",
    }
    result = (
        await gql(CREATE_POINT, {"input": _point("有效期", rules=[rule])}, as_="demo-supervisor")
    )["data"]["createMonitoringPoint"]
    assert (result["code"], result["field"]) == ("INVALID_RULE", "validTo")


async def test_a_custom_rule_saved_through_the_api_raises_without_a_restart(
    gql, event, case_number, licensing_power
):
    number = f"API-CUSTOM-{case_number}"
    rule = {
        "kind": "CUSTOM",
        "params": {
            "expression": f'case.number == "{number}" && case.counts.RETURN >= 1',
            "message": "退回即预警",
        },
        "level": "RED",
    }
    point = _point("自定义规则（接口）", powerCode=licensing_power["powerCode"], rules=[rule])
    created = (await gql(CREATE_POINT, {"input": point}, as_="demo-supervisor"))["data"][
        "createMonitoringPoint"
    ]
    assert created["point"]["rules"][0]["kind"] == "CUSTOM"
    try:
        returned = event(number, "RETURN", beijing(2025, 3, 4, 9))
        body = await gql(REPORT, {"events": [returned]}, as_=SYSTEM)
        assert body["data"]["reportCaseEvents"]["accepted"] == 1
        assert ("CUSTOM", "RED") in await _kinds_on(gql, number)
    finally:
        point_id = int(created["point"]["id"])
        await gql(UPDATE_POINT, {"id": point_id, "active": False}, as_="demo-supervisor")


async def test_a_malformed_custom_rule_is_refused_with_the_position_of_the_error(gql):
    point_id = int(
        (await gql(CREATE_POINT, {"input": _point("自定义规则（错误）")}, as_="demo-supervisor"))[
            "data"
        ]["createMonitoringPoint"]["point"]["id"]
    )
    rule = {
        "kind": "CUSTOM",
        "params": {"expression": 'case.state == "RETURNED" &&\n  case.counts.RETURN >'},
        "level": "BLUE",
    }
    body = await gql(ADD_RULE, {"pointId": point_id, "input": rule}, as_="demo-supervisor")
    refused = body["data"]["addRule"]
    assert (refused["__typename"], refused["code"], refused["field"]) == (
        "InvalidRule",
        "INVALID_RULE",
        "params",
    )
    assert refused["line"] == 2 and refused["column"] >= 22
    assert "line" not in refused["message"]  # the position is in its own fields

    unknown = {**rule, "params": {"expression": "case.limit > 3"}}
    body = await gql(ADD_RULE, {"pointId": point_id, "input": unknown}, as_="demo-supervisor")
    assert (body["data"]["addRule"]["line"], body["data"]["addRule"]["column"]) == (1, 6)


async def test_a_new_rule_reaches_open_cases_through_the_next_worker_pass(
    gql, event, case_number, licensing_power, database
):
    # open since this morning, one supplement: nothing is due for a while
    await _supplemented_case(gql, event, case_number, datetime.now(UTC) - timedelta(hours=2))
    assert ("REPEATED_SUPPLEMENT", "BLUE") not in await _kinds_on(gql, case_number)

    point = _point("补正从严（存量办件）", powerCode=licensing_power["powerCode"])
    created = (await gql(CREATE_POINT, {"input": point}, as_="demo-supervisor"))["data"]
    point_id = int(created["createMonitoringPoint"]["point"]["id"])
    try:
        rule = _strict_supplements("BLUE")
        added = await gql(ADD_RULE, {"pointId": point_id, "input": rule}, as_="demo-supervisor")
        assert added["data"]["addRule"]["__typename"] == "RulePayload"
        async with database.session(Scope.bypass("test: read the calendar")) as session:
            calendar = await current_calendar(session=session)
        await check_due_cases(
            database=database, calendar=calendar, now=datetime.now(UTC), division_code=SHINAN
        )
        assert ("REPEATED_SUPPLEMENT", "BLUE") in await _kinds_on(gql, case_number)
    finally:
        await gql(UPDATE_POINT, {"id": point_id, "active": False}, as_="demo-supervisor")


async def test_a_division_that_does_not_exist_is_refused(gql):
    result = (
        await gql(
            CREATE_POINT, {"input": _point("无此区划", "370299000000")}, as_="demo-supervisor"
        )
    )["data"]["createMonitoringPoint"]
    assert (result["__typename"], result["code"], result["field"]) == (
        "InvalidInput",
        "UNKNOWN_DIVISION",
        "divisionCode",
    )


async def test_a_parameter_too_large_to_read_is_refused_not_crashed(gql):
    rule = {"kind": "NEAR_DEADLINE", "params": {"share": 10**40}, "level": "BLUE"}
    result = (
        await gql(CREATE_POINT, {"input": _point("大数", rules=[rule])}, as_="demo-supervisor")
    )["data"]["createMonitoringPoint"]
    assert (result["code"], result["field"]) == ("INVALID_RULE", "params")
