"""The built-in rule kinds on real dates (National Day 2025, Spring Festival 2026).

Each kind raises on a case that breaks it, naming the facts it rests on, and is silent on one
that keeps it. Cases are made by the fold from their facts, as the engine will make them.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from chinese_calendar import get_workdays, is_workday

from supervision.cases.clock import TZ, Pause, WorkCalendar, read_clock
from supervision.cases.models import Action
from supervision.cases.states import Fact, fold
from supervision.rules import kinds
from supervision.rules.kinds import KINDS, Finding, RuleKind, check_params, next_check_at
from supervision.rules.view import CaseView, NodeView, StepView

A = Action
K = RuleKind
CALENDAR = WorkCalendar()
PROCEDURE = (
    NodeView("受理", "窗口受理岗", 1, ("申请人",)),
    NodeView("审查", "审查岗", 3, ("审查意见",)),
    NodeView("决定", "科长", 1, ("决定文号",)),
)
TIME_DRIVEN = {
    K.OVERDUE,
    K.NEAR_DEADLINE,
    K.NODE_OVERDUE,
    K.SUSPENSION_TOO_LONG,
    K.RESULT_NOT_PUBLISHED,
    K.RATING_NOT_RECTIFIED,
    K.COMPLAINT_OVERDUE,
}


def at(y: int, m: int, d: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(y, m, d, hour, minute, tzinfo=TZ)


def begins(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, tzinfo=TZ)


def end_of(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 23, 59, 59, 999999, tzinfo=TZ)


def step(event_id: str, action: Action, when: datetime, **fields) -> StepView:
    return StepView(event_id, action.value, when, **fields)


def case(
    *steps: StepView,
    promised: tuple[int, str] | None = (5, "WORKING_DAY"),
    procedure: tuple[NodeView, ...] = PROCEDURE,
    **fields,
) -> CaseView:
    """The case the fold makes of these facts; `fields` override any part of the view."""
    derived = fold(
        (
            Fact(
                s.event_id,
                A(s.action),
                s.occurred_at,
                node=s.node,
                reason="专家评审" if s.action == A.SUSPEND else None,
                fee_charged=s.fee_charged,
                penalty_decided=s.penalty_decided,
            )
            for s in steps
        ),
        [node.name for node in procedure],
    )
    pauses = tuple(
        Pause(datetime.fromisoformat(start), datetime.fromisoformat(end) if end else None)
        for start, end in derived.pauses
    )
    view = {
        "number": "XM-2025-000001",
        "division_code": "350203000000",
        "department_code": "350203-SJ",
        "power_code": "XK-0001",
        "category": "LICENSING",
        "on_the_spot": False,
        "state": derived.state.value if derived.state else "SUBMITTED",
        "accepted_at": derived.accepted_at,
        "decided_at": derived.decided_at,
        "steps": steps,
        "anomalies": tuple(derived.anomalies),
        "pauses": pauses,
        "promised_limit": promised,
        "procedure": procedure,
        **fields,
    }
    return CaseView(**view)


def run(kind: RuleKind, view: CaseView, now: datetime, **params) -> list[Finding]:
    findings = KINDS[kind].evaluate(view, params, calendar=CALENDAR, now=now)
    assert all(f.kind is kind and f.detail for f in findings)
    return findings


def fired(kind: RuleKind, view: CaseView, now: datetime, **params) -> list[tuple[str, ...]]:
    return [f.event_ids for f in run(kind, view, now, **params)]


def next_check(kind: RuleKind, view: CaseView, now: datetime, **params) -> datetime | None:
    return next_check_at(view, kind, params, calendar=CALENDAR, now=now)


# A lawful licensing case across National Day 2025: 受理 (1 working day), 审查 (3), 决定 (1),
# promised in 5 working days from Friday 9-26, so due on 10-10.
ACCEPT = step(
    "e1",
    A.ACCEPT,
    at(2025, 9, 26),
    officer="张受理",
    post="窗口受理岗",
    key_data={"申请人": "某公司"},
)
REVIEW = step(
    "e2", A.ADVANCE, at(2025, 9, 28), node="审查", post="审查岗", key_data={"审查意见": "同意"}
)
DECIDE = step("e3", A.ADVANCE, at(2025, 9, 30), node="决定", officer="王科长", post="科长")
APPROVE = step(
    "e4", A.APPROVE, at(2025, 10, 9), officer="王科长", post="科长", key_data={"决定文号": "1号"}
)
LAWFUL = (ACCEPT, REVIEW, DECIDE, APPROVE)


# --- the official arrangements the tests rely on ---


def test_national_day_2025_arrangement():
    assert not any(is_workday(date(2025, 10, d)) for d in range(1, 9))
    assert date(2025, 9, 28).weekday() == 6 and is_workday(date(2025, 9, 28))
    assert date(2025, 10, 11).weekday() == 5 and is_workday(date(2025, 10, 11))
    assert not is_workday(date(2025, 9, 27))


def test_spring_festival_2026_arrangement():
    assert not any(is_workday(date(2026, 2, d)) for d in range(15, 24))
    assert date(2026, 2, 14).weekday() == 5 and is_workday(date(2026, 2, 14))
    assert date(2026, 2, 28).weekday() == 5 and is_workday(date(2026, 2, 28))
    assert is_workday(date(2026, 2, 13)) and is_workday(date(2026, 2, 24))


def test_the_lawful_case_is_due_on_10_10():
    reading = read_clock(
        calendar=CALENDAR,
        accepted_at=ACCEPT.occurred_at,
        limit_value=5,
        limit_unit="WORKING_DAY",
        pauses=(),
        now=at(2025, 10, 1),
    )
    assert reading.due_at == end_of(2025, 10, 10)  # 9-28, 9-29, 9-30, 10-09, 10-10


@pytest.mark.parametrize("kind", list(RuleKind))
def test_a_lawful_published_case_breaks_no_rule(kind):
    view = case(
        *LAWFUL, fees=(("工本费", Decimal(10), Decimal(20)),), published_at=at(2025, 10, 10)
    )
    assert view.anomalies == ()
    assert run(kind, view, at(2025, 10, 20)) == []


# --- registry and parameters ---


def test_the_registry_holds_every_kind_once_with_words_and_a_basis():
    assert set(KINDS) == set(RuleKind)
    for kind, spec in KINDS.items():
        assert spec.kind is kind
        assert " — " in spec.description and spec.basis
        assert spec.evaluate is getattr(kinds, kind.value.lower())


def test_time_driven_kinds_are_those_that_read_the_clock_against_now():
    assert {k for k, spec in KINDS.items() if spec.time_driven} == TIME_DRIVEN
    assert KINDS[K.OVERDUE].trigger == "TIME" and KINDS[K.RETURNED].trigger == "EVENT"


def test_parameter_defaults():
    assert check_params(K.NEAR_DEADLINE, {}) == {"share": 0.8}
    assert check_params(K.REPEATED_SUPPLEMENT, None) == {"max": 1}
    assert check_params(K.SUSPENSION_TOO_LONG, {}) == {"max_working_days": 30}
    assert check_params(K.RESULT_NOT_PUBLISHED, {}) == {"days": 7}
    assert check_params(K.KEY_DATA_MISSING, {}) == {"node": None}
    assert check_params(K.NODE_OVERDUE, {}) == {"node": None}
    assert check_params(K.OVERDUE, {}) == {}
    assert KINDS[K.NEAR_DEADLINE].defaults == {"share": 0.8}


def test_parameters_given_are_kept_and_normalised():
    assert check_params("NEAR_DEADLINE", {"share": 1}) == {"share": 1.0}
    assert check_params(K.NODE_OVERDUE, {"node": " 审查 "}) == {"node": "审查"}
    assert check_params(K.REPEATED_SUPPLEMENT, {"max": 0}) == {"max": 0}


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        (K.NEAR_DEADLINE, {"shares": 0.5}, "unknown parameter 'shares' (it takes share)"),
        (K.OVERDUE, {"days": 3}, "it takes no parameters"),
        (K.NEAR_DEADLINE, {"share": "0.8"}, "NEAR_DEADLINE.share: expected a number"),
        (K.NEAR_DEADLINE, {"share": 1.5}, "must be between"),
        (K.NEAR_DEADLINE, {"share": 0}, "must be between"),
        (K.NEAR_DEADLINE, {"share": float("nan")}, "finite"),
        (K.NEAR_DEADLINE, {"share": None}, "a value is required"),
        (K.REPEATED_SUPPLEMENT, {"max": True}, "expected a whole number"),
        (K.REPEATED_SUPPLEMENT, {"max": 1.5}, "expected a whole number"),
        (K.SUSPENSION_TOO_LONG, {"max_working_days": -1}, "must be between"),
        (K.KEY_DATA_MISSING, {"node": "  "}, "expected a non-empty text"),
        (K.NODE_OVERDUE, {"node": 3}, "expected a non-empty text"),
        ("NO_SUCH_KIND", {}, "unknown rule kind 'NO_SUCH_KIND'"),
        (K.RETURNED, ["max"], "must be a mapping"),
    ],
)
def test_bad_parameters_are_refused_with_a_clear_message(kind, params, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_params(kind, params)


def test_an_evaluator_refuses_bad_parameters_too():
    with pytest.raises(ValueError, match="REPEATED_SUPPLEMENT.max"):
        run(K.REPEATED_SUPPLEMENT, case(ACCEPT), at(2025, 9, 26), max="2")


@pytest.mark.parametrize("kind", sorted(set(RuleKind) - TIME_DRIVEN))
def test_event_driven_kinds_have_no_next_check(kind):
    assert next_check(kind, case(ACCEPT), at(2025, 9, 26, 11)) is None


# --- OVERDUE ---


def test_overdue_is_silent_up_to_the_end_of_the_due_day_across_the_holiday():
    view = case(ACCEPT, REVIEW)
    assert fired(K.OVERDUE, view, at(2025, 10, 8)) == []  # 12 calendar days, 3 working days
    assert fired(K.OVERDUE, view, end_of(2025, 10, 10)) == []


def test_overdue_raises_on_an_open_case_past_its_due_day_on_the_accept_fact():
    view = case(ACCEPT, REVIEW)
    (finding,) = run(K.OVERDUE, view, at(2025, 10, 11, 9))  # a make-up Saturday
    assert finding.event_ids == ("e1",)
    assert "2025-10-10" in finding.detail and "超出 1 个工作日" in finding.detail


def test_overdue_raises_on_a_decision_after_the_due_day():
    late = step("e4", A.APPROVE, at(2025, 10, 11, 9), officer="王科长", post="科长")
    assert fired(K.OVERDUE, case(ACCEPT, REVIEW, DECIDE, late), at(2025, 10, 20)) == [("e1", "e4")]
    on_time = step("e4", A.APPROVE, at(2025, 10, 10, 17), officer="王科长", post="科长")
    assert fired(K.OVERDUE, case(ACCEPT, REVIEW, DECIDE, on_time), at(2025, 10, 20)) == []


def test_overdue_leaves_out_the_time_waiting_for_a_supplement():
    # Waiting 9-29 … 10-09 stops 9-30 and 10-09: due moves from 10-10 to 10-13.
    view = case(
        ACCEPT,
        step("e2", A.REQUEST_SUPPLEMENT, at(2025, 9, 29, 11)),
        step("e3", A.RECEIVE_SUPPLEMENT, at(2025, 10, 9, 9)),
    )
    assert fired(K.OVERDUE, view, at(2025, 10, 13, 17)) == []
    assert fired(K.OVERDUE, view, at(2025, 10, 14, 9)) == [("e1",)]


def test_overdue_over_spring_festival_2026():
    # Wednesday 2-11 + 5 working days: 2-12, 2-13, 2-14 (Sat, make-up), 2-24, 2-25.
    view = case(step("e1", A.ACCEPT, at(2026, 2, 11)))
    assert fired(K.OVERDUE, view, at(2026, 2, 25, 16)) == []
    assert fired(K.OVERDUE, view, at(2026, 2, 26, 9)) == [("e1",)]


def test_overdue_is_silent_without_a_promised_limit_or_once_withdrawn():
    assert fired(K.OVERDUE, case(ACCEPT, promised=None), at(2025, 12, 1)) == []
    withdrawn = case(ACCEPT, step("e2", A.WITHDRAW, at(2025, 9, 29)))
    assert fired(K.OVERDUE, withdrawn, at(2025, 12, 1)) == []


def test_overdue_next_check_is_the_promised_due_moment_of_an_open_case():
    view = case(ACCEPT, REVIEW)
    assert next_check(K.OVERDUE, view, at(2025, 10, 3)) == end_of(2025, 10, 10)
    assert next_check(K.OVERDUE, view, at(2025, 10, 13)) is None  # already fires
    assert next_check(K.OVERDUE, case(*LAWFUL), at(2025, 10, 9, 12)) is None  # decided


# --- NEAR_DEADLINE ---


def test_near_deadline_counts_working_days_used_not_calendar_days():
    # 80% of 5 is 4 working days: 9-28, 9-29, 9-30, then 10-09.
    view = case(ACCEPT, REVIEW)
    assert fired(K.NEAR_DEADLINE, view, at(2025, 10, 8, 20)) == []
    assert fired(K.NEAR_DEADLINE, view, begins(2025, 10, 9)) == [("e1",)]
    assert fired(K.NEAR_DEADLINE, view, at(2025, 10, 10, 17)) == [("e1",)]


def test_near_deadline_share_parameter():
    view = case(ACCEPT, REVIEW)  # ceil(0.5 × 5) = 3 working days: from 9-30
    assert fired(K.NEAR_DEADLINE, view, at(2025, 9, 29, 20), share=0.5) == []
    assert fired(K.NEAR_DEADLINE, view, at(2025, 9, 30, 8), share=0.5) == [("e1",)]


def test_near_deadline_stops_once_overdue_or_decided():
    assert fired(K.NEAR_DEADLINE, case(ACCEPT, REVIEW), at(2025, 10, 11, 9)) == []
    assert fired(K.NEAR_DEADLINE, case(*LAWFUL), at(2025, 10, 10)) == []


def test_near_deadline_on_a_calendar_day_limit_counts_holidays():
    # 10 calendar days from Tuesday 2026-02-10; 80% is 8 days: 2-18, inside the holiday.
    view = case(step("e1", A.ACCEPT, at(2026, 2, 10)), promised=(10, "CALENDAR_DAY"))
    assert fired(K.NEAR_DEADLINE, view, at(2026, 2, 17, 20)) == []
    assert fired(K.NEAR_DEADLINE, view, at(2026, 2, 18, 9)) == [("e1",)]
    assert next_check(K.NEAR_DEADLINE, view, at(2026, 2, 11)) == begins(2026, 2, 18)


def test_near_deadline_is_silent_on_an_on_the_spot_case():
    view = case(ACCEPT, promised=(0, "WORKING_DAY"), on_the_spot=True)
    assert fired(K.NEAR_DEADLINE, view, at(2025, 9, 26, 16)) == []
    assert next_check(K.NEAR_DEADLINE, view, at(2025, 9, 26, 16)) is None


def test_near_deadline_next_check_is_the_start_of_the_day_the_share_is_reached():
    view = case(ACCEPT, REVIEW)
    assert next_check(K.NEAR_DEADLINE, view, at(2025, 10, 1)) == begins(2025, 10, 9)
    assert next_check(K.NEAR_DEADLINE, view, at(2025, 10, 9, 9)) is None  # already fires


# --- NODE_OVERDUE (Spring Festival 2026) ---

SF_ACCEPT = step("e1", A.ACCEPT, at(2026, 2, 12), key_data={"申请人": "某公司"})  # Thursday
SF_REVIEW = step("e2", A.ADVANCE, at(2026, 2, 13), node="审查", key_data={"审查意见": "同意"})


def test_node_overdue_is_silent_within_the_node_limit_across_the_holiday():
    # 审查 (3 working days) from 2-13: 2-14 (Sat, make-up), 2-24, 2-25.
    view = case(SF_ACCEPT, SF_REVIEW, promised=(10, "WORKING_DAY"))
    assert fired(K.NODE_OVERDUE, view, at(2026, 2, 25, 17)) == []


def test_node_overdue_raises_on_the_node_the_case_still_sits_at():
    view = case(SF_ACCEPT, SF_REVIEW, promised=(10, "WORKING_DAY"))
    (finding,) = run(K.NODE_OVERDUE, view, at(2026, 2, 26, 9))
    assert (finding.event_ids, finding.node) == (("e2",), "审查")


def test_node_overdue_raises_on_a_node_left_late_on_the_facts_that_reached_and_left_it():
    late = step("e2", A.ADVANCE, at(2026, 2, 24), node="审查")  # 受理: 2-13, 2-14, 2-24
    view = case(SF_ACCEPT, late, promised=(10, "WORKING_DAY"))
    (finding,) = run(K.NODE_OVERDUE, view, at(2026, 2, 24, 11))
    assert (finding.event_ids, finding.node) == (("e1", "e2"), "受理")
    assert fired(K.NODE_OVERDUE, view, at(2026, 2, 24, 11), node="审查") == []
    assert fired(K.NODE_OVERDUE, view, at(2026, 2, 24, 11), node="受理") == [("e1", "e2")]


def test_node_overdue_leaves_out_the_time_waiting_for_a_supplement():
    # At 审查 from 2-13; waiting 2-14 … 2-26 stops 2-15 … 2-26: 2-14, 2-27, 2-28 (Sat), 3-02.
    view = case(
        SF_ACCEPT,
        SF_REVIEW,
        step("e3", A.REQUEST_SUPPLEMENT, at(2026, 2, 14, 11)),
        step("e4", A.RECEIVE_SUPPLEMENT, at(2026, 2, 26, 9)),
        promised=(10, "WORKING_DAY"),
    )
    assert fired(K.NODE_OVERDUE, view, at(2026, 2, 28, 17)) == []
    assert fired(K.NODE_OVERDUE, view, at(2026, 3, 2, 9)) == [("e2",)]


def test_node_overdue_ends_a_stay_at_the_decision_and_skips_nodes_without_a_limit():
    procedure = (NodeView("受理", "窗口", 0), NodeView("决定", "科长", 1))
    view = case(
        step("e1", A.ACCEPT, at(2025, 9, 26)),
        step("e2", A.ADVANCE, at(2025, 9, 30), node="决定"),  # 受理 has no limit of its own
        step("e3", A.APPROVE, at(2025, 10, 10), post="科长"),  # 决定: 10-09, 10-10
        procedure=procedure,
    )
    assert fired(K.NODE_OVERDUE, view, at(2025, 12, 1)) == [("e2", "e3")]


def test_node_overdue_next_check_is_the_first_working_day_past_the_node_limit():
    view = case(SF_ACCEPT, SF_REVIEW, promised=(10, "WORKING_DAY"))
    assert next_check(K.NODE_OVERDUE, view, at(2026, 2, 16)) == begins(2026, 2, 26)
    assert next_check(K.NODE_OVERDUE, view, at(2026, 2, 16), node="受理") is None
    assert next_check(K.NODE_OVERDUE, view, at(2026, 2, 26, 9)) is None  # already fires
    assert next_check(K.NODE_OVERDUE, case(*LAWFUL), at(2025, 10, 9, 12)) is None


# --- REPEATED_SUPPLEMENT, RETURNED ---


def test_repeated_supplement_names_every_request_beyond_the_allowed_number():
    view = case(
        ACCEPT,
        step("e2", A.REQUEST_SUPPLEMENT, at(2025, 9, 28)),
        step("e3", A.RECEIVE_SUPPLEMENT, at(2025, 9, 29)),
        step("e4", A.REQUEST_SUPPLEMENT, at(2025, 9, 30)),
    )
    assert fired(K.REPEATED_SUPPLEMENT, view, at(2025, 10, 9)) == [("e2", "e4")]
    assert fired(K.REPEATED_SUPPLEMENT, view, at(2025, 10, 9), max=2) == []


def test_a_single_supplement_request_is_allowed():
    view = case(ACCEPT, step("e2", A.REQUEST_SUPPLEMENT, at(2025, 9, 28)))
    assert fired(K.REPEATED_SUPPLEMENT, view, at(2025, 10, 9)) == []


def test_returned_raises_on_each_return():
    view = case(
        step("e1", A.SUBMIT, at(2025, 9, 29)),
        step("e2", A.RETURN, at(2025, 9, 30)),
    )
    (finding,) = run(K.RETURNED, view, at(2025, 10, 9))
    assert finding.event_ids == ("e2",) and "2025-09-30" in finding.detail
    assert fired(K.RETURNED, case(step("e1", A.SUBMIT, at(2025, 9, 29))), at(2025, 10, 9)) == []


# --- SUSPENSION_TOO_LONG ---

SUSPEND = step("e2", A.SUSPEND, at(2025, 9, 26, 14))


def test_suspension_within_its_working_days_across_national_day():
    # 5 working days from 9-26: 9-28 (Sun, make-up), 9-29, 9-30, 10-09, 10-10.
    view = case(ACCEPT, SUSPEND, step("e3", A.RESUME, at(2025, 10, 10, 17)))
    assert fired(K.SUSPENSION_TOO_LONG, view, at(2025, 10, 20), max_working_days=5) == []


def test_suspension_too_long_names_the_suspend_and_resume_facts():
    view = case(ACCEPT, SUSPEND, step("e3", A.RESUME, at(2025, 10, 11, 9)))  # Sat, make-up
    assert fired(K.SUSPENSION_TOO_LONG, view, at(2025, 10, 20), max_working_days=5) == [
        ("e2", "e3")
    ]


def test_a_suspension_still_running_raises_on_the_suspend_fact():
    view = case(ACCEPT, SUSPEND)
    assert fired(K.SUSPENSION_TOO_LONG, view, at(2025, 10, 10), max_working_days=5) == []
    (finding,) = run(K.SUSPENSION_TOO_LONG, view, at(2025, 10, 11, 9), max_working_days=5)
    assert finding.event_ids == ("e2",) and "至今未恢复" in finding.detail


def test_suspension_default_is_thirty_working_days_over_spring_festival():
    suspend = step("e2", A.SUSPEND, at(2026, 1, 20, 15))
    assert len(get_workdays(date(2026, 1, 21), date(2026, 3, 9))) == 30
    accept = step("e1", A.ACCEPT, at(2026, 1, 20))
    resumed_in_time = case(accept, suspend, step("e3", A.RESUME, at(2026, 3, 9, 17)))
    assert fired(K.SUSPENSION_TOO_LONG, resumed_in_time, at(2026, 3, 20)) == []
    resumed_late = case(accept, suspend, step("e3", A.RESUME, at(2026, 3, 10, 9)))
    assert fired(K.SUSPENSION_TOO_LONG, resumed_late, at(2026, 3, 20)) == [("e2", "e3")]


def test_suspension_next_check_is_the_first_working_day_past_the_allowed_days():
    running = case(ACCEPT, SUSPEND)
    params = {"max_working_days": 5}
    assert next_check(K.SUSPENSION_TOO_LONG, running, at(2025, 10, 5), **params) == begins(
        2025, 10, 11
    )
    resumed = case(ACCEPT, SUSPEND, step("e3", A.RESUME, at(2025, 9, 29)))
    assert next_check(K.SUSPENSION_TOO_LONG, resumed, at(2025, 10, 5), **params) is None


# --- KEY_DATA_MISSING ---


def test_key_data_missing_when_a_node_is_left_without_it():
    bare_review = step("e2", A.ADVANCE, at(2025, 9, 28), node="审查")
    view = case(ACCEPT, bare_review, DECIDE)
    (finding,) = run(K.KEY_DATA_MISSING, view, at(2025, 9, 30, 11))
    assert (finding.event_ids, finding.node) == (("e2", "e3"), "审查")
    assert "审查意见" in finding.detail


def test_key_data_given_by_any_fact_at_the_node_before_it_is_left():
    bare_review = step("e2", A.ADVANCE, at(2025, 9, 28), node="审查")
    attach = step("e5", A.ATTACH, at(2025, 9, 29), key_data={"审查意见": "同意"})  # at 审查
    assert (
        fired(K.KEY_DATA_MISSING, case(ACCEPT, bare_review, attach, DECIDE), at(2025, 10, 1)) == []
    )


def test_a_blank_value_is_missing_and_a_node_still_at_work_is_not_checked_yet():
    blank = step("e2", A.ADVANCE, at(2025, 9, 28), node="审查", key_data={"审查意见": " "})
    assert fired(K.KEY_DATA_MISSING, case(ACCEPT, blank), at(2025, 9, 29)) == []
    assert fired(K.KEY_DATA_MISSING, case(ACCEPT, blank, DECIDE), at(2025, 9, 30, 11)) == [
        ("e2", "e3")
    ]


def test_key_data_missing_at_the_decision_and_the_node_parameter():
    bare_approve = step("e4", A.APPROVE, at(2025, 10, 9), officer="王科长", post="科长")
    view = case(ACCEPT, REVIEW, DECIDE, bare_approve)
    assert fired(K.KEY_DATA_MISSING, view, at(2025, 10, 9, 11)) == [("e3", "e4")]
    assert fired(K.KEY_DATA_MISSING, view, at(2025, 10, 9, 11), node="审查") == []


# --- PROCEDURE_OUT_OF_ORDER ---


def test_a_skipped_node_is_out_of_order():
    skip = step("e2", A.ADVANCE, at(2025, 9, 28), node="决定")
    (finding,) = run(K.PROCEDURE_OUT_OF_ORDER, case(ACCEPT, skip), at(2025, 9, 29))
    assert finding.event_ids == ("e2",) and finding.detail == "跳过环节：审查"


def test_a_decision_without_the_required_nodes_is_out_of_order():
    approve = step("e2", A.APPROVE, at(2025, 9, 28), post="科长")
    (finding,) = run(K.PROCEDURE_OUT_OF_ORDER, case(ACCEPT, approve), at(2025, 9, 29))
    assert finding.event_ids == ("e2",) and "审查" in finding.detail


def test_a_decision_with_no_acceptance_is_out_of_order():
    approve = step("e1", A.APPROVE, at(2025, 9, 28), post="科长")
    view = case(approve, procedure=())
    (finding,) = run(K.PROCEDURE_OUT_OF_ORDER, view, at(2025, 9, 29))
    assert finding.event_ids == ("e1",)
    assert finding.detail == "办理顺序异常：在「尚无任何办理」时报送「办结通过」"


def test_a_decision_by_a_post_that_may_not_take_it():
    by_reviewer = step("e4", A.APPROVE, at(2025, 10, 9), officer="李审查", post="审查岗")
    (finding,) = run(
        K.PROCEDURE_OUT_OF_ORDER, case(ACCEPT, REVIEW, DECIDE, by_reviewer), at(2025, 10, 9, 11)
    )
    assert (finding.event_ids, finding.node) == (("e4",), "决定")
    assert "审查岗" in finding.detail and "科长" in finding.detail
    no_post = step("e4", A.REJECT, at(2025, 10, 9), officer="王科长")
    assert fired(
        K.PROCEDURE_OUT_OF_ORDER, case(ACCEPT, REVIEW, DECIDE, no_post), at(2025, 10, 10)
    ) == [("e4",)]


def test_other_anomalies_are_not_procedure_order():
    view = case(
        *LAWFUL, anomalies=({"eventId": "e2", "kind": "SUSPEND_REASON", "detail": "reason '出差'"},)
    )
    assert fired(K.PROCEDURE_OUT_OF_ORDER, view, at(2025, 10, 10)) == []


# --- FEE_OUT_OF_STANDARD, PENALTY_OUT_OF_RANGE ---

FEES = (("工本费", Decimal("10"), Decimal("20")), ("加急费", Decimal("50"), Decimal("80")))


def charge(amount: str) -> StepView:
    return step("e5", A.CHARGE_FEE, at(2025, 10, 9, 11), fee_charged=Decimal(amount))


def test_a_fee_within_some_standard_is_lawful():
    for amount in ("10", "20", "15.5", "60"):
        assert (
            fired(K.FEE_OUT_OF_STANDARD, case(*LAWFUL, charge(amount), fees=FEES), at(2025, 10, 10))
            == []
        )


def test_a_fee_outside_every_standard_is_raised():
    (finding,) = run(
        K.FEE_OUT_OF_STANDARD, case(*LAWFUL, charge("30"), fees=FEES), at(2025, 10, 10)
    )
    assert finding.event_ids == ("e5",)
    assert "30" in finding.detail and "工本费 10–20 元" in finding.detail


def test_any_fee_for_a_power_that_charges_none_is_raised():
    (finding,) = run(K.FEE_OUT_OF_STANDARD, case(*LAWFUL, charge("5")), at(2025, 10, 10))
    assert finding.event_ids == ("e5",) and "本事项不收费" in finding.detail


DISCRETION = (
    ("轻微", Decimal("0"), Decimal("500")),
    ("一般", Decimal("500"), Decimal("2000")),
    ("严重", Decimal("2000"), Decimal("5000")),
)


def penalty(amount: str, **fields) -> CaseView:
    decide = step("e2", A.DECIDE_PENALTY, at(2026, 2, 13), penalty_decided=Decimal(amount))
    return case(SF_ACCEPT, decide, category="PENALTY", **fields)


def test_a_penalty_within_the_discretion_standard_is_lawful():
    assert (
        fired(K.PENALTY_OUT_OF_RANGE, penalty("3000", discretion=DISCRETION), at(2026, 2, 24)) == []
    )


def test_a_penalty_outside_every_discretion_range_is_raised():
    (finding,) = run(
        K.PENALTY_OUT_OF_RANGE, penalty("6000", discretion=DISCRETION), at(2026, 2, 24)
    )
    assert finding.event_ids == ("e2",) and "6000" in finding.detail


def test_a_penalty_without_any_discretion_standard_cannot_be_measured():
    assert fired(K.PENALTY_OUT_OF_RANGE, penalty("6000"), at(2026, 2, 24)) == []


# --- ON_THE_SPOT_NOT_ON_THE_SPOT ---


def on_the_spot(accepted: datetime, decided: datetime, *, spot: bool = True) -> CaseView:
    return case(
        step("e1", A.ACCEPT, accepted),
        step("e2", A.APPROVE, decided, post="科长"),
        promised=(0, "WORKING_DAY"),
        procedure=(),
        on_the_spot=spot,
    )


def test_an_on_the_spot_case_decided_after_the_holiday_is_raised():
    view = on_the_spot(at(2025, 9, 30, 16), at(2025, 10, 9, 9))
    assert fired(K.ON_THE_SPOT_NOT_ON_THE_SPOT, view, at(2025, 10, 9, 10)) == [("e1", "e2")]


def test_an_on_the_spot_case_decided_the_same_day_is_lawful():
    view = on_the_spot(at(2025, 9, 30, 16), at(2025, 9, 30, 17, 30))
    assert fired(K.ON_THE_SPOT_NOT_ON_THE_SPOT, view, at(2025, 10, 9)) == []


def test_on_the_spot_compares_beijing_dates():
    accepted = at(2025, 9, 30, 9)
    same_day = on_the_spot(accepted, datetime(2025, 9, 30, 15, 30, tzinfo=UTC))  # 23:30
    next_day = on_the_spot(accepted, datetime(2025, 9, 30, 16, 30, tzinfo=UTC))  # 00:30
    assert fired(K.ON_THE_SPOT_NOT_ON_THE_SPOT, same_day, at(2025, 10, 9)) == []
    assert fired(K.ON_THE_SPOT_NOT_ON_THE_SPOT, next_day, at(2025, 10, 9)) == [("e1", "e2")]


def test_a_promised_case_may_take_days():
    view = on_the_spot(at(2025, 9, 30, 16), at(2025, 10, 9, 9), spot=False)
    assert fired(K.ON_THE_SPOT_NOT_ON_THE_SPOT, view, at(2025, 10, 9, 10)) == []


# --- SAME_OFFICER_ACCEPTS_AND_DECIDES ---


def test_the_same_officer_accepting_and_deciding_is_raised():
    self_approve = step("e4", A.APPROVE, at(2025, 10, 9), officer="张受理", post="科长")
    view = case(ACCEPT, REVIEW, DECIDE, self_approve)
    (finding,) = run(K.SAME_OFFICER_ACCEPTS_AND_DECIDES, view, at(2025, 10, 9, 11))
    assert finding.event_ids == ("e1", "e4") and "张受理" in finding.detail


def test_different_or_unnamed_officers_are_not_raised():
    unnamed_accept = step("e1", A.ACCEPT, at(2025, 9, 26))
    unnamed_approve = step("e4", A.APPROVE, at(2025, 10, 9), post="科长")
    assert fired(K.SAME_OFFICER_ACCEPTS_AND_DECIDES, case(*LAWFUL), at(2025, 10, 9, 11)) == []
    view = case(unnamed_accept, REVIEW, DECIDE, unnamed_approve)
    assert fired(K.SAME_OFFICER_ACCEPTS_AND_DECIDES, view, at(2025, 10, 9, 11)) == []


# --- RESULT_NOT_PUBLISHED ---

# Decided on 9-30: 7 calendar days run 10-01 … 10-07, holiday or not.
DECIDED_9_30 = (ACCEPT, REVIEW, step("e3", A.APPROVE, at(2025, 9, 30, 15), post="科长"))


def test_a_result_unpublished_past_the_days_allowed_is_raised():
    view = case(*DECIDED_9_30, procedure=())
    assert fired(K.RESULT_NOT_PUBLISHED, view, at(2025, 10, 7, 23)) == []
    assert fired(K.RESULT_NOT_PUBLISHED, view, begins(2025, 10, 8)) == [("e3",)]
    assert fired(K.RESULT_NOT_PUBLISHED, view, at(2025, 10, 9), days=10) == []


def test_a_result_published_in_time_is_lawful_and_one_published_late_is_not():
    in_time = case(*DECIDED_9_30, procedure=(), published_at=at(2025, 10, 5))
    assert fired(K.RESULT_NOT_PUBLISHED, in_time, at(2025, 10, 20)) == []
    late = case(*DECIDED_9_30, procedure=(), published_at=at(2025, 10, 9))
    (finding,) = run(K.RESULT_NOT_PUBLISHED, late, at(2025, 10, 20))
    assert finding.event_ids == ("e3",) and "2025-10-09 才公示" in finding.detail


def test_an_undecided_case_has_nothing_to_publish():
    assert fired(K.RESULT_NOT_PUBLISHED, case(ACCEPT, REVIEW), at(2025, 12, 1)) == []


def test_result_next_check_is_the_publication_deadline():
    view = case(*DECIDED_9_30, procedure=())
    assert next_check(K.RESULT_NOT_PUBLISHED, view, at(2025, 10, 1)) == begins(2025, 10, 8)
    published = case(*DECIDED_9_30, procedure=(), published_at=at(2025, 10, 5))
    assert next_check(K.RESULT_NOT_PUBLISHED, published, at(2025, 10, 1)) is None
    assert next_check(K.RESULT_NOT_PUBLISHED, case(ACCEPT), at(2025, 10, 1)) is None
