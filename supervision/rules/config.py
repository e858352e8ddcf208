"""Configuring supervision: monitoring points (监察点) and their rules (监察规则).

Rules are data: saving one validates its kind and parameters (a custom expression is
compiled) and the engine uses it from the next fact on, with no restart; the open cases
it watches are made due, so the worker's next pass applies it to them too. Points are
configuration, not tenant data: a supervisor reads the points that apply to their part
of the tree (their own and those set above them) and changes only those inside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.catalogue.models import Power
from supervision.catalogue.spec import Category
from supervision.organisation import Department
from supervision.rules import errors
from supervision.rules.kinds import check_params
from supervision.rules.models import MonitoringPoint, Rule, WarningLevel
from supervision.rules.worker import reschedule
from tenancy.codes import prefix_of
from tenancy.models import Division
from tenancy.scope import Scope

MAX_ESCALATE_HOURS = 24 * 365


@dataclass(frozen=True)
class PointSpec:
    name: str
    division_code: str
    power_code: str | None = None
    category: str | None = None
    department_code: str | None = None
    node: str | None = None


@dataclass(frozen=True)
class RuleSpec:
    kind: str
    params: dict | None
    level: WarningLevel
    legal_basis: str = ""
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    escalate_after_hours: int | None = None


def checked_params(kind: str, params: dict | None) -> dict:
    """The rule's parameters, defaults filled in; InvalidRule (with a position) if wrong."""
    try:
        return check_params(kind, params)
    except ValueError as exc:
        raise errors.InvalidRule(
            getattr(exc, "message", None) or str(exc),
            field="params" if "unknown rule kind" not in str(exc) else "kind",
            line=getattr(exc, "line", None),
            column=getattr(exc, "column", None),
        ) from None


def _check_rule(spec: RuleSpec) -> dict:
    params = checked_params(spec.kind, spec.params)
    if spec.valid_from and spec.valid_to and spec.valid_to <= spec.valid_from:
        raise errors.InvalidRule("validTo must be after validFrom", field="validTo")
    hours = spec.escalate_after_hours
    if hours is not None and not 1 <= hours <= MAX_ESCALATE_HOURS:
        raise errors.InvalidRule(
            f"escalateAfterHours: 1 to {MAX_ESCALATE_HOURS}", field="escalateAfterHours"
        )
    return params


async def _check_point(session: AsyncSession, spec: PointSpec) -> None:
    if not spec.name.strip() or len(spec.name) > 200:
        raise errors.RuleError("name: 1 to 200 characters", field="name")
    if spec.category is not None and spec.category not in Category.__members__:
        raise errors.RuleError(
            f"category: {spec.category!r} is not one of {', '.join(Category)}", field="category"
        )
    if spec.node is not None and not 1 <= len(spec.node.strip()) <= 100:
        raise errors.RuleError("node: 1 to 100 characters", field="node")
    if await session.get(Division, spec.division_code) is None:
        raise errors.UnknownDivision(f"no division {spec.division_code}", field="divisionCode")
    if spec.power_code is not None:
        power = await session.scalar(select(Power.id).where(Power.code == spec.power_code))
        if power is None:
            raise errors.UnknownPower(f"no power has code {spec.power_code}", field="powerCode")
    if spec.department_code is not None:
        found = await session.scalar(
            select(Department.id).where(Department.code == spec.department_code)
        )
        if found is None:
            raise errors.UnknownDepartment(
                f"no department has credit code {spec.department_code}", field="departmentCode"
            )


async def create_point(
    *, session: AsyncSession, spec: PointSpec, actor: str, rules: Sequence[RuleSpec] = ()
) -> MonitoringPoint:
    """A new monitoring point, with its first rules."""
    await _check_point(session, spec)
    checked = [(rule, _check_rule(rule)) for rule in rules]
    point = MonitoringPoint(
        name=spec.name.strip(),
        division_code=spec.division_code,
        power_code=spec.power_code,
        category=spec.category,
        department_code=spec.department_code,
        node=spec.node.strip() if spec.node else None,
        active=True,
        created_by=actor,
    )
    session.add(point)
    await session.flush()
    for rule, params in checked:
        session.add(_rule_row(point.id, rule, params, actor))
    await session.flush()
    if checked:
        await reschedule(session=session, point=point, now=datetime.now(UTC))
    return point


def _rule_row(point_id: int, spec: RuleSpec, params: dict, actor: str) -> Rule:
    return Rule(
        point_id=point_id,
        kind=spec.kind,
        params=params,
        level=spec.level,
        legal_basis=spec.legal_basis.strip(),
        valid_from=spec.valid_from,
        valid_to=spec.valid_to,
        active=True,
        owner=actor,
        escalate_after_hours=spec.escalate_after_hours,
    )


async def get_point(*, session: AsyncSession, scope: Scope, point_id: int) -> MonitoringPoint:
    """A point the caller may change; PointNotFound otherwise."""
    point = await session.get(MonitoringPoint, point_id)
    if point is None or not scope.allows(point.division_code):
        raise errors.PointNotFound(f"no monitoring point {point_id} here", field="id")
    return point


async def update_point(
    *,
    session: AsyncSession,
    scope: Scope,
    point_id: int,
    name: str | None = None,
    active: bool | None = None,
) -> MonitoringPoint:
    """Rename a point, or switch it (and so all its rules) off or on."""
    point = await get_point(session=session, scope=scope, point_id=point_id)
    if name is not None:
        if not name.strip() or len(name) > 200:
            raise errors.RuleError("name: 1 to 200 characters", field="name")
        point.name = name.strip()
    if active is not None:
        point.active = active
    await session.flush()
    if point.active:
        await reschedule(session=session, point=point, now=datetime.now(UTC))
    return point


async def add_rule(
    *, session: AsyncSession, scope: Scope, point_id: int, spec: RuleSpec, actor: str
) -> Rule:
    """A new rule on a point the caller may change."""
    point = await get_point(session=session, scope=scope, point_id=point_id)
    rule = _rule_row(point.id, spec, _check_rule(spec), actor)
    session.add(rule)
    await session.flush()
    await reschedule(session=session, point=point, now=datetime.now(UTC))
    return rule


async def get_rule(*, session: AsyncSession, scope: Scope, rule_id: int) -> Rule:
    """A rule on a point the caller may change; RuleNotFound otherwise."""
    row = (
        await session.execute(
            select(Rule, MonitoringPoint.division_code)
            .join(MonitoringPoint, MonitoringPoint.id == Rule.point_id)
            .where(Rule.id == rule_id)
        )
    ).first()
    if row is None or not scope.allows(row[1]):
        raise errors.RuleNotFound(f"no rule {rule_id} here", field="id")
    return row[0]


async def update_rule(
    *,
    session: AsyncSession,
    scope: Scope,
    rule_id: int,
    changes: dict,
) -> Rule:
    """Change a rule's parameters, level, basis, validity, escalation or switch it off/on.

    `changes` holds only what changes (RuleSpec field names, plus `active`).
    """
    rule = await get_rule(session=session, scope=scope, rule_id=rule_id)
    spec = RuleSpec(
        kind=rule.kind,
        params=changes.get("params", rule.params),
        level=changes.get("level", rule.level),
        legal_basis=changes.get("legal_basis", rule.legal_basis),
        valid_from=changes.get("valid_from", rule.valid_from),
        valid_to=changes.get("valid_to", rule.valid_to),
        escalate_after_hours=changes.get("escalate_after_hours", rule.escalate_after_hours),
    )
    rule.params = _check_rule(spec)
    rule.level = spec.level
    rule.legal_basis = spec.legal_basis.strip()
    rule.valid_from, rule.valid_to = spec.valid_from, spec.valid_to
    rule.escalate_after_hours = spec.escalate_after_hours
    if "active" in changes and changes["active"] is not None:
        rule.active = changes["active"]
    await session.flush()
    point = await session.get(MonitoringPoint, rule.point_id)
    await reschedule(session=session, point=point, now=datetime.now(UTC))
    return rule


def _applies_to(point_code: str, scope: Scope) -> bool:
    """A point at or above any part of the scope, or inside it."""
    prefix = prefix_of(point_code)
    return scope.allows(point_code) or any(p.startswith(prefix) for p in scope.prefixes)


async def list_points(
    *, session: AsyncSession, scope: Scope, division_code: str | None = None
) -> list[MonitoringPoint]:
    """The points that apply inside the scope (set there or above it), oldest first.

    With `division_code`: those that apply to that division.
    """
    rows = await session.scalars(select(MonitoringPoint).order_by(MonitoringPoint.id))
    points = [p for p in rows if scope.unrestricted or _applies_to(p.division_code, scope)]
    if division_code is not None:
        points = [
            p
            for p in points
            if division_code.startswith(prefix_of(p.division_code))
            or p.division_code.startswith(prefix_of(division_code))
        ]
    return points


async def rules_by_point(
    *, session: AsyncSession, point_ids: Sequence[int]
) -> dict[int, list[Rule]]:
    """The rules of these points, in the order they were made."""
    found: dict[int, list[Rule]] = defaultdict(list)
    for rule in await session.scalars(
        select(Rule).where(Rule.point_id.in_(point_ids)).order_by(Rule.id)
    ):
        found[rule.point_id].append(rule)
    return found
