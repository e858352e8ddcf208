"""Importing and exporting the catalogue through spreadsheets, idempotent by code."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.catalogue import service
from supervision.catalogue.codes import InvalidPowerCode
from supervision.catalogue.errors import CatalogueError
from supervision.catalogue.models import Power, PowerStatus, PowerVersion
from supervision.catalogue.spreadsheet import RowError, format_row, parse_row
from supervision.catalogue.stored import spec_of
from supervision.organisation import Department
from tenancy.scope import subtree


@dataclass(frozen=True)
class RowOutcome:
    """What happened to one row: created, revised, unchanged, or refused with a reason."""

    row: int
    code: str | None
    outcome: str
    error_code: str | None = None
    reason: str | None = None


async def _latest_version_id(session: AsyncSession, power: Power) -> int:
    return await session.scalar(
        select(PowerVersion.id).where(
            PowerVersion.power_id == power.id, PowerVersion.version == power.latest_version
        )
    )


async def import_rows(
    *,
    session: AsyncSession,
    rows: Iterable[tuple[int, dict[str, str]]],
    actor: str,
    publish: bool = False,
) -> list[RowOutcome]:
    """Create or revise a power per row; a bad row is reported and the others still count.

    Each row runs in its own savepoint, so a refused row leaves nothing behind.
    The caller commits (or rolls back, for a dry run).
    """
    outcomes: list[RowOutcome] = []
    for number, cells in rows:
        try:
            row = parse_row(number, cells)
        except RowError as exc:
            outcomes.append(
                RowOutcome(number, cells.get("code") or None, "error", "MALFORMED_ROW", str(exc))
            )
            continue
        try:
            async with session.begin_nested():
                outcome = await _apply(session, row.code, row.spec, actor, publish)
        except (CatalogueError, InvalidPowerCode) as exc:
            outcomes.append(RowOutcome(number, row.code, "error", exc.code, str(exc)))
            continue
        except (SQLAlchemyError, ArithmeticError) as exc:  # the row's savepoint is undone
            reason = type(exc).__name__
            outcomes.append(RowOutcome(number, row.code, "error", "UNSTORABLE_ROW", reason))
            continue
        outcomes.append(RowOutcome(number, row.code, outcome))
    return outcomes


async def _apply(session: AsyncSession, code: str, spec, actor: str, publish: bool) -> str:
    power = await session.scalar(select(Power).where(Power.code == code))
    if power is None:
        await service.create_power(session=session, code=code, spec=spec, actor=actor)
        outcome = "created"
    else:
        stored = await service.load_spec(
            session=session, version_id=await _latest_version_id(session, power)
        )
        if stored == spec:
            outcome = "unchanged"
        else:
            await service.revise_power(
                session=session, code=code, spec=spec, actor=actor, note="spreadsheet import"
            )
            outcome = "revised"
    if publish:
        power = await session.scalar(select(Power).where(Power.code == code))
        latest = await session.scalar(
            select(PowerVersion.status).where(
                PowerVersion.power_id == power.id, PowerVersion.version == power.latest_version
            )
        )
        if latest is PowerStatus.DRAFT:
            await service.publish_power(session=session, code=code, actor=actor)
            if outcome == "unchanged":
                outcome = "published"
    return outcome


async def export_rows(
    *, session: AsyncSession, division_code: str | None = None
) -> list[list[str]]:
    """The current version of every power (under a division, when given), as sheet rows."""
    query = (
        select(Power.code, PowerVersion, Department.code)
        .join(PowerVersion, PowerVersion.id == Power.current_version_id)
        .join(Department, Department.id == PowerVersion.department_id)
        .order_by(Power.code)
    )
    if division_code:
        query = query.where(subtree(Power.division_code, division_code))
    rows = (await session.execute(query)).all()
    version_ids = [version.id for _, version, _ in rows]
    nodes = await service.nodes_by_version(session=session, version_ids=version_ids)
    risks = await service.risk_points_by_version(session=session, version_ids=version_ids)
    return [
        format_row(code, spec_of(version, nodes[version.id], risks[version.id], department_code))
        for code, version, department_code in rows
    ]
