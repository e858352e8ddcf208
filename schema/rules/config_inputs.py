"""Inputs for monitoring points and rules."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from schema.rules.types import WarningLevel
from supervision.rules.config import PointSpec, RuleSpec
from supervision.rules.models import WarningLevel as LevelValue


@strawberry.input(description="A rule: kind, parameters, level, legal basis, validity.")
class RuleInput:
    kind: str = strawberry.field(description="A kind from ruleKinds, or CUSTOM.")
    params: JSON | None = strawberry.field(
        default=None,
        description='Its parameters, e.g. {"max": 2}; CUSTOM takes {"expression": "…"}.',
    )
    level: WarningLevel
    legal_basis: str = ""
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    escalate_after_hours: int | None = None

    def to_spec(self) -> RuleSpec:
        return RuleSpec(
            kind=self.kind.strip(),
            params=self.params,
            level=LevelValue(self.level),
            legal_basis=self.legal_basis,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            escalate_after_hours=self.escalate_after_hours,
        )


@strawberry.input(description="Only what changes; leave the rest out.")
class RuleChangesInput:
    params: JSON | None = strawberry.UNSET
    level: WarningLevel | None = strawberry.UNSET
    legal_basis: str | None = strawberry.UNSET
    valid_from: datetime | None = strawberry.UNSET
    valid_to: datetime | None = strawberry.UNSET
    escalate_after_hours: int | None = strawberry.UNSET
    active: bool | None = strawberry.UNSET

    def to_changes(self) -> dict:
        changes = {
            name: value
            for name, value in vars(self).items()
            if value is not strawberry.UNSET
            and not (value is None and name in ("level", "legal_basis", "active"))
        }
        if changes.get("level") is not None:
            changes["level"] = LevelValue(changes["level"])
        return changes


@strawberry.input(description="Where a monitoring point watches.")
class MonitoringPointInput:
    name: str
    division_code: str = strawberry.field(description="This division and below.")
    power_code: str | None = None
    category: str | None = strawberry.field(default=None, description="e.g. LICENSING.")
    department_code: str | None = None
    node: str | None = strawberry.field(default=None, description="Only this procedure node.")
    rules: list[RuleInput] = strawberry.field(default_factory=list)

    def to_spec(self) -> PointSpec:
        return PointSpec(
            name=self.name,
            division_code=self.division_code,
            power_code=(self.power_code or "").strip() or None,
            category=self.category,
            department_code=(self.department_code or "").strip() or None,
            node=self.node,
        )


@strawberry.input(description="A rule to try on recorded history, and where.")
class BacktestInput:
    kind: str
    params: JSON | None = None
    division_code: str = strawberry.field(description="Cases of this division and below.")
    power_code: str | None = None
    category: str | None = None
    department_code: str | None = None
    node: str | None = None
    accepted_from: datetime = strawberry.field(description="Cases accepted from (inclusive).")
    accepted_to: datetime = strawberry.field(description="… to (exclusive); replayed up to here.")

    def to_spec(self) -> PointSpec:
        return PointSpec(
            name="backtest",
            division_code=self.division_code,
            power_code=(self.power_code or "").strip() or None,
            category=self.category,
            department_code=(self.department_code or "").strip() or None,
            node=self.node,
        )
