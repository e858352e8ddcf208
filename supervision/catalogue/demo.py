"""The demo catalogue: the templates of demo_catalogue.py, made real for every department."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision import demo_catalogue
from supervision.catalogue import bulk, codes, service
from supervision.catalogue.models import Power
from supervision.catalogue.spec import (
    Category,
    DayUnit,
    DiscretionStandard,
    Fee,
    LegalBasis,
    Material,
    Node,
    PowerSpec,
    RiskLevel,
    RiskPoint,
    RiskType,
    TimeLimit,
)
from supervision.organisation import Department

DEMO_ACTOR = "demo-catalogue"
CATALOGUE_IN_FORCE = datetime(2024, 1, 1, tzinfo=UTC)


def spec_from_template(template: dict, department_code: str) -> PowerSpec:
    """A template of demo_catalogue.TEMPLATES as the spec of one department's power."""
    return PowerSpec(
        name=template["name"],
        category=Category(template["category"]),
        department_code=department_code,
        statutory_limit=TimeLimit(
            template["statutory_limit"][0], DayUnit(template["statutory_limit"][1])
        ),
        promised_limit=TimeLimit(
            template["promised_limit"][0], DayUnit(template["promised_limit"][1])
        ),
        legal_basis=tuple(LegalBasis(law, article) for law, article in template["legal_basis"]),
        conditions=tuple(template["conditions"]),
        materials=tuple(Material(name, required) for name, required in template["materials"]),
        nodes=tuple(
            Node(name, post, limit, tuple(key_data))
            for name, post, limit, key_data in template["nodes"]
        ),
        fees=tuple(
            Fee(name, Decimal(low), Decimal(high), basis)
            for name, low, high, basis in template["fees"]
        ),
        on_the_spot=template["on_the_spot"],
        risk_points=tuple(
            RiskPoint(RiskType(kind), RiskLevel(level), description, measure, node)
            for kind, level, description, measure, node in template["risk_points"]
        ),
        discretion=tuple(
            DiscretionStandard(circumstance, Decimal(low), Decimal(high), basis)
            for circumstance, low, high, basis in template["discretion"]
        ),
    )


def _item_numbers() -> dict[tuple[str, int], int]:
    # A stable main-item number per (department kind, template), shared by every
    # division: the same item has the same basic code across the city.
    numbers = {}
    for kind in sorted(demo_catalogue.TEMPLATES):
        for index, _ in enumerate(demo_catalogue.TEMPLATES[kind]):
            numbers[(kind, index)] = len(numbers) + 1
    return numbers


def demo_powers() -> int:
    """How many powers the demo catalogue writes for the demo city."""
    from supervision.seed import demo_departments

    return sum(len(demo_catalogue.TEMPLATES.get(kind, ())) for _, kind, _, _ in demo_departments())


async def seed_demo_catalogue(
    *, session: AsyncSession, progress: Callable[[int], None] = lambda _n: None
) -> int:
    """Write the demo catalogue unless powers exist; most published, some in every other state."""
    if await session.scalar(select(Power.id).limit(1)) is not None:
        return 0
    rng = random.Random(370200)
    numbers = _item_numbers()
    departments = (
        await session.execute(
            select(Department.code, Department.kind, Department.division_code).order_by(
                Department.id
            )
        )
    ).all()
    items = []
    for department_code, kind, division_code in departments:
        for index, template in enumerate(demo_catalogue.TEMPLATES.get(kind, ())):
            spec = spec_from_template(template, department_code)
            code = codes.make(
                category=spec.category,
                main=numbers[(kind, index)],
                sub=1,
                division_code=division_code,
                department_code=department_code,
            )
            items.append((code, spec))
    # Most powers go straight into force through the batch path; a few are taken
    # through the rest of the lifecycle so the demo shows every state and history.
    fates = {code: rng.random() for code, _ in items}
    for start in range(0, len(items), 500):
        batch = [(c, s) for c, s in items[start : start + 500] if fates[c] >= 0.04]
        # in force since well before the demo's year of cases, as a real catalogue is
        await bulk.bulk_publish(
            session=session, items=batch, actor=DEMO_ACTOR, in_force_from=CATALOGUE_IN_FORCE
        )
        progress(len(batch))
    for code, spec in items:
        fate = fates[code]
        if fate < 0.04:  # drafts
            await service.create_power(session=session, code=code, spec=spec, actor=DEMO_ACTOR)
        elif fate < 0.07:
            await service.suspend_power(
                session=session, code=code, actor=DEMO_ACTOR, reason="上位法修订, 暂停实施"
            )
        elif fate < 0.09:
            await service.cancel_power(
                session=session, code=code, actor=DEMO_ACTOR, reason="根据机构改革取消"
            )
        elif fate < 0.14:
            faster = TimeLimit(
                max(spec.promised_limit.value - 1, sum(n.limit for n in spec.nodes)),
                spec.promised_limit.unit,
            )
            await service.revise_power(
                session=session,
                code=code,
                spec=replace(spec, promised_limit=faster),
                actor=DEMO_ACTOR,
                note="压缩承诺时限",
            )
            await service.publish_power(session=session, code=code, actor=DEMO_ACTOR)
        else:
            continue
        if fate < 0.04:
            progress(1)
    written = len(items)
    return written
