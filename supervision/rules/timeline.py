"""How the rule kinds read a case: its key facts, its stays at nodes, its suspensions, and
the legal clock over any stretch of it (always `read_clock`, never a day count of our own).

These functions measure; `supervision.rules.kinds` decides what a measure means and says it.
The `*_next` functions answer `next_check_at` for the time-driven kinds, from checked
parameters.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from supervision.cases.clock import TZ, ClockReading, DayUnit, Pause, WorkCalendar, read_clock
from supervision.cases.models import Action, CaseState
from supervision.cases.states import OPEN, TRANSITIONS
from supervision.rules.view import CaseView, NodeView, StepView

DECISIONS = frozenset({Action.APPROVE, Action.REJECT})
CLOSINGS = frozenset({Action.RETURN, Action.WITHDRAW})
Ranges = tuple[tuple[str, Decimal, Decimal], ...]


# --- facts ---


def is_open(case: CaseView) -> bool:
    """Accepted, not decided, and in an open state: the clock may still run."""
    return case.accepted_at is not None and case.decided_at is None and case.state in OPEN


def steps_of(case: CaseView, *actions: Action) -> list[StepView]:
    return [step for step in case.steps if step.action in actions]


def acceptance(case: CaseView) -> StepView | None:
    """The first ACCEPT fact: it starts the clock."""
    return next(iter(steps_of(case, Action.ACCEPT)), None)


def decision(case: CaseView) -> StepView | None:
    """The last APPROVE or REJECT fact (the fold takes its time as the decision time)."""
    return next(reversed(steps_of(case, *DECISIONS)), None)


def ids(*steps: StepView | None) -> tuple[str, ...]:
    """The event ids of the steps given, in order, each once."""
    return tuple(dict.fromkeys(step.event_id for step in steps if step is not None))


def within(amount: Decimal, ranges: Ranges) -> bool:
    """Whether `amount` lies in some (name, minimum, maximum) range, ends included."""
    return any(low <= amount <= high for _, low, high in ranges)


def money(amount: Decimal) -> str:
    """An amount of yuan as people write it: 1500, 12.5."""
    return f"{amount.normalize():f}"


def ranges_text(ranges: Ranges) -> str:
    """Ranges as people read them: 工本费 10–20 元；加急费 50–80 元."""
    return "；".join(f"{name} {money(low)}–{money(high)} 元" for name, low, high in ranges)


ACTION_LABELS = {
    Action.SUBMIT: "申请",
    Action.ACCEPT: "受理",
    Action.RETURN: "退回",
    Action.ADVANCE: "进入环节",
    Action.REQUEST_SUPPLEMENT: "要求补正",
    Action.RECEIVE_SUPPLEMENT: "收到补正",
    Action.SUSPEND: "暂停",
    Action.RESUME: "恢复",
    Action.APPROVE: "办结通过",
    Action.REJECT: "办结不通过",
    Action.WITHDRAW: "撤回",
    Action.CHARGE_FEE: "收费",
    Action.DECIDE_PENALTY: "处罚决定",
    Action.ATTACH: "上传附件",
    Action.PUBLISH: "公示",
}
STATE_LABELS = {
    "nothing": "尚无任何办理",
    CaseState.SUBMITTED: "已申请",
    CaseState.ACCEPTED: "已受理",
    CaseState.IN_PROGRESS: "正在办理",
    CaseState.SUPPLEMENT_REQUESTED: "待补正",
    CaseState.SUSPENDED: "暂停",
    CaseState.RETURNED: "已退回",
    CaseState.APPROVED: "办结通过",
    CaseState.REJECTED: "办结不通过",
    CaseState.WITHDRAWN: "已撤回",
}


def order_anomaly_text(anomaly: Mapping) -> str | None:
    """The fold's note of a procedure anomaly in words for people; None for other notes."""
    detail = str(anomaly.get("detail") or "")
    if anomaly.get("kind") == "NODE_SKIPPED":
        return f"跳过环节：{detail}"
    if anomaly.get("kind") == "DECIDED_WITHOUT_NODES":
        return f"未经必经环节即作出决定，缺少：{detail}"
    if anomaly.get("kind") != "OUT_OF_ORDER":
        return None
    action, _, before = detail.partition(" after ")  # the fold writes "APPROVE after nothing"
    if action in ACTION_LABELS and before in STATE_LABELS:
        return f"办理顺序异常：在「{STATE_LABELS[before]}」时报送「{ACTION_LABELS[action]}」"
    return f"办理顺序异常：{detail}"


def local_day(moment: datetime) -> date:
    return moment.astimezone(TZ).date()


def day_begins(day: date) -> datetime:
    """00:00 Beijing time of `day`."""
    return datetime.combine(day, time.min, tzinfo=TZ)


# --- the clock over a stretch ---


class _EveryDay(WorkCalendar):
    """A calendar on which every day counts: for limits given in calendar days."""

    def is_workday(self, day: date) -> tuple[bool, bool]:
        return True, False


EVERY_DAY = _EveryDay()


def stretch(
    *,
    calendar: WorkCalendar,
    start: datetime,
    limit: int,
    pauses: tuple[Pause, ...],
    now: datetime,
    end: datetime | None = None,
) -> ClockReading:
    """The clock in working days from `start` (counted from the next day) to `end` or `now`."""
    return read_clock(
        calendar=calendar,
        accepted_at=start,
        limit_value=limit,
        limit_unit=DayUnit.WORKING_DAY,
        pauses=pauses,
        now=now,
        decided_at=end,
    )


def nth_day_begins(
    *, calendar: WorkCalendar, start: datetime, n: int, pauses: tuple[Pause, ...], now: datetime
) -> datetime:
    """00:00 of the n-th (n ≥ 1) counted day after `start`: the moment n of them have begun.

    A pause still open counts as ending today, so the answer is never later than the truth.
    """
    reading = stretch(calendar=calendar, start=start, limit=n, pauses=pauses, now=now)
    return day_begins(reading.due_at.date())


def promised_clock(case: CaseView, calendar: WorkCalendar, now: datetime) -> ClockReading | None:
    """The case against its promised limit (at its decision once decided); None if unknown."""
    if case.accepted_at is None or case.promised_limit is None:
        return None
    value, unit = case.promised_limit
    return read_clock(
        calendar=calendar,
        accepted_at=case.accepted_at,
        limit_value=value,
        limit_unit=unit,
        pauses=case.pauses,
        now=now,
        decided_at=case.decided_at,
    )


# --- OVERDUE, NEAR_DEADLINE ---


_UNITS = {DayUnit.WORKING_DAY: "个工作日", DayUnit.CALENDAR_DAY: "个自然日"}


def limit_text(case: CaseView, days: int | None = None) -> str:
    """The promised limit (or `days` in its unit) as people read it: 5个工作日."""
    value, unit = case.promised_limit or (0, DayUnit.WORKING_DAY)
    return f"{value if days is None else days}{_UNITS[DayUnit(unit)]}"


def late(case: CaseView, calendar: WorkCalendar, now: datetime) -> ClockReading | None:
    """The promised clock of a case decided after its due moment, or open past it; else None."""
    reading = promised_clock(case, calendar, now)
    if reading is None:
        return None
    if case.decided_at is not None:
        return reading if case.decided_at > reading.due_at else None
    return reading if is_open(case) and now > reading.due_at else None


def overdue_next(case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime):
    reading = promised_clock(case, calendar, now)
    if reading is None or not is_open(case) or now > reading.due_at:
        return None
    return reading.due_at


@dataclass(frozen=True)
class Usage:
    """How much of its promised limit an open case has used, in the limit's own unit."""

    used: int
    warn_at: int  # the days used at which the share is reached
    due_at: datetime
    counting: WorkCalendar  # the calendar the days are counted on


def usage(case: CaseView, share: float, calendar: WorkCalendar, now: datetime) -> Usage | None:
    """None unless the case is open with a promised limit above 0."""
    if not is_open(case) or case.promised_limit is None or case.promised_limit[0] <= 0:
        return None
    value, unit = case.promised_limit
    counting = EVERY_DAY if DayUnit(unit) is DayUnit.CALENDAR_DAY else calendar
    used = stretch(
        calendar=counting, start=case.accepted_at, limit=value, pauses=case.pauses, now=now
    )
    return Usage(
        used=used.elapsed_working_days,
        warn_at=max(1, math.ceil(Decimal(str(share)) * value)),
        due_at=promised_clock(case, calendar, now).due_at,
        counting=counting,
    )


def near_next(case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime):
    found = usage(case, params["share"], calendar, now)
    if found is None:
        return None
    moment = nth_day_begins(
        calendar=found.counting,
        start=case.accepted_at,
        n=found.warn_at,
        pauses=case.pauses,
        now=now,
    )
    return moment if now < moment else None


# --- NODE_OVERDUE, KEY_DATA_MISSING ---


@dataclass(frozen=True)
class Stay:
    """A case at one node of its procedure: from the fact that reached it to the one that left.

    `left_by` is NODE (another node reached), DECISION (APPROVE/REJECT), CLOSED (RETURN,
    WITHDRAW) or None while the case is still there; `key_names` are the key data names given
    a non-blank value by the facts reported at this node up to the leaving fact.
    """

    node: NodeView
    reached: StepView
    left: StepView | None = None
    left_by: str | None = None
    key_names: frozenset[str] = frozenset()


def stays(case: CaseView) -> list[Stay]:
    """Every stay at a node of the procedure, in order, as the fold moves the case.

    The first acceptance reaches the first node; an ADVANCE reaches the node it names (an
    ADVANCE to the node the case is already at is not a new stay). A fact belongs to the node
    it names, else to the node the case is at when it occurs.
    """
    nodes = {node.name: node for node in case.procedure}
    first = case.procedure[0].name if case.procedure else None
    keys: dict[str, set[str]] = defaultdict(set)
    found: list[Stay] = []
    current: str | None = None
    reached: StepView | None = None
    started = False

    def leave(step: StepView | None, how: str | None) -> None:
        if current in nodes and reached is not None:
            found.append(Stay(nodes[current], reached, step, how, frozenset(keys[current])))

    for step in case.steps:
        if step.action == Action.ADVANCE and step.node and step.node != current:
            keys[step.node] |= _named(step)
            leave(step, "NODE")
            current, reached, started = step.node, step, True
            continue
        if step.action == Action.ACCEPT and not started and first is not None:
            current, reached, started = first, step, True
        where = step.node or current
        if where is not None:
            keys[where] |= _named(step)
        if current is not None and step.action in DECISIONS | CLOSINGS:
            leave(step, "DECISION" if step.action in DECISIONS else "CLOSED")
            current = reached = None
    leave(None, None)
    return found


def _named(step: StepView) -> set[str]:
    return {
        name for name, value in step.key_data.items() if value is not None and str(value).strip()
    }


def node_overruns(
    case: CaseView, only: str | None, calendar: WorkCalendar, now: datetime
) -> list[tuple[Stay, ClockReading]]:
    """Stays at nodes with a limit above 0 (only the node `only`, if given) that ran over it."""
    found = []
    for stay in stays(case):
        if stay.node.limit <= 0 or only not in (None, stay.node.name):
            continue
        if stay.left is None and not is_open(case):
            continue
        reading = stretch(
            calendar=calendar,
            start=stay.reached.occurred_at,
            limit=stay.node.limit,
            pauses=case.pauses,
            now=now,
            end=stay.left.occurred_at if stay.left else None,
        )
        if reading.overdue_by > 0:
            found.append((stay, reading))
    return found


def node_next(case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime):
    here = [stay for stay in stays(case) if stay.left is None]
    if not here or not is_open(case):
        return None
    stay = here[-1]
    if stay.node.limit <= 0 or params["node"] not in (None, stay.node.name):
        return None
    moment = nth_day_begins(
        calendar=calendar,
        start=stay.reached.occurred_at,
        n=stay.node.limit + 1,
        pauses=case.pauses,
        now=now,
    )
    return moment if now < moment else None


# --- SUSPENSION_TOO_LONG ---


@dataclass(frozen=True)
class Suspension:
    """暂停: from a SUSPEND fact to the fact that moves the case out of SUSPENDED, if any."""

    started: StepView
    ended: StepView | None = None


def suspensions(case: CaseView) -> list[Suspension]:
    """Every suspension, in order; a SUSPEND while suspended continues the same one."""
    found: list[Suspension] = []
    started: StepView | None = None
    for step in case.steps:
        target = TRANSITIONS.get(step.action, (None, None))[1]
        if started is None:
            if step.action == Action.SUSPEND:
                started = step
        elif target is not None and target != CaseState.SUSPENDED:
            found.append(Suspension(started, step))
            started = None
    if started is not None:
        found.append(Suspension(started))
    return found


def long_suspensions(
    case: CaseView, limit: int, calendar: WorkCalendar, now: datetime
) -> list[tuple[Suspension, ClockReading]]:
    """Suspensions that lasted, or have lasted so far, more than `limit` working days."""
    found = []
    for suspension in suspensions(case):
        if suspension.ended is None and not is_open(case):
            continue
        reading = stretch(
            calendar=calendar,
            start=suspension.started.occurred_at,
            limit=limit,
            pauses=(),  # the suspension is itself the pause: count its days
            now=now,
            end=suspension.ended.occurred_at if suspension.ended else None,
        )
        if reading.overdue_by > 0:
            found.append((suspension, reading))
    return found


def suspension_next(case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime):
    running = [s for s in suspensions(case) if s.ended is None]
    if not running or not is_open(case):
        return None
    moment = nth_day_begins(
        calendar=calendar,
        start=running[-1].started.occurred_at,
        n=params["max_working_days"] + 1,
        pauses=(),
        now=now,
    )
    return moment if now < moment else None


# --- RESULT_NOT_PUBLISHED ---


def publish_by(decided_at: datetime, days: int) -> datetime:
    """From when a result decided at `decided_at` is late if unpublished: 00:00 after the
    `days`-th calendar day following the decision day (Beijing dates)."""
    return day_begins(local_day(decided_at) + timedelta(days=days + 1))


def publish_next(case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime):
    if case.decided_at is None or case.published_at is not None:
        return None
    deadline = publish_by(case.decided_at, params["days"])
    return deadline if now < deadline else None
