"""The demo catalogue looks like a real city's: every tier, category, risk type and state."""

from sqlalchemy import func, select

from supervision.catalogue.models import Power, PowerRiskPoint, PowerStatus, PowerVersion
from supervision.catalogue.spec import Category, RiskType
from tenancy.codes import Tier, tier_of


async def test_hundreds_of_powers_at_every_tier(session):
    codes = list(await session.scalars(select(Power.division_code).where(Power.code < "1100")))
    assert len(codes) >= 400
    assert {tier_of(code) for code in codes} == set(Tier)


async def test_every_category_and_risk_type_appears(session):
    categories = set(await session.scalars(select(Power.category).distinct()))
    risk_types = set(await session.scalars(select(PowerRiskPoint.type).distinct()))
    assert categories == set(Category)
    assert risk_types == set(RiskType)


async def test_every_penalty_carries_discretion_standards(session):
    penalties = await session.scalars(
        select(PowerVersion.discretion).where(
            PowerVersion.category == Category.PENALTY, PowerVersion.created_by == "demo-catalogue"
        )
    )
    standards = list(penalties)
    assert standards and all(standards)


async def test_the_demo_shows_every_state_and_some_history(session):
    states = dict(
        (await session.execute(select(Power.status, func.count()).group_by(Power.status))).all()
    )
    assert set(states) == set(PowerStatus)
    assert states[PowerStatus.PUBLISHED] > 10 * states[PowerStatus.DRAFT]
    revised = await session.scalar(
        select(func.count()).select_from(Power).where(Power.latest_version > 1)
    )
    assert revised > 0
