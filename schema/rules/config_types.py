"""GraphQL types of monitoring points (监察点), rules (监察规则) and rule kinds."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from schema.context import Info
from schema.errors import InvalidInput, NotFound, UserError
from schema.rules.types import WarningLevel
from supervision.rules import errors, models
from supervision.rules.kinds import KindSpec


@strawberry.type(description="监察规则: a kind with its parameters, level and legal basis.")
class Rule:
    id: int
    point_id: int
    kind: str = strawberry.field(description="A built-in kind (see ruleKinds) or CUSTOM.")
    params: JSON = strawberry.field(description="The kind's parameters, defaults filled in.")
    level: WarningLevel
    legal_basis: str
    valid_from: datetime | None
    valid_to: datetime | None
    active: bool
    owner: str
    escalate_after_hours: int | None = strawberry.field(
        description="An unhandled warning rises a level and goes to the tier above after this."
    )

    @classmethod
    def from_row(cls, row: models.Rule) -> Rule:
        return cls(
            id=row.id,
            point_id=row.point_id,
            kind=row.kind,
            params=dict(row.params),
            level=row.level,
            legal_basis=row.legal_basis,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            active=row.active,
            owner=row.owner,
            escalate_after_hours=row.escalate_after_hours,
        )


@strawberry.type(
    description="监察点: what its rules watch — a subtree, optionally one power, category, "
    "department or procedure node."
)
class MonitoringPoint:
    id: int
    name: str
    division_code: str = strawberry.field(description="Applies to this division and below.")
    power_code: str | None
    category: str | None
    department_code: str | None
    node: str | None
    active: bool
    created_by: str

    @classmethod
    def from_row(cls, row: models.MonitoringPoint) -> MonitoringPoint:
        return cls(
            id=row.id,
            name=row.name,
            division_code=row.division_code,
            power_code=row.power_code,
            category=row.category,
            department_code=row.department_code,
            node=row.node,
            active=row.active,
            created_by=row.created_by,
        )

    @strawberry.field(description="Its rules, oldest first.")
    async def rules(self, info: Info) -> list[Rule]:
        return [Rule.from_row(r) for r in await info.context.loaders.rules_of_point.load(self.id)]


@strawberry.type
class RuleParam:
    name: str
    type: str = strawberry.field(description="int, float or str.")
    default: JSON | None
    description: str
    minimum: float | None
    maximum: float | None


@strawberry.type(description="A rule kind the engine knows, with its parameters.")
class RuleKindInfo:
    kind: str
    description: str
    legal_basis: str
    time_driven: bool = strawberry.field(
        description="Also judged as time passes (by the worker), not only when facts arrive."
    )
    params: list[RuleParam]

    @classmethod
    def from_spec(cls, spec: KindSpec) -> RuleKindInfo:
        return cls(
            kind=spec.kind.value,
            description=spec.description,
            legal_basis=spec.basis,
            time_driven=spec.time_driven,
            params=[
                RuleParam(
                    name=p.name,
                    type=p.type.__name__,
                    default=p.default,
                    description=p.description,
                    minimum=p.minimum,
                    maximum=p.maximum,
                )
                for p in spec.params
            ],
        )


@strawberry.type(description="The rule is wrong: its kind, a parameter or its expression.")
class InvalidRule(UserError):
    line: int | None = strawberry.field(
        default=None, description="For an expression: the line of the error (from 1)."
    )
    column: int | None = strawberry.field(
        default=None, description="For an expression: the column of the error (from 1)."
    )


@strawberry.type(description="No power has this code.")
class UnknownPower(UserError):
    pass


@strawberry.type(description="No department has this credit code.")
class UnknownRuleDepartment(UserError):
    pass


def user_error(exc: errors.RuleError) -> UserError:
    """The typed error a client gets for a refused change to points or rules."""
    message, field = str(exc), exc.field
    if isinstance(exc, errors.InvalidRule):
        return InvalidRule(
            code=exc.code, message=message, field=field, line=exc.line, column=exc.column
        )
    if isinstance(exc, errors.PointNotFound | errors.RuleNotFound):
        return NotFound(code=exc.code, message=message, field=field)
    if isinstance(exc, errors.UnknownPower):
        return UnknownPower(code=exc.code, message=message, field=field)
    if isinstance(exc, errors.UnknownDepartment):
        return UnknownRuleDepartment(code=exc.code, message=message, field=field)
    return InvalidInput(code=exc.code, message=message, field=field)
