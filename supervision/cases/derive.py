"""Deriving cases from their ledger entries: state, binding, anomalies and clock.

The ledger is the source of truth; a case row is what this module makes of its
facts, and can be rebuilt at any time from them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.cases.clock import ClockReading, Pause, WorkCalendar, read_clock
from supervision.cases.models import SUPERVISION_ACTIONS, Action, Case, LedgerEntry
from supervision.cases.states import Derived, Fact, fold
from supervision.catalogue.models import Power, PowerStatus, PowerVersion
from supervision.catalogue.service import nodes_by_version
from supervision.organisation import Department


def _fact(entry: LedgerEntry, body: dict) -> Fact:
    applicant = {k: v for k, v in (body.get("applicant") or {}).items() if v}
    fee, penalty = body.get("feeCharged"), body.get("penaltyDecided")
    return Fact(
        event_id=entry.event_id,
        action=Action(entry.action),
        occurred_at=entry.occurred_at,
        node=body.get("node"),
        reason=body.get("reason"),
        applicant=applicant or None,
        fee_charged=None if fee is None else Decimal(fee),
        penalty_decided=None if penalty is None else Decimal(penalty),
    )


def _in_force(versions: list[PowerVersion], at: datetime) -> PowerVersion | None:
    for version in versions:
        if version.effective_from <= at and (
            version.effective_to is None or at < version.effective_to
        ):
            return version
    return None


async def rebuild_cases(
    *,
    session: AsyncSession,
    case_numbers: Sequence[str],
    calendar: WorkCalendar,
    now: datetime,
    until: datetime | None = None,
) -> dict[str, tuple[Case, list[LedgerEntry]]]:
    """The cases as their facts (those up to `until`, if given) make them, with those facts.

    Built in memory and written nowhere: `derive_cases` stores them, backtests replay them.
    """
    query = (
        select(LedgerEntry)
        .where(
            LedgerEntry.case_number.in_(case_numbers),
            LedgerEntry.action.not_in(SUPERVISION_ACTIONS),
        )
        .order_by(LedgerEntry.case_number, LedgerEntry.occurred_at, LedgerEntry.id)
    )
    if until is not None:
        query = query.where(LedgerEntry.occurred_at <= until)
    by_case: dict[str, list[tuple[LedgerEntry, dict]]] = defaultdict(list)
    for entry in await session.scalars(query):
        by_case[entry.case_number].append((entry, json.loads(entry.body)))
    power_codes = {items[0][1]["powerCode"] for items in by_case.values()}
    powers = {
        p.code: p for p in await session.scalars(select(Power).where(Power.code.in_(power_codes)))
    }
    published: dict[str, list[PowerVersion]] = defaultdict(list)
    for version in await session.scalars(
        select(PowerVersion).where(
            PowerVersion.code.in_(power_codes),
            PowerVersion.status == PowerStatus.PUBLISHED,
            PowerVersion.effective_from.is_not(None),
        )
    ):
        published[version.code].append(version)
    current = {
        v.id: v
        for v in await session.scalars(
            select(PowerVersion).where(
                PowerVersion.id.in_([p.current_version_id for p in powers.values()])
            )
        )
    }
    department_codes = {items[0][1]["departmentCode"] for items in by_case.values()}
    departments = {
        d.code: d
        for d in await session.scalars(
            select(Department).where(Department.code.in_(department_codes))
        )
    }
    bound: dict[str, PowerVersion] = {}
    for number, items in by_case.items():
        first = items[0][1]
        accept_at = next((e.occurred_at for e, _ in items if e.action == Action.ACCEPT), None)
        version = _in_force(published[first["powerCode"]], accept_at) if accept_at else None
        power = powers[first["powerCode"]]
        bound[number] = version or current[power.current_version_id]
    procedures = await nodes_by_version(
        session=session, version_ids=list({v.id for v in bound.values()})
    )

    rebuilt: dict[str, tuple[Case, list[LedgerEntry]]] = {}
    for number, items in by_case.items():
        first = items[0][1]
        version = bound[number]
        power = powers[first["powerCode"]]
        department = departments[first["departmentCode"]]
        derived = fold((_fact(e, b) for e, b in items), [n.name for n in procedures[version.id]])
        if (
            derived.accepted_at is not None
            and _in_force(published[power.code], derived.accepted_at) is None
        ):
            derived.anomalies.append(
                {
                    "eventId": items[0][0].event_id,
                    "kind": "NO_VERSION_IN_FORCE",
                    "detail": f"{power.code} was not in force when the case was accepted",
                }
            )
        if power.department_id != department.id:
            derived.anomalies.append(
                {
                    "eventId": items[0][0].event_id,
                    "kind": "POWER_OF_ANOTHER_DEPARTMENT",
                    "detail": f"{department.name} exercised a power of another department",
                }
            )
        case = Case(number=number)  # not added: the caller decides what to write
        _fill(case, derived, items, version, department, calendar, now)
        rebuilt[number] = (case, [entry for entry, _ in items])
    return rebuilt


async def derive_cases(
    *,
    session: AsyncSession,
    case_numbers: Sequence[str],
    calendar: WorkCalendar,
    now: datetime,
) -> dict[str, str]:
    """Re-derive these cases from all their facts; their states, by number."""
    rebuilt = await rebuild_cases(
        session=session, case_numbers=case_numbers, calendar=calendar, now=now
    )
    existing = {
        number: case_id
        for number, case_id in await session.execute(
            select(Case.number, Case.id).where(Case.number.in_(case_numbers))
        )
    }
    states: dict[str, str] = {}
    inserts: list[dict] = []
    updates: list[dict] = []
    for number, (case, _) in rebuilt.items():
        values = {column: getattr(case, column) for column in _COLUMNS}
        if number in existing:
            updates.append({"_id": existing[number], **values})
        else:
            inserts.append(values)
        states[number] = case.state.value
    # one statement for the new cases and one (executemany) for the changed ones
    if inserts:
        await session.execute(insert(Case.__table__), inserts)
    if updates:
        table = Case.__table__
        await session.execute(
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values({column: bindparam(column) for column in _COLUMNS}),
            updates,
        )
    return states


# what the facts decide; the rule engine keeps `next_check_at` (set right after)
_COLUMNS = [c.key for c in Case.__table__.columns if c.key not in ("id", "next_check_at")]


def _fill(
    case: Case,
    derived: Derived,
    items,
    version: PowerVersion,
    department: Department,
    calendar: WorkCalendar,
    now: datetime,
) -> None:
    first = items[0][1]
    case.division_code = first["divisionCode"]
    case.department_id = department.id
    case.power_code = first["powerCode"]
    case.power_version_id = version.id
    case.state = derived.state
    case.node = derived.node
    case.applicant = derived.applicant
    case.submitted_at = derived.submitted_at
    case.accepted_at = derived.accepted_at
    case.decided_at = derived.decided_at
    case.published_at = derived.published_at
    case.promised_value, case.promised_unit = version.promised_value, version.promised_unit
    case.statutory_value, case.statutory_unit = version.statutory_value, version.statutory_unit
    case.pauses = derived.pauses
    case.anomalies = derived.anomalies
    case.amounts = {
        "fees": derived.fees,
        "penalty": derived.penalty,
        "supplements": derived.supplements,
        "returns": derived.returns,
    }
    case.event_count = len(items)
    case.last_event_at = max(e.occurred_at for e, _ in items)
    case.updated_at = now
    case.promised_due_at = case.statutory_due_at = None
    case.decided_late = case.clock_provisional = False
    if case.accepted_at is None:
        return
    pauses = pauses_of(case)
    promised = read_clock(
        calendar=calendar,
        accepted_at=case.accepted_at,
        limit_value=case.promised_value,
        limit_unit=case.promised_unit,
        pauses=pauses,
        now=now,
        decided_at=case.decided_at,
    )
    statutory = read_clock(
        calendar=calendar,
        accepted_at=case.accepted_at,
        limit_value=case.statutory_value,
        limit_unit=case.statutory_unit,
        pauses=pauses,
        now=now,
        decided_at=case.decided_at,
    )
    case.promised_due_at, case.statutory_due_at = promised.due_at, statutory.due_at
    case.clock_provisional = promised.provisional or statutory.provisional
    case.decided_late = case.decided_at is not None and case.decided_at > promised.due_at


def pauses_of(case: Case) -> list[Pause]:
    """The case's pauses as the clock takes them."""
    return [
        Pause(datetime.fromisoformat(start), datetime.fromisoformat(end) if end else None)
        for start, end in case.pauses
    ]


def clock_of(
    case: Case, limit: str, *, calendar: WorkCalendar, now: datetime
) -> ClockReading | None:
    """Where an accepted case stands against its promised or statutory limit."""
    value, unit = (
        (case.promised_value, case.promised_unit)
        if limit == "promised"
        else (case.statutory_value, case.statutory_unit)
    )
    if case.accepted_at is None or value is None:
        return None
    return read_clock(
        calendar=calendar,
        accepted_at=case.accepted_at,
        limit_value=value,
        limit_unit=unit,
        pauses=pauses_of(case),
        now=now,
        decided_at=case.decided_at,
    )


def is_overdue(case: Case, now: datetime) -> bool:
    """Late against the promised limit: decided late, or still open past it."""
    if case.promised_due_at is None:
        return False
    return case.decided_late or (case.decided_at is None and now > case.promised_due_at)
