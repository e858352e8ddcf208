import itertools
from dataclasses import replace

import pytest

from supervision.catalogue.codes import make
from supervision.catalogue.spec import (
    Category,
    LegalBasis,
    Node,
    PowerSpec,
    RiskLevel,
    RiskPoint,
    RiskType,
    TimeLimit,
)
from supervision.seed import demo_department_code
from tenancy.scope import Scope

SHINAN = "370202000000"
_numbers = itertools.count(8000)


@pytest.fixture
def department_code() -> str:
    """市南区市场监督管理局 of the demo city."""
    return demo_department_code(SHINAN, "market_regulation")


@pytest.fixture
def new_power(department_code):
    """new_power(**spec changes) -> (a fresh unused code, a valid licensing spec)."""

    def make_one(category: Category = Category.LICENSING, **changes) -> tuple[str, PowerSpec]:
        number = next(_numbers)
        code = make(
            category=category,
            main=number,
            sub=1,
            division_code=SHINAN,
            department_code=department_code,
        )
        spec = PowerSpec(
            name=f"测试事项{number}",
            category=category,
            department_code=department_code,
            statutory_limit=TimeLimit(20),
            promised_limit=TimeLimit(10),
            legal_basis=(LegalBasis("《中华人民共和国行政许可法》", "第四十二条"),),
            nodes=(Node("受理", "窗口受理岗", 1, ("申请人名称",)), Node("决定", "审批岗", 5)),
            risk_points=(RiskPoint(RiskType.TIME, RiskLevel.MEDIUM, "超时限", "预警", "决定"),),
        )
        return code, replace(spec, **changes)

    return make_one


@pytest.fixture
async def session(database):
    async with database.session(Scope.bypass("test: catalogue service")) as session:
        yield session
        await session.rollback()
