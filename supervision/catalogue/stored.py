"""Between a PowerSpec and the columns of a stored version."""

from __future__ import annotations

from decimal import Decimal

from supervision.catalogue.models import PowerNode, PowerRiskPoint, PowerVersion
from supervision.catalogue.spec import (
    DiscretionStandard,
    Fee,
    LegalBasis,
    Material,
    Node,
    PowerSpec,
    RiskPoint,
    TimeLimit,
)


def stored_fields(spec: PowerSpec) -> dict:
    """The version columns that hold a spec (nodes and risk points go to their tables)."""
    return {
        "name": spec.name,
        "category": spec.category,
        "legal_basis": [{"law": b.law, "article": b.article} for b in spec.legal_basis],
        "conditions": list(spec.conditions),
        "materials": [{"name": m.name, "required": m.required} for m in spec.materials],
        "fees": [
            {"name": f.name, "min": str(f.min_amount), "max": str(f.max_amount), "basis": f.basis}
            for f in spec.fees
        ],
        "discretion": [
            {
                "circumstance": d.circumstance,
                "min": str(d.min_amount),
                "max": str(d.max_amount),
                "basis": d.basis,
            }
            for d in spec.discretion
        ],
        "statutory_value": spec.statutory_limit.value,
        "statutory_unit": spec.statutory_limit.unit,
        "promised_value": spec.promised_limit.value,
        "promised_unit": spec.promised_limit.unit,
        "on_the_spot": spec.on_the_spot,
    }


def spec_of(
    version: PowerVersion,
    nodes: list[PowerNode],
    risk_points: list[PowerRiskPoint],
    department_code: str,
) -> PowerSpec:
    """The spec a stored version says."""
    return PowerSpec(
        name=version.name,
        category=version.category,
        department_code=department_code,
        statutory_limit=TimeLimit(version.statutory_value, version.statutory_unit),
        promised_limit=TimeLimit(version.promised_value, version.promised_unit),
        legal_basis=tuple(LegalBasis(b["law"], b["article"]) for b in version.legal_basis),
        conditions=tuple(version.conditions),
        materials=tuple(Material(m["name"], m["required"]) for m in version.materials),
        nodes=tuple(Node(n.name, n.post, n.limit_value, tuple(n.key_data)) for n in nodes),
        fees=tuple(
            Fee(f["name"], Decimal(f["min"]), Decimal(f["max"]), f["basis"]) for f in version.fees
        ),
        on_the_spot=version.on_the_spot,
        risk_points=tuple(
            RiskPoint(r.type, r.level, r.description, r.measure, r.node) for r in risk_points
        ),
        discretion=tuple(
            DiscretionStandard(d["circumstance"], Decimal(d["min"]), Decimal(d["max"]), d["basis"])
            for d in version.discretion
        ),
    )
