"""Inputs of the catalogue mutations, and their conversion to a PowerSpec."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from schema.catalogue.types import DayUnit, PowerCategory, RiskLevel, RiskType
from supervision.catalogue import spec


@strawberry.input
class TimeLimitInput:
    value: int
    unit: DayUnit = spec.DayUnit.WORKING_DAY


@strawberry.input
class LegalBasisInput:
    law: str
    article: str = ""


@strawberry.input
class MaterialInput:
    name: str
    required: bool = True


@strawberry.input
class NodeInput:
    name: str
    post: str
    limit: int
    key_data: list[str] = strawberry.field(default_factory=list)


@strawberry.input
class FeeInput:
    name: str
    min_amount: Decimal
    max_amount: Decimal
    basis: str = ""


@strawberry.input
class RiskPointInput:
    type: RiskType
    level: RiskLevel
    description: str
    measure: str = ""
    node: str | None = None


@strawberry.input
class DiscretionStandardInput:
    circumstance: str
    min_amount: Decimal
    max_amount: Decimal
    basis: str = ""


@strawberry.input(description="Everything a version of a power says.")
class PowerInput:
    name: str
    category: PowerCategory
    department_code: str = strawberry.field(description="实施主体's unified social credit code.")
    legal_basis: list[LegalBasisInput]
    statutory_limit: TimeLimitInput
    promised_limit: TimeLimitInput
    conditions: list[str] = strawberry.field(default_factory=list)
    materials: list[MaterialInput] = strawberry.field(default_factory=list)
    nodes: list[NodeInput] = strawberry.field(default_factory=list)
    fees: list[FeeInput] = strawberry.field(default_factory=list)
    on_the_spot: bool = False
    risk_points: list[RiskPointInput] = strawberry.field(default_factory=list)
    discretion_standards: list[DiscretionStandardInput] = strawberry.field(default_factory=list)

    def to_spec(self) -> spec.PowerSpec:
        return spec.PowerSpec(
            name=self.name.strip(),
            category=spec.Category(self.category),
            department_code=self.department_code.strip(),
            statutory_limit=spec.TimeLimit(self.statutory_limit.value, self.statutory_limit.unit),
            promised_limit=spec.TimeLimit(self.promised_limit.value, self.promised_limit.unit),
            legal_basis=tuple(spec.LegalBasis(b.law, b.article) for b in self.legal_basis),
            conditions=tuple(self.conditions),
            materials=tuple(spec.Material(m.name, m.required) for m in self.materials),
            nodes=tuple(spec.Node(n.name, n.post, n.limit, tuple(n.key_data)) for n in self.nodes),
            fees=tuple(spec.Fee(f.name, f.min_amount, f.max_amount, f.basis) for f in self.fees),
            on_the_spot=self.on_the_spot,
            risk_points=tuple(
                spec.RiskPoint(
                    spec.RiskType(r.type), spec.RiskLevel(r.level), r.description, r.measure, r.node
                )
                for r in self.risk_points
            ),
            discretion=tuple(
                spec.DiscretionStandard(d.circumstance, d.min_amount, d.max_amount, d.basis)
                for d in self.discretion_standards
            ),
        )


@strawberry.input(description="A new power: its code and what it says.")
class NewPowerInput:
    code: str
    power: PowerInput
