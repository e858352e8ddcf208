"""warningRaised: an inspector's app gets each warning once, and what it missed after a drop."""

from __future__ import annotations

import time
from datetime import timedelta

from tests.schema.cases.conftest import beijing
from tests.schema.cases.support import INSPECTOR, SHINAN, case_number, fact
from tests.schema.cases.test_live import (  # noqa: F401 - fixtures
    SETTLE,
    homes,
    live,
    live_database_url,
    next_event,
    post_report,
    subscription,
)

WARNING_RAISED = """
subscription($code: String!, $after: String) {
  warningRaised(divisionCode: $code, minLevel: RED, after: $after) {
    cursor change warningId caseNumber kind level detail status step
  }
}
"""
CONFIRM = """
mutation($id: Int!) {
  confirmWarning(id: $id) { __typename }
}
"""


def _late_case(home: dict) -> tuple[str, list[dict]]:
    number = case_number("warn")
    accepted = beijing(2025, 9, 26, 10)
    return number, [
        fact(home, number, "ACCEPT", accepted, officer="王伟"),
        fact(home, number, "APPROVE", accepted + timedelta(days=60), officer="李强"),
    ]


def _overdue_for(ws, number: str, change: str = "RAISED") -> dict:
    for _ in range(50):
        warning = next_event(ws)
        if (warning["caseNumber"], warning["kind"], warning["change"]) == (
            number,
            "OVERDUE",
            change,
        ):
            return warning
    raise AssertionError(f"no {change} OVERDUE warning for {number}")


def test_an_inspector_receives_a_red_warning_and_what_it_missed(live, token, homes):  # noqa: F811
    first_case, first_events = _late_case(homes[SHINAN])
    with subscription(live, token(INSPECTOR), WARNING_RAISED, {"code": SHINAN}) as ws:
        time.sleep(SETTLE)
        post_report(live, token, first_events)
        first = _overdue_for(ws, first_case)
    assert first["level"] == "RED" and first["cursor"]

    missed_case, missed_events = _late_case(homes[SHINAN])
    post_report(live, token, missed_events)  # while the app is away

    with subscription(
        live, token(INSPECTOR), WARNING_RAISED, {"code": SHINAN, "after": first["cursor"]}
    ) as ws:
        missed = _overdue_for(ws, missed_case)
    assert missed["warningId"] != first["warningId"]


def test_a_handling_step_reaches_the_feed_as_handled_not_as_a_new_warning(
    live,  # noqa: F811
    token,
    homes,  # noqa: F811
):
    number, events = _late_case(homes[SHINAN])
    with subscription(live, token(INSPECTOR), WARNING_RAISED, {"code": SHINAN}) as ws:
        time.sleep(SETTLE)
        post_report(live, token, events)
        raised = _overdue_for(ws, number)
        assert (raised["status"], raised["step"]) == ("OPEN", None)
        response = live.post(
            "/graphql",
            json={"query": CONFIRM, "variables": {"id": raised["warningId"]}},
            headers={"Authorization": f"Bearer {token(INSPECTOR)}"},
        )
        assert response.json()["data"]["confirmWarning"]["__typename"] == "WarningPayload"
        handled = _overdue_for(ws, number, change="HANDLED")
    assert handled["warningId"] == raised["warningId"]
    assert (handled["status"], handled["step"]) == ("CONFIRMED", "CONFIRM")
