from dataclasses import replace
from decimal import Decimal

import pytest

from supervision.catalogue.spec import (
    Category,
    DayUnit,
    DiscretionStandard,
    Fee,
    LegalBasis,
    Node,
    PowerSpec,
    RiskLevel,
    RiskPoint,
    RiskType,
    TimeLimit,
    check_spec,
)

VALID = PowerSpec(
    name="食品经营许可",
    category=Category.LICENSING,
    department_code="x",
    statutory_limit=TimeLimit(20),
    promised_limit=TimeLimit(10),
    legal_basis=(LegalBasis("《中华人民共和国食品安全法》", "第三十五条"),),
    nodes=(Node("受理", "窗口受理岗", 1), Node("审查", "审核岗", 6), Node("决定", "审批岗", 3)),
    risk_points=(RiskPoint(RiskType.TIME, RiskLevel.MEDIUM, "超时限", "预警", "决定"),),
)


def _codes(spec: PowerSpec) -> list[tuple[str, str]]:
    return [(p.code, p.field) for p in check_spec(spec)]


def test_a_complete_spec_passes():
    assert check_spec(VALID) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"promised_limit": TimeLimit(21)}, ("INVALID_LIMIT", "promisedLimit")),
        ({"statutory_limit": TimeLimit(4000)}, ("INVALID_LIMIT", "statutoryLimit")),
        (
            {"statutory_limit": TimeLimit(0), "promised_limit": TimeLimit(0)},
            ("INVALID_LIMIT", "statutoryLimit"),
        ),
        ({"promised_limit": TimeLimit(9)}, ("INVALID_LIMIT", "nodes")),
        ({"on_the_spot": True}, ("INVALID_LIMIT", "promisedLimit")),
        ({"legal_basis": ()}, ("MISSING_LEGAL_BASIS", "legalBasis")),
        ({"name": " "}, ("INVALID_NAME", "name")),
        ({"nodes": (Node("受理", "岗", 1), Node("受理", "岗", 1))}, ("INVALID_PROCEDURE", "nodes")),
        (
            {"risk_points": (RiskPoint(RiskType.KEY, RiskLevel.HIGH, "x", "", "勘查"),)},
            ("INVALID_RISK_POINT", "riskPoints[0].node"),
        ),
        (
            {"fees": (Fee("工本费", Decimal(10), Decimal(5)),)},
            ("INVALID_FEE", "fees[0]"),
        ),
        (
            {"discretion": (DiscretionStandard("轻微", Decimal(0), Decimal(100)),)},
            ("INVALID_DISCRETION", "discretionStandards"),
        ),
    ],
)
def test_each_problem_is_reported_with_its_field(change, expected):
    assert expected in _codes(replace(VALID, **change))


def test_limits_in_different_units_are_not_compared():
    spec = replace(
        VALID, promised_limit=TimeLimit(15), statutory_limit=TimeLimit(12, DayUnit.CALENDAR_DAY)
    )
    assert ("INVALID_LIMIT", "promisedLimit") not in _codes(spec)


def test_an_on_the_spot_item_promises_zero_days_with_instant_nodes():
    spec = replace(
        VALID,
        on_the_spot=True,
        promised_limit=TimeLimit(0),
        nodes=(Node("受理并办结", "窗口受理岗", 0),),
        risk_points=(),
    )
    assert check_spec(spec) == []


def test_a_penalty_range_must_be_ordered():
    penalty = replace(
        VALID,
        category=Category.PENALTY,
        discretion=(DiscretionStandard("严重", Decimal(100000), Decimal(50000)),),
    )
    assert ("INVALID_DISCRETION", "discretionStandards[0]") in _codes(penalty)
