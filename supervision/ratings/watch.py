"""The rectification of a bad rating, watched like a case: RATING_NOT_RECTIFIED from the worker.

A rating whose rectification is still OPEN (no callback, 回访) after its due time raises one
warning of kind RATING_NOT_RECTIFIED, from the most specific rule of that kind in force whose
point covers the rated case (its division's subtree, and its department, power or category
if the point names one; a point narrowed to a procedure node watches nodes, not ratings). The
warning is on the rated case, in its division and department, and is announced like any
other (outbox, webhooks; no officer is texted: the department as a whole owes the callback);
it is handled with the usual steps (confirm, card, rectification), and a callback recorded
late does not withdraw it.

A rating is warned about once: one whose case has a RATING_NOT_RECTIFIED warning, in any
status, is not looked at again, so a pass reads only the ratings that fell due since the last
one (through the index on `ratings.rectification_due_at`). On PostgreSQL ratings are claimed
with FOR UPDATE SKIP LOCKED and checked again once claimed, so two workers never warn twice
(the live unique index on rule and case would refuse it anyway).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.cases.clock import TZ
from supervision.cases.models import Case
from supervision.catalogue.models import PowerVersion
from supervision.ratings.models import Rating
from supervision.ratings.service import LEVEL_NAMES, RatingLevel, RectificationStatus
from supervision.rules.due import raise_when_due
from supervision.rules.kinds import KINDS, RuleKind
from supervision.rules.models import MonitoringPoint, Rule, Warning, WarningStatus
from tenancy.codes import prefix_of
from tenancy.db import Database
from tenancy.scope import Scope, subtree

SCOPE = Scope.bypass("rating rectification deadlines")
BATCH = 500
KIND = RuleKind.RATING_NOT_RECTIFIED


def _due(now: datetime, division_code: str | None):
    """Ratings whose rectification is open past its due time and not yet warned about."""
    warned = exists().where(Warning.kind == KIND.value, Warning.case_number == Rating.case_number)
    query = select(Rating.id).where(
        Rating.rectification_status == RectificationStatus.OPEN.value,
        Rating.rectification_due_at < now,
        ~warned,
    )
    if division_code is not None:
        query = query.where(subtree(Rating.division_code, division_code))
    return query


async def _rules(session: AsyncSession, now: datetime) -> list[tuple[Rule, MonitoringPoint]]:
    """The RATING_NOT_RECTIFIED rules in force, on points that can watch ratings."""
    rows = await session.execute(
        select(Rule, MonitoringPoint)
        .join(MonitoringPoint, MonitoringPoint.id == Rule.point_id)
        .where(
            Rule.kind == KIND.value,
            Rule.active,
            MonitoringPoint.active,
            MonitoringPoint.node.is_(None),
            or_(Rule.valid_from.is_(None), Rule.valid_from <= now),
            or_(Rule.valid_to.is_(None), Rule.valid_to > now),
        )
        .order_by(Rule.id)
    )
    return [(rule, point) for rule, point in rows]


def _rule_for(
    rating: Rating,
    power_code: str | None,
    category: str | None,
    rules: list[tuple[Rule, MonitoringPoint]],
) -> tuple[Rule, MonitoringPoint] | None:
    """The most specific rule covering the rating: the deepest point, then the narrowest."""
    covering = [
        (rule, point)
        for rule, point in rules
        if rating.division_code.startswith(prefix_of(point.division_code))
        and point.department_code in (None, rating.department_code)
        and point.power_code in (None, power_code)
        and point.category in (None, category)
    ]
    if not covering:
        return None
    return max(
        covering,
        key=lambda rp: (
            len(prefix_of(rp[1].division_code)),
            sum(x is not None for x in (rp[1].department_code, rp[1].power_code, rp[1].category)),
        ),
    )


def _warning(rating: Rating, rule: Rule, point: MonitoringPoint, now: datetime) -> dict:
    rated = rating.rated_at.astimezone(TZ).date().isoformat()
    due = rating.rectification_due_at.astimezone(TZ).date().isoformat()
    level = LEVEL_NAMES.get(RatingLevel(rating.level), str(rating.level))
    return {
        "rule_id": rule.id,
        "point_id": point.id,
        "case_number": rating.case_number,
        "division_code": rating.division_code,
        "kind": KIND.value,
        "level": rule.level,
        "status": WarningStatus.OPEN,
        "detail": f"{rated} 收到差评（{level}），应于 {due} 前整改回访，逾期仍未回访",
        "event_ids": [],
        "node": None,
        "legal_basis": rule.legal_basis or KINDS[KIND].basis,
        "raised_at": now,
        "department_code": rating.department_code,
        "officer": None,  # the department owes the callback: nobody is texted by name
        "attention_code": rating.division_code,
        "escalations": 0,
        "escalate_at": None
        if rule.escalate_after_hours is None
        else now + timedelta(hours=rule.escalate_after_hours),
    }


async def check_unrectified_ratings(
    *,
    database: Database,
    now: datetime | None = None,
    batch: int = BATCH,
    division_code: str | None = None,
) -> int:
    """Raise RATING_NOT_RECTIFIED on every bad rating not called back by its due time and not
    yet warned about; the number raised. One transaction per batch; `division_code` keeps
    the pass to one subtree."""
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
        rows = (
            await session.execute(
                select(Rating, Case.power_code, PowerVersion.category)
                .join(Case, Case.number == Rating.case_number)
                .outerjoin(PowerVersion, PowerVersion.id == Case.power_version_id)
                .where(Rating.id.in_(ids))
                .order_by(Rating.id)
            )
        ).all()
        # checked again now that they are ours: another worker may just have committed
        warned = set(
            await session.scalars(
                select(Warning.case_number).where(
                    Warning.kind == KIND.value,
                    Warning.case_number.in_([r.case_number for r, _, _ in rows]),
                )
            )
        )
        raised = []
        for rating, power_code, category in rows:
            found = _rule_for(rating, power_code, category, rules)
            if found is not None and rating.case_number not in warned:
                raised.append(_warning(rating, *found, now))
        return raised

    return await raise_when_due(
        database=database,
        scope=SCOPE,
        due=due,
        id_column=Rating.id,
        judge=judge,
        now=now,
        batch=batch,
    )
