"""The case state machine, as data, and the fold from facts to a case.

A fact that breaks the machine is never refused: it is applied and recorded as an
anomaly, for the rule engine to raise a warning on. Supervision exists to see it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from supervision.cases.models import Action, CaseState

S = CaseState
OPEN = frozenset({S.ACCEPTED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED, S.SUSPENDED})
DECIDED = frozenset({S.APPROVED, S.REJECTED})
CLOSED = frozenset({S.RETURNED, S.APPROVED, S.REJECTED, S.WITHDRAWN})
PAUSED = frozenset({S.SUPPLEMENT_REQUESTED, S.SUSPENDED})

# action -> (the states it may follow, the state it leads to; None keeps the state)
TRANSITIONS: dict[Action, tuple[frozenset[CaseState | None], CaseState | None]] = {
    Action.SUBMIT: (frozenset({None}), S.SUBMITTED),
    Action.ACCEPT: (frozenset({None, S.SUBMITTED, S.SUPPLEMENT_REQUESTED}), S.ACCEPTED),
    Action.RETURN: (frozenset({None, S.SUBMITTED, S.SUPPLEMENT_REQUESTED}), S.RETURNED),
    Action.ADVANCE: (frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.IN_PROGRESS),
    Action.REQUEST_SUPPLEMENT: (
        frozenset({S.SUBMITTED, S.ACCEPTED, S.IN_PROGRESS}),
        S.SUPPLEMENT_REQUESTED,
    ),
    Action.RECEIVE_SUPPLEMENT: (frozenset({S.SUPPLEMENT_REQUESTED}), S.IN_PROGRESS),
    Action.SUSPEND: (frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.SUSPENDED),
    Action.RESUME: (frozenset({S.SUSPENDED}), S.IN_PROGRESS),
    Action.APPROVE: (frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.APPROVED),
    Action.REJECT: (frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.REJECTED),
    Action.WITHDRAW: (frozenset({None, S.SUBMITTED, *OPEN}), S.WITHDRAWN),
    Action.CHARGE_FEE: (frozenset({S.ACCEPTED, S.IN_PROGRESS, S.APPROVED}), None),
    Action.DECIDE_PENALTY: (frozenset({S.ACCEPTED, S.IN_PROGRESS, S.APPROVED}), None),
    Action.ATTACH: (frozenset({None, *S}), None),
    # 公示 of a decided result; a publication before the decision publishes nothing
    Action.PUBLISH: (DECIDED, None),
}

# Suspension reasons the law names (行政许可法 §45); others are kept, and noted.
SUSPEND_REASONS = frozenset({"听证", "招标", "拍卖", "检验", "检测", "检疫", "鉴定", "专家评审"})


@dataclass(frozen=True)
class Fact:
    """What the fold needs of one ledger entry."""

    event_id: str
    action: Action
    occurred_at: datetime
    node: str | None = None
    reason: str | None = None
    applicant: dict | None = None
    fee_charged: Decimal | None = None
    penalty_decided: Decimal | None = None


@dataclass
class Derived:
    """The case as its facts say it is."""

    state: CaseState | None = None
    node: str | None = None
    nodes_seen: list[str] = field(default_factory=list)
    submitted_at: datetime | None = None
    accepted_at: datetime | None = None
    decided_at: datetime | None = None
    published_at: datetime | None = None  # the first PUBLISH of the decided case
    applicant: dict = field(default_factory=dict)
    pauses: list[list[str | None]] = field(default_factory=list)  # [start, end] ISO texts
    anomalies: list[dict] = field(default_factory=list)
    fees: list[str] = field(default_factory=list)
    penalty: str | None = None
    supplements: int = 0
    returns: int = 0


def _anomaly(derived: Derived, fact: Fact, kind: str, detail: str) -> None:
    derived.anomalies.append({"eventId": fact.event_id, "kind": kind, "detail": detail})


def fold(facts: Iterable[Fact], procedure: list[str] | None = None) -> Derived:
    """Apply facts in order (the caller sorts them by occurredAt); anomalies recorded."""
    derived = Derived()
    order = {name: i for i, name in enumerate(procedure or [])}
    for fact in facts:
        allowed_from, target = TRANSITIONS[fact.action]
        if derived.state not in allowed_from:
            before = derived.state.value if derived.state else "nothing"
            _anomaly(derived, fact, "OUT_OF_ORDER", f"{fact.action.value} after {before}")
        if fact.applicant:
            derived.applicant = {**derived.applicant, **fact.applicant}
        _apply(derived, fact, target, order)
    return derived


def _apply(derived: Derived, fact: Fact, target: CaseState | None, order: dict) -> None:
    at = fact.occurred_at
    was_paused = derived.state in PAUSED
    if fact.action is Action.SUBMIT:
        derived.submitted_at = at
    elif fact.action is Action.ACCEPT:
        if derived.accepted_at is None:
            derived.accepted_at = at
        if order and derived.node is None:  # acceptance is the procedure's first node
            derived.node = next(iter(order))
            derived.nodes_seen.append(derived.node)
    elif fact.action is Action.RETURN:
        derived.returns += 1
    elif fact.action is Action.ADVANCE and fact.node:
        if order and fact.node in order:
            expected = order.get(derived.node, -1) + 1 if derived.node in order else 0
            if order[fact.node] > expected:
                skipped = [n for n, i in order.items() if expected <= i < order[fact.node]]
                _anomaly(derived, fact, "NODE_SKIPPED", "、".join(skipped))
        derived.node = fact.node
        derived.nodes_seen.append(fact.node)
    elif fact.action is Action.REQUEST_SUPPLEMENT:
        derived.supplements += 1
    elif fact.action is Action.SUSPEND and fact.reason not in SUSPEND_REASONS:
        _anomaly(
            derived, fact, "SUSPEND_REASON", f"reason {fact.reason!r} is not one the law names"
        )
    elif fact.action in (Action.APPROVE, Action.REJECT):
        derived.decided_at = at
        # every node but the last (the decision itself) must have been reached
        missing = [n for n in list(order)[:-1] if n not in derived.nodes_seen]
        if missing:
            _anomaly(derived, fact, "DECIDED_WITHOUT_NODES", "、".join(missing))
    elif fact.action is Action.PUBLISH:
        if derived.state in DECIDED and derived.published_at is None:
            derived.published_at = at
    elif fact.action is Action.CHARGE_FEE and fact.fee_charged is not None:
        derived.fees.append(str(fact.fee_charged))
    elif fact.action is Action.DECIDE_PENALTY and fact.penalty_decided is not None:
        derived.penalty = str(fact.penalty_decided)
    if target is not None:
        derived.state = target
    now_paused = derived.state in PAUSED
    if now_paused and not was_paused:
        derived.pauses.append([at.isoformat(), None])
    elif was_paused and not now_paused:
        derived.pauses[-1][1] = at.isoformat()
