"""The batch path of the catalogue: a whole catalogue loaded in a few statements."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.catalogue.errors import DuplicateCode
from supervision.catalogue.models import (
    ChangeKind,
    Power,
    PowerNode,
    PowerRiskPoint,
    PowerStatus,
    PowerVersion,
)
from supervision.catalogue.service import check_power, utc_now
from supervision.catalogue.spec import PowerSpec
from supervision.catalogue.stored import stored_fields
from supervision.organisation import Department


async def bulk_publish(
    *,
    session: AsyncSession,
    items: Sequence[tuple[str, PowerSpec]],
    actor: str,
    in_force_from: datetime | None = None,
) -> list[int]:
    """Add many new powers straight into force, a few statements in all; their ids.

    The batch path for loading a whole catalogue: every item is checked as
    create_power checks it, and any refusal refuses the batch.
    """
    if not items:
        return []
    department_codes = {spec.department_code for _, spec in items}
    departments = {
        d.code: d
        for d in await session.scalars(
            select(Department).where(Department.code.in_(department_codes))
        )
    }
    for code, spec in items:
        check_power(code, spec, departments.get(spec.department_code))
    codes_in_batch = [c for c, _ in items]
    if len(set(codes_in_batch)) != len(codes_in_batch):
        raise DuplicateCode("the batch names a code twice")
    existing = await session.scalars(select(Power.code).where(Power.code.in_(codes_in_batch)))
    if taken := list(existing):
        raise DuplicateCode(f"powers with these codes exist: {', '.join(taken[:5])}")
    now = utc_now()
    in_force = in_force_from or now
    power_ids = (
        await session.scalars(
            insert(Power).returning(Power.id, sort_by_parameter_order=True),
            [
                {
                    "code": code,
                    "name": spec.name,
                    "category": spec.category,
                    "status": PowerStatus.PUBLISHED,
                    "division_code": departments[spec.department_code].division_code,
                    "department_id": departments[spec.department_code].id,
                    "latest_version": 1,
                    "published_version": 1,
                    "updated_at": now,
                }
                for code, spec in items
            ],
        )
    ).all()
    version_ids = (
        await session.scalars(
            insert(PowerVersion).returning(PowerVersion.id, sort_by_parameter_order=True),
            [
                {
                    "power_id": power_id,
                    "code": code,
                    "version": 1,
                    "status": PowerStatus.PUBLISHED,
                    "change_kind": ChangeKind.ADD,
                    "change_note": "",
                    "related_codes": [],
                    "division_code": departments[spec.department_code].division_code,
                    "department_id": departments[spec.department_code].id,
                    "created_by": actor,
                    "effective_from": in_force,
                    **stored_fields(spec),
                }
                for power_id, (code, spec) in zip(power_ids, items, strict=True)
            ],
        )
    ).all()
    nodes = [
        {
            "version_id": version_id,
            "position": i,
            "name": n.name,
            "post": n.post,
            "limit_value": n.limit,
            "key_data": list(n.key_data),
        }
        for version_id, (_, spec) in zip(version_ids, items, strict=True)
        for i, n in enumerate(spec.nodes)
    ]
    risks = [
        {
            "version_id": version_id,
            "position": i,
            "type": r.type,
            "level": r.level,
            "description": r.description,
            "measure": r.measure,
            "node": r.node,
        }
        for version_id, (_, spec) in zip(version_ids, items, strict=True)
        for i, r in enumerate(spec.risk_points)
    ]
    if nodes:
        await session.execute(insert(PowerNode), nodes)
    if risks:
        await session.execute(insert(PowerRiskPoint), risks)
    await session.execute(
        update(Power),
        [
            {"id": power_id, "current_version_id": version_id}
            for power_id, version_id in zip(power_ids, version_ids, strict=True)
        ],
    )
    return list(power_ids)
