"""Running rules on cases: the facts become a CaseView, each applicable rule judges it.

Called in the same transaction as the facts (ingest), so a warning is never lost;
at most one live warning per rule and case, so rescans and retries add nothing, and a
warning dismissed or resolved is not raised again on the same facts.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import bindparam, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from supervision.cases.clock import WorkCalendar
from supervision.cases.derive import pauses_of
from supervision.cases.models import SUPERVISION_ACTIONS, Case, LedgerEntry, OutboxMessage
from supervision.catalogue.models import PowerVersion
from supervision.catalogue.service import nodes_by_version, versions_by_id
from supervision.notify.outbox import record_warnings
from supervision.organisation import Department
from supervision.rules.kinds import KINDS, RuleKind, next_check_at
from supervision.rules.models import (
    LIVE_STATUSES,
    MonitoringPoint,
    Rule,
    Warning,
    WarningStatus,
)
from supervision.rules.view import CaseView, NodeView, StepView
from tenancy.codes import prefix_of


def _applies(point: MonitoringPoint, case: Case, version: PowerVersion, department: str) -> bool:
    return (
        case.division_code.startswith(prefix_of(point.division_code))
        and point.power_code in (None, case.power_code)
        and point.category in (None, version.category)
        and point.department_code in (None, department)
    )


def _step(entry: LedgerEntry) -> StepView:
    body = json.loads(entry.body)
    fee, penalty = body.get("feeCharged"), body.get("penaltyDecided")
    return StepView(
        event_id=entry.event_id,
        action=entry.action,
        occurred_at=entry.occurred_at,
        node=body.get("node"),
        officer=body.get("officer"),
        post=body.get("post"),
        key_data=body.get("keyData") or {},
        fee_charged=None if fee is None else Decimal(fee),
        penalty_decided=None if penalty is None else Decimal(penalty),
    )


def case_view(
    case: Case, version: PowerVersion, department: str, steps: list[LedgerEntry], nodes
) -> CaseView:
    """What a rule sees of a case."""
    return CaseView(
        number=case.number,
        division_code=case.division_code,
        department_code=department,
        power_code=case.power_code,
        category=version.category,
        on_the_spot=version.on_the_spot,
        state=case.state,
        accepted_at=case.accepted_at,
        decided_at=case.decided_at,
        published_at=case.published_at,
        steps=tuple(_step(e) for e in steps),
        anomalies=tuple(case.anomalies),
        pauses=tuple(pauses_of(case)),
        promised_limit=(case.promised_value, case.promised_unit)
        if case.promised_value is not None
        else None,
        procedure=tuple(NodeView(n.name, n.post, n.limit_value, tuple(n.key_data)) for n in nodes),
        fees=tuple((f["name"], Decimal(f["min"]), Decimal(f["max"])) for f in version.fees),
        discretion=tuple(
            (d["circumstance"], Decimal(d["min"]), Decimal(d["max"])) for d in version.discretion
        ),
    )


def _in_charge(view: CaseView) -> str | None:
    """The officer in charge: whoever reported the case's latest step under their name."""
    return next((step.officer for step in reversed(view.steps) if step.officer), None)


async def _known_warnings(
    session: AsyncSession, case_numbers: Sequence[str]
) -> tuple[set[tuple[int, str]], set[tuple[int, str, frozenset]]]:
    """(rule, case) pairs with a live warning; (rule, case, facts) already closed."""
    live, closed = set(), set()
    rows = await session.execute(
        select(Warning.rule_id, Warning.case_number, Warning.status, Warning.event_ids).where(
            Warning.case_number.in_(case_numbers)
        )
    )
    for rule_id, number, status, event_ids in rows:
        if status in LIVE_STATUSES:
            live.add((rule_id, number))
        else:
            closed.add((rule_id, number, frozenset(event_ids)))
    return live, closed


# A time-driven kind that says "now" but did not fire is asked again this much later, so a
# case the worker has just judged is never due again within the same pass.
AGAIN = timedelta(seconds=1)


def _next_check(
    view: CaseView,
    rules: list[tuple[Rule, MonitoringPoint]],
    live: set[tuple[int, str]],
    case: Case,
    version: PowerVersion,
    department: str,
    calendar: WorkCalendar,
    now: datetime,
) -> datetime | None:
    """The earliest moment a time-driven rule without a live warning could fire on the case."""
    moments = [
        moment
        for rule, point in rules
        if KINDS[RuleKind(rule.kind)].time_driven
        and (rule.id, case.number) not in live
        and _applies(point, case, version, department)
        and (moment := next_check_at(view, rule.kind, rule.params, calendar=calendar, now=now))
        is not None
    ]
    return max(min(moments), now + AGAIN) if moments else None


async def _write_next_checks(
    session: AsyncSession, next_checks: dict[Case, datetime | None]
) -> None:
    """The next-check index of the cases that changed, in one (executemany) statement."""
    changed = [(c, at) for c, at in next_checks.items() if c.next_check_at != at]
    if not changed:
        return
    table = Case.__table__
    await session.execute(
        update(table)
        .where(table.c.id == bindparam("_id"))
        .values(next_check_at=bindparam("_next")),
        [{"_id": case.id, "_next": at} for case, at in changed],
    )
    for case, at in changed:  # the loaded rows agree, without a second write at flush
        set_committed_value(case, "next_check_at", at)


async def _clear_next_checks(session: AsyncSession, case_numbers: Sequence[str]) -> None:
    """No rule is in force: nothing is pending on these cases."""
    await session.execute(
        update(Case)
        .where(Case.number.in_(case_numbers), Case.next_check_at.is_not(None))
        .values(next_check_at=None)
        .execution_options(synchronize_session=False)
    )


async def active_rules(
    *, session: AsyncSession, now: datetime
) -> list[tuple[Rule, MonitoringPoint]]:
    """Every rule in force now, with its point."""
    rows = await session.execute(
        select(Rule, MonitoringPoint)
        .join(MonitoringPoint, MonitoringPoint.id == Rule.point_id)
        .where(
            Rule.active,
            MonitoringPoint.active,
            or_(Rule.valid_from.is_(None), Rule.valid_from <= now),
            or_(Rule.valid_to.is_(None), Rule.valid_to > now),
        )
        .order_by(Rule.id)
    )
    return [(rule, point) for rule, point in rows]


async def evaluate_cases(
    *,
    session: AsyncSession,
    case_numbers: Sequence[str],
    calendar: WorkCalendar,
    now: datetime,
) -> int:
    """Judge these cases by every applicable rule; the number of warnings raised.

    Also sets each case's `next_check_at`, when the time-driven rules must look again.
    """
    if not case_numbers:
        return 0
    rules = await active_rules(session=session, now=now)
    if not rules:
        await _clear_next_checks(session, case_numbers)
        return 0
    # fresh rows: the facts were just re-derived in bulk, behind the identity map's back
    cases = list(
        await session.scalars(
            select(Case)
            .where(Case.number.in_(case_numbers))
            .execution_options(populate_existing=True)
        )
    )
    versions = await versions_by_id(
        session=session, ids=[c.power_version_id for c in cases if c.power_version_id]
    )
    nodes = await nodes_by_version(session=session, version_ids=list(versions))
    departments = dict(
        (
            await session.execute(
                select(Department.id, Department.code).where(
                    Department.id.in_({c.department_id for c in cases})
                )
            )
        ).all()
    )
    steps: dict[str, list[LedgerEntry]] = defaultdict(list)
    for entry in await session.scalars(
        select(LedgerEntry)
        .where(
            LedgerEntry.case_number.in_(case_numbers),
            LedgerEntry.action.not_in(SUPERVISION_ACTIONS),
        )
        .order_by(LedgerEntry.occurred_at, LedgerEntry.id)
    ):
        steps[entry.case_number].append(entry)
    live, closed = await _known_warnings(session, case_numbers)
    raised = []
    next_checks: dict[Case, datetime | None] = dict.fromkeys(cases)
    for case in cases:
        version = versions.get(case.power_version_id)
        if version is None:
            continue
        department = departments[case.department_id]
        view = case_view(case, version, department, steps[case.number], nodes[version.id])
        for rule, point in rules:
            if (rule.id, case.number) in live or not _applies(point, case, version, department):
                continue
            spec = KINDS[RuleKind(rule.kind)]
            for finding in spec.evaluate(view, rule.params, calendar=calendar, now=now):
                if point.node is not None and finding.node not in (None, point.node):
                    continue
                if (rule.id, case.number, frozenset(finding.event_ids)) in closed:
                    continue  # dismissed or resolved on these very facts: not again
                live.add((rule.id, case.number))
                raised.append(
                    {
                        "rule_id": rule.id,
                        "point_id": point.id,
                        "case_number": case.number,
                        "division_code": case.division_code,
                        "kind": rule.kind,
                        "level": rule.level,
                        "status": WarningStatus.OPEN,
                        "detail": finding.detail,
                        "event_ids": list(finding.event_ids),
                        "node": finding.node,
                        "legal_basis": rule.legal_basis or spec.basis,
                        "raised_at": now,
                        "department_code": department,
                        "officer": _in_charge(view),
                        "attention_code": case.division_code,
                        "escalations": 0,
                        "escalate_at": None
                        if rule.escalate_after_hours is None
                        else now + timedelta(hours=rule.escalate_after_hours),
                    }
                )
                break  # one open warning per rule and case
        next_checks[case] = _next_check(view, rules, live, case, version, department, calendar, now)
    await _write_next_checks(session, next_checks)
    await record_raised(session=session, raised=raised, now=now)
    return len(raised)


async def record_raised(*, session: AsyncSession, raised: list[dict], now: datetime) -> list[int]:
    """Insert new warnings (rows of Warning's columns) and tell of them in the same
    transaction: live subscribers through the outbox, the officer in charge and the
    webhooks through the notification outbox. Their ids."""
    if not raised:
        return []
    ids = list(
        (
            await session.scalars(
                insert(Warning).returning(Warning.id, sort_by_parameter_order=True), raised
            )
        ).all()
    )
    await session.execute(
        insert(OutboxMessage),
        [
            {
                "topic": "warning",
                "division_code": w["division_code"],
                "payload": {
                    "warningId": warning_id,
                    "caseNumber": w["case_number"],
                    "divisionCode": w["division_code"],
                    "kind": w["kind"],
                    "level": w["level"].value,
                    "detail": w["detail"],
                    "raisedAt": w["raised_at"].isoformat(),
                },
            }
            for warning_id, w in zip(ids, raised, strict=True)
        ],
    )
    await record_warnings(
        session=session,
        warnings=[{**w, "id": i} for i, w in zip(ids, raised, strict=True)],
        now=now,
    )
    return ids
