"""The fold from facts to a case: every transition of the table, and the anomalies it records.

Facts are never refused: a fact against the machine is applied and noted as an anomaly.
"""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from supervision.cases.clock import TZ
from supervision.cases.models import REPORTABLE_ACTIONS, SUPERVISION_ACTIONS, Action, CaseState
from supervision.cases.states import TRANSITIONS, Fact, fold

A = Action
S = CaseState
START = datetime(2025, 6, 9, 9, 0, tzinfo=TZ)  # a Monday
PROCEDURE = ["受理", "审查", "复核", "决定"]


def facts(*steps: tuple) -> list[Fact]:
    """Facts an hour apart: each step is (action,) or (action, {field: value})."""
    made = []
    for n, step in enumerate(steps):
        action, fields = step[0], (step[1] if len(step) > 1 else {})
        made.append(Fact(f"e{n + 1}", action, START + timedelta(hours=n), **fields))
    return made


def hour(n: int) -> str:
    """The ISO text of the n-th step's time, as pauses record it."""
    return (START + timedelta(hours=n)).isoformat()


# How to reach each state with facts the machine allows (no anomaly on the way).
REACH: dict[CaseState | None, list[tuple]] = {
    None: [],
    S.SUBMITTED: [(A.SUBMIT,)],
    S.ACCEPTED: [(A.ACCEPT,)],
    S.IN_PROGRESS: [(A.ACCEPT,), (A.ADVANCE, {"node": "审查"})],
    S.SUPPLEMENT_REQUESTED: [(A.ACCEPT,), (A.REQUEST_SUPPLEMENT,)],
    S.SUSPENDED: [(A.ACCEPT,), (A.SUSPEND, {"reason": "专家评审"})],
    S.RETURNED: [(A.RETURN,)],
    S.APPROVED: [(A.ACCEPT,), (A.APPROVE,)],
    S.REJECTED: [(A.ACCEPT,), (A.REJECT,)],
    S.WITHDRAWN: [(A.WITHDRAW,)],
}

# The fields an action needs to be a well-formed, lawful fact.
FIELDS: dict[Action, dict] = {
    A.ADVANCE: {"node": "审查"},
    A.SUSPEND: {"reason": "检验"},
    A.CHARGE_FEE: {"fee_charged": Decimal("100")},
    A.DECIDE_PENALTY: {"penalty_decided": Decimal("2000")},
}

ALLOWED = [
    pytest.param(action, before, id=f"{action.value}-from-{before.value if before else 'nothing'}")
    for action, (sources, _) in TRANSITIONS.items()
    for before in sorted(sources, key=lambda s: "" if s is None else s.value)
]


def test_every_action_and_every_state_has_a_way_in_the_table():
    assert set(TRANSITIONS) == REPORTABLE_ACTIONS
    assert set(REACH) == {None, *CaseState}


@pytest.mark.parametrize(("action", "before"), ALLOWED)
def test_each_allowed_transition_leads_where_the_table_says_without_an_anomaly(action, before):
    steps = [*REACH[before], (action, FIELDS.get(action, {}))]

    derived = fold(facts(*steps))

    _, target = TRANSITIONS[action]
    assert derived.state is (target if target is not None else before)
    assert derived.anomalies == []


def test_a_decision_with_no_acceptance_is_out_of_order_but_the_case_is_approved():
    derived = fold(facts((A.APPROVE,)))

    assert derived.state is S.APPROVED
    assert derived.decided_at == START
    assert derived.anomalies == [
        {"eventId": "e1", "kind": "OUT_OF_ORDER", "detail": "APPROVE after nothing"}
    ]


def test_advancing_to_the_third_node_right_after_acceptance_names_the_skipped_node():
    derived = fold(facts((A.ACCEPT,), (A.ADVANCE, {"node": "复核"})), PROCEDURE)

    assert derived.state is S.IN_PROGRESS
    assert derived.node == "复核"
    assert derived.anomalies == [{"eventId": "e2", "kind": "NODE_SKIPPED", "detail": "审查"}]


def test_advancing_node_by_node_records_no_anomaly():
    derived = fold(
        facts((A.ACCEPT,), (A.ADVANCE, {"node": "审查"}), (A.ADVANCE, {"node": "复核"})),
        PROCEDURE,
    )

    assert derived.nodes_seen == ["受理", "审查", "复核"]
    assert derived.anomalies == []


def test_a_decision_before_every_node_but_the_last_was_reached_is_decided_without_nodes():
    derived = fold(facts((A.ACCEPT,), (A.ADVANCE, {"node": "审查"}), (A.APPROVE,)), PROCEDURE)

    assert derived.state is S.APPROVED
    assert derived.anomalies == [
        {"eventId": "e3", "kind": "DECIDED_WITHOUT_NODES", "detail": "复核"}
    ]


def test_a_decision_after_every_node_but_the_last_records_no_anomaly():
    derived = fold(
        facts(
            (A.ACCEPT,),
            (A.ADVANCE, {"node": "审查"}),
            (A.ADVANCE, {"node": "复核"}),
            (A.REJECT,),
        ),
        PROCEDURE,
    )

    assert derived.state is S.REJECTED
    assert derived.anomalies == []


def test_a_suspension_for_a_reason_the_law_does_not_name_is_kept_and_noted():
    derived = fold(facts((A.ACCEPT,), (A.SUSPEND, {"reason": "领导出差"})))

    assert derived.state is S.SUSPENDED
    assert [(a["eventId"], a["kind"]) for a in derived.anomalies] == [("e2", "SUSPEND_REASON")]
    assert "领导出差" in derived.anomalies[0]["detail"]


def test_a_supplement_pause_runs_from_the_request_to_its_receipt():
    derived = fold(facts((A.ACCEPT,), (A.REQUEST_SUPPLEMENT,), (A.RECEIVE_SUPPLEMENT,)))

    assert derived.state is S.IN_PROGRESS
    assert derived.supplements == 1
    assert derived.pauses == [[hour(1), hour(2)]]


def test_a_suspension_pause_runs_from_the_suspension_to_the_resumption():
    derived = fold(facts((A.ACCEPT,), (A.SUSPEND, {"reason": "听证"}), (A.RESUME,)))

    assert derived.state is S.IN_PROGRESS
    assert derived.pauses == [[hour(1), hour(2)]]


def test_a_pause_still_waiting_has_no_end():
    derived = fold(facts((A.ACCEPT,), (A.SUSPEND, {"reason": "鉴定"})))

    assert derived.pauses == [[hour(1), None]]


def test_withdrawing_while_suspended_closes_the_pause():
    derived = fold(facts((A.ACCEPT,), (A.SUSPEND, {"reason": "检测"}), (A.WITHDRAW,)))

    assert derived.state is S.WITHDRAWN
    assert derived.pauses == [[hour(1), hour(2)]]
    assert derived.anomalies == []


def test_withdrawing_while_awaiting_a_supplement_closes_the_pause():
    derived = fold(facts((A.ACCEPT,), (A.REQUEST_SUPPLEMENT,), (A.WITHDRAW,)))

    assert derived.state is S.WITHDRAWN
    assert derived.pauses == [[hour(1), hour(2)]]


def test_a_supplement_then_a_suspension_are_two_pauses_in_order():
    derived = fold(
        facts(
            (A.ACCEPT,),
            (A.REQUEST_SUPPLEMENT,),
            (A.RECEIVE_SUPPLEMENT,),
            (A.SUSPEND, {"reason": "专家评审"}),
            (A.RESUME,),
            (A.APPROVE,),
        )
    )

    assert derived.state is S.APPROVED
    assert derived.pauses == [[hour(1), hour(2)], [hour(3), hour(4)]]
    assert derived.anomalies == []


def test_publishing_a_decided_result_keeps_the_state_and_records_when():
    derived = fold(facts((A.ACCEPT,), (A.REJECT,), (A.PUBLISH,), (A.PUBLISH,)))

    assert derived.state is S.REJECTED
    assert derived.published_at == START + timedelta(hours=2)  # the first publication
    assert derived.anomalies == []


def test_publishing_before_the_decision_is_out_of_order_and_publishes_nothing():
    derived = fold(facts((A.ACCEPT,), (A.PUBLISH,), (A.APPROVE,)))

    assert derived.state is S.APPROVED
    assert derived.published_at is None
    assert derived.anomalies == [
        {"eventId": "e2", "kind": "OUT_OF_ORDER", "detail": "PUBLISH after ACCEPTED"}
    ]


def test_publication_is_reported_by_business_systems_not_a_supervision_step():
    assert A.PUBLISH in REPORTABLE_ACTIONS
    assert A.PUBLISH not in SUPERVISION_ACTIONS
