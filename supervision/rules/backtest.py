"""Backtesting a rule (规则回测): what it would have flagged on recorded history.

Each case accepted in the window is replayed from its own facts up to the end of the
window (the same derivation as the live projection), and the candidate rule judges it
as it would have then. Nothing is written: a backtest runs on a read-only session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.cases.calendar import current_calendar
from supervision.cases.derive import rebuild_cases
from supervision.cases.models import Case
from supervision.catalogue.service import nodes_by_version, versions_by_id
from supervision.organisation import Department
from supervision.rules import errors
from supervision.rules.config import PointSpec, checked_params
from supervision.rules.engine import case_view
from supervision.rules.kinds import KINDS, RuleKind
from tenancy.scope import Scope, subtree

MAX_CASES = 20_000  # one backtest examines at most this many cases
BATCH = 500
MAX_FINDINGS = 500  # findings listed; all are counted


@dataclass(frozen=True)
class BacktestFinding:
    case_number: str
    division_code: str
    department_code: str
    detail: str
    event_ids: tuple[str, ...]
    node: str | None


@dataclass(frozen=True)
class BacktestReport:
    cases_examined: int
    cases_flagged: int
    truncated: bool  # more cases matched than one backtest examines
    findings: list[BacktestFinding]


async def backtest_rule(
    *,
    session: AsyncSession,
    scope: Scope,
    kind: str,
    params: dict | None,
    where: PointSpec,
    accepted_from: datetime,
    accepted_to: datetime,
) -> BacktestReport:
    """Replay the cases accepted in [from, to) under the point `where` through the rule."""
    checked = checked_params(kind, params)
    if accepted_to <= accepted_from:
        raise errors.RuleError("to must be after from", field="to")
    at = min(accepted_to, datetime.now(UTC))
    spec = KINDS[RuleKind(kind)]
    query = select(Case.number).where(
        subtree(Case.division_code, where.division_code),
        Case.accepted_at >= accepted_from,
        Case.accepted_at < accepted_to,
    )
    if (inside := scope.clause(Case.division_code)) is not None:
        query = query.where(inside)
    if where.power_code:
        query = query.where(Case.power_code == where.power_code)
    if where.department_code:
        department = await session.scalar(
            select(Department.id).where(Department.code == where.department_code)
        )
        query = query.where(Case.department_id == department)
    numbers = list(await session.scalars(query.order_by(Case.accepted_at).limit(MAX_CASES + 1)))
    truncated = len(numbers) > MAX_CASES
    numbers = numbers[:MAX_CASES]
    calendar = await current_calendar(session=session)
    findings: list[BacktestFinding] = []
    flagged = 0
    for start in range(0, len(numbers), BATCH):
        rebuilt = await rebuild_cases(
            session=session,
            case_numbers=numbers[start : start + BATCH],
            calendar=calendar,
            now=at,
            until=at,
        )
        versions = await versions_by_id(
            session=session, ids=list({c.power_version_id for c, _ in rebuilt.values()})
        )
        nodes = await nodes_by_version(session=session, version_ids=list(versions))
        departments = dict(
            (
                await session.execute(
                    select(Department.id, Department.code).where(
                        Department.id.in_({c.department_id for c, _ in rebuilt.values()})
                    )
                )
            ).all()
        )
        for case, entries in rebuilt.values():
            version = versions[case.power_version_id]
            if where.category and version.category != where.category:
                continue
            department = departments[case.department_id]
            view = case_view(case, version, department, entries, nodes[version.id])
            hits = [
                f
                for f in spec.evaluate(view, checked, calendar=calendar, now=at)
                if where.node is None or f.node in (None, where.node)
            ]
            if not hits:
                continue
            flagged += 1
            if len(findings) < MAX_FINDINGS:
                findings.append(
                    BacktestFinding(
                        case_number=case.number,
                        division_code=case.division_code,
                        department_code=department,
                        detail=hits[0].detail,
                        event_ids=tuple(hits[0].event_ids),
                        node=hits[0].node,
                    )
                )
    return BacktestReport(
        cases_examined=len(numbers), cases_flagged=flagged, truncated=truncated, findings=findings
    )
