"""The complaint deadline, watched like a case's: COMPLAINT_OVERDUE from the worker.

A complaint still RECEIVED, ACCEPTED or ASSIGNED after its due time raises one warning of
kind COMPLAINT_OVERDUE, from the most specific rule of that kind in force whose point
covers the complaint (its division's subtree, and its department if the point names one;
a point narrowed to a power, a category or a node watches cases, not complaints). The
warning carries the complaint's tracking code as its case number, its division and
department, and is announced like any other (outbox, webhooks; no officer is texted).

A complaint is warned about once: one that has a COMPLAINT_OVERDUE warning, in any status,
is not looked at again, so the pass reads only complaints that became overdue since the
last one. On PostgreSQL complaints are claimed with FOR UPDATE SKIP LOCKED and checked again
once claimed, so two workers never warn twice (the live unique index on rule and case
number would refuse it anyway).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import String, cast, exists, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.cases.clock import TZ
from supervision.complaints.models import Complaint
from supervision.complaints.service import UNANSWERED
from supervision.rules.due import raise_when_due
from supervision.rules.kinds import KINDS, RuleKind
from supervision.rules.models import MonitoringPoint, Rule, Warning, WarningStatus
from tenancy.codes import prefix_of
from tenancy.db import Database
from tenancy.scope import Scope, subtree

SCOPE = Scope.bypass("complaint deadlines")
BATCH = 500
KIND = RuleKind.COMPLAINT_OVERDUE
WATCH_PREFIX = "complaint-"
STATUS_NAMES = {"RECEIVED": "未受理", "ACCEPTED": "已受理未答复", "ASSIGNED": "已交办未答复"}


def watch_number(complaint_id: int) -> str:
    """What a complaint's warning names in place of a case number: never its tracking code,
    the complainant's only key, which warnings, webhooks and live feeds would spread."""
    return f"{WATCH_PREFIX}{complaint_id}"


_watched = literal(WATCH_PREFIX) + cast(Complaint.id, String)


def _due(now: datetime, division_code: str | None):
    """Complaints unanswered past their due time and not yet warned about."""
    warned = exists().where(Warning.kind == KIND.value, Warning.case_number == _watched)
    query = select(Complaint.id).where(
        Complaint.status.in_(UNANSWERED), Complaint.due_at < now, ~warned
    )
    if division_code is not None:
        query = query.where(subtree(Complaint.division_code, division_code))
    return query


async def _rules(session: AsyncSession, now: datetime) -> list[tuple[Rule, MonitoringPoint]]:
    """The COMPLAINT_OVERDUE rules in force, on points that can watch complaints."""
    rows = await session.execute(
        select(Rule, MonitoringPoint)
        .join(MonitoringPoint, MonitoringPoint.id == Rule.point_id)
        .where(
            Rule.kind == KIND.value,
            Rule.active,
            MonitoringPoint.active,
            MonitoringPoint.power_code.is_(None),
            MonitoringPoint.category.is_(None),
            MonitoringPoint.node.is_(None),
            or_(Rule.valid_from.is_(None), Rule.valid_from <= now),
            or_(Rule.valid_to.is_(None), Rule.valid_to > now),
        )
        .order_by(Rule.id)
    )
    return [(rule, point) for rule, point in rows]


def _rule_for(
    complaint: Complaint, rules: list[tuple[Rule, MonitoringPoint]]
) -> tuple[Rule, MonitoringPoint] | None:
    """The most specific rule covering the complaint: the deepest point, then the first rule."""
    covering = [
        (rule, point)
        for rule, point in rules
        if complaint.division_code.startswith(prefix_of(point.division_code))
        and point.department_code in (None, complaint.department_code)
    ]
    if not covering:
        return None
    return max(
        covering,
        key=lambda rp: (len(prefix_of(rp[1].division_code)), rp[1].department_code is not None),
    )


def _warning(complaint: Complaint, rule: Rule, point: MonitoringPoint, now: datetime) -> dict:
    due = complaint.due_at.astimezone(TZ).date().isoformat()
    state = STATUS_NAMES.get(complaint.status.value, complaint.status.value)
    return {
        "rule_id": rule.id,
        "point_id": point.id,
        "case_number": watch_number(complaint.id),
        "division_code": complaint.division_code,
        "kind": KIND.value,
        "level": rule.level,
        "status": WarningStatus.OPEN,
        "detail": f"投诉（编号 {complaint.id}）应于 {due} 前答复，逾期仍{state}",
        "event_ids": [],
        "node": None,
        "legal_basis": rule.legal_basis or KINDS[KIND].basis,
        "raised_at": now,
        "department_code": complaint.department_code,
        "officer": None,  # a complaint may be about an officer: nobody is texted about it
        "attention_code": complaint.division_code,
        "escalations": 0,
        "escalate_at": None
        if rule.escalate_after_hours is None
        else now + timedelta(hours=rule.escalate_after_hours),
    }


async def check_due_complaints(
    *,
    database: Database,
    now: datetime | None = None,
    batch: int = BATCH,
    division_code: str | None = None,
) -> int:
    """Raise COMPLAINT_OVERDUE on every complaint unanswered past its due time and not yet
    warned about; the number raised. One transaction per batch; `division_code` keeps the
    pass to one subtree."""
    now = now or datetime.now(UTC)
    due = _due(now, division_code)
    async with database.session(SCOPE, read_only=True) as session:
        # look first without taking a writer's lock (SQLite has one for the whole file)
        if await session.scalar(due.limit(1)) is None:
            return 0
        rules = await _rules(session, now)
    if not rules:
        return 0

    async def judge(session: AsyncSession, ids: list[int]) -> list[dict]:
        complaints = list(
            await session.scalars(
                select(Complaint).where(Complaint.id.in_(ids)).order_by(Complaint.id)
            )
        )
        # checked again now that they are ours: another worker may just have committed
        warned = set(
            await session.scalars(
                select(Warning.case_number).where(
                    Warning.kind == KIND.value,
                    Warning.case_number.in_([watch_number(c.id) for c in complaints]),
                )
            )
        )
        raised = []
        for complaint in complaints:
            found = _rule_for(complaint, rules)
            if found is not None and watch_number(complaint.id) not in warned:
                raised.append(_warning(complaint, *found, now))
        return raised

    return await raise_when_due(
        database=database,
        scope=SCOPE,
        due=due,
        id_column=Complaint.id,
        judge=judge,
        now=now,
        batch=batch,
    )
