"""Service functions of the catalogue: create, revise and move powers through their life.

Every change writes a new version and keeps the old ones; publishing a draft puts
it in force and closes the period of the version it replaces.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.catalogue import codes
from supervision.catalogue.errors import (
    CodeMismatch,
    DuplicateCode,
    InvalidSpec,
    PowerNotFound,
    UnknownDepartment,
    WrongState,
)
from supervision.catalogue.models import (
    ChangeKind,
    Power,
    PowerNode,
    PowerRiskPoint,
    PowerStatus,
    PowerVersion,
)
from supervision.catalogue.spec import PowerSpec, Problem, check_spec
from supervision.catalogue.stored import spec_of, stored_fields
from supervision.organisation import Department
from tenancy.grouping import grouped

# action -> the statuses it may start from (the transition table of a power)
TRANSITIONS: dict[str, frozenset[PowerStatus]] = {
    "revise": frozenset({PowerStatus.DRAFT, PowerStatus.PUBLISHED, PowerStatus.SUSPENDED}),
    "publish": frozenset({PowerStatus.DRAFT, PowerStatus.PUBLISHED, PowerStatus.SUSPENDED}),
    "suspend": frozenset({PowerStatus.PUBLISHED}),
    "cancel": frozenset({PowerStatus.DRAFT, PowerStatus.PUBLISHED, PowerStatus.SUSPENDED}),
    "split": frozenset({PowerStatus.DRAFT, PowerStatus.PUBLISHED, PowerStatus.SUSPENDED}),
    "merge": frozenset({PowerStatus.DRAFT, PowerStatus.PUBLISHED, PowerStatus.SUSPENDED}),
}


def _invalid(message: str) -> InvalidSpec:
    return InvalidSpec([Problem("INVALID_INPUT", "into", message)])


def utc_now() -> datetime:
    return datetime.now(UTC)


def check_power(code: str, spec: PowerSpec, department: Department | None) -> Department:
    """Refuse a spec with problems, or a code that disagrees with what the spec says."""
    parts = codes.parse(code)
    problems = check_spec(spec)
    if problems:
        raise InvalidSpec(problems)
    if parts.category != spec.category:
        raise CodeMismatch(
            f"the code's basic part is for {parts.category.label}, not {spec.category.label}"
        )
    if parts.department_code != spec.department_code:
        raise CodeMismatch("the code's implementing body is not the department given")
    if department is None:
        raise UnknownDepartment(f"no department with credit code {spec.department_code}")
    if department.division_code != parts.division_code:
        raise CodeMismatch(
            f"the code's division {parts.division_code} is not the department's "
            f"{department.division_code}"
        )
    return department


async def _checked(session: AsyncSession, code: str, spec: PowerSpec) -> Department:
    department = await session.scalar(
        select(Department).where(Department.code == spec.department_code)
    )
    return check_power(code, spec, department)


async def _power(session: AsyncSession, code: str, action: str) -> Power:
    power = await session.scalar(select(Power).where(Power.code == code).with_for_update())
    if power is None:
        raise PowerNotFound(f"no power with code {code}")
    if power.status not in TRANSITIONS[action]:
        raise WrongState(f"cannot {action} a power that is {power.status.value.lower()}")
    return power


async def _write_version(
    session: AsyncSession,
    *,
    power: Power,
    spec: PowerSpec,
    department: Department,
    status: PowerStatus,
    kind: ChangeKind,
    actor: str,
    note: str = "",
    related: Sequence[str] = (),
    effective_from: datetime | None = None,
) -> PowerVersion:
    version = PowerVersion(
        power_id=power.id,
        code=power.code,
        version=power.latest_version + 1,
        status=status,
        change_kind=kind,
        change_note=note,
        related_codes=list(related),
        division_code=department.division_code,
        department_id=department.id,
        created_by=actor,
        effective_from=effective_from,
        **stored_fields(spec),
    )
    session.add(version)
    await session.flush()
    session.add_all(
        PowerNode(
            version_id=version.id,
            position=i,
            name=n.name,
            post=n.post,
            limit_value=n.limit,
            key_data=list(n.key_data),
        )
        for i, n in enumerate(spec.nodes)
    )
    session.add_all(
        PowerRiskPoint(
            version_id=version.id,
            position=i,
            type=r.type,
            level=r.level,
            description=r.description,
            measure=r.measure,
            node=r.node,
        )
        for i, r in enumerate(spec.risk_points)
    )
    power.latest_version = version.version
    return version


def _mirror(power: Power, version: PowerVersion, status: PowerStatus) -> None:
    """Make the power's row show `version` as its current one."""
    power.name = version.name
    power.category = version.category
    power.department_id = version.department_id
    power.division_code = version.division_code
    power.status = status
    power.current_version_id = version.id
    power.updated_at = utc_now()


async def _load_spec(session: AsyncSession, version_id: int) -> PowerSpec:
    version = await session.get(PowerVersion, version_id)
    nodes = (await nodes_by_version(session=session, version_ids=[version_id]))[version_id]
    risks = (await risk_points_by_version(session=session, version_ids=[version_id]))[version_id]
    department = await session.get(Department, version.department_id)
    return spec_of(version, nodes, risks, department.code)


async def _close_period(session: AsyncSession, power: Power, at: datetime) -> None:
    """End the period of whichever version is in force or suspended now."""
    await session.execute(
        update(PowerVersion)
        .where(
            PowerVersion.power_id == power.id,
            PowerVersion.effective_from.is_not(None),
            PowerVersion.effective_to.is_(None),
        )
        .values(effective_to=at)
    )
    power.published_version = None


async def create_power(
    *,
    session: AsyncSession,
    code: str,
    spec: PowerSpec,
    actor: str,
    kind: ChangeKind = ChangeKind.ADD,
    related: Sequence[str] = (),
    note: str = "",
) -> PowerVersion:
    """Add a power as a draft (version 1)."""
    department = await _checked(session, code, spec)
    if await session.scalar(select(Power.id).where(Power.code == code)) is not None:
        raise DuplicateCode(f"a power with code {code} exists")
    power = Power(
        code=code,
        name=spec.name,
        category=spec.category,
        status=PowerStatus.DRAFT,
        division_code=department.division_code,
        department_id=department.id,
        latest_version=0,
        updated_at=utc_now(),
    )
    session.add(power)
    await session.flush()
    version = await _write_version(
        session,
        power=power,
        spec=spec,
        department=department,
        status=PowerStatus.DRAFT,
        kind=kind,
        actor=actor,
        note=note,
        related=related,
    )
    _mirror(power, version, PowerStatus.DRAFT)
    return version


async def revise_power(
    *, session: AsyncSession, code: str, spec: PowerSpec, actor: str, note: str = ""
) -> PowerVersion:
    """Write a new draft version; the version in force stays in force until it is published."""
    power = await _power(session, code, "revise")
    department = await _checked(session, code, spec)
    version = await _write_version(
        session,
        power=power,
        spec=spec,
        department=department,
        status=PowerStatus.DRAFT,
        kind=ChangeKind.CHANGE,
        actor=actor,
        note=note,
    )
    if power.published_version is None:
        _mirror(power, version, power.status)
    else:
        power.updated_at = utc_now()
    return version


async def publish_power(
    *, session: AsyncSession, code: str, actor: str, note: str = ""
) -> PowerVersion:
    """Put the latest version in force (a suspended power resumes with a new version)."""
    power = await _power(session, code, "publish")
    latest = await session.scalar(
        select(PowerVersion).where(
            PowerVersion.power_id == power.id, PowerVersion.version == power.latest_version
        )
    )
    now = utc_now()
    if latest.status is PowerStatus.SUSPENDED:
        spec = await _load_spec(session, latest.id)
        department = await session.get(Department, latest.department_id)
        await _close_period(session, power, now)
        latest = await _write_version(
            session,
            power=power,
            spec=spec,
            department=department,
            status=PowerStatus.PUBLISHED,
            kind=ChangeKind.CHANGE,
            actor=actor,
            note=note or "恢复实施",
            effective_from=now,
        )
    elif latest.status is PowerStatus.DRAFT:
        await _close_period(session, power, now)
        latest.status = PowerStatus.PUBLISHED
        latest.effective_from = now
    else:
        raise WrongState("there is no draft to publish: revise the power first")
    power.published_version = latest.version
    _mirror(power, latest, PowerStatus.PUBLISHED)
    return latest


async def _end(
    session: AsyncSession,
    *,
    power: Power,
    status: PowerStatus,
    kind: ChangeKind,
    actor: str,
    note: str,
    related: Sequence[str] = (),
) -> PowerVersion:
    current = power.current_version_id
    spec = await _load_spec(session, current)
    department = await session.get(Department, power.department_id)
    now = utc_now()
    await _close_period(session, power, now)
    version = await _write_version(
        session,
        power=power,
        spec=spec,
        department=department,
        status=status,
        kind=kind,
        actor=actor,
        note=note,
        related=related,
        effective_from=now if status is PowerStatus.SUSPENDED else None,
    )
    _mirror(power, version, status)
    return version


async def suspend_power(
    *, session: AsyncSession, code: str, actor: str, reason: str
) -> PowerVersion:
    """Stop a published power for now (暂停实施)."""
    power = await _power(session, code, "suspend")
    return await _end(
        session,
        power=power,
        status=PowerStatus.SUSPENDED,
        kind=ChangeKind.SUSPEND,
        actor=actor,
        note=reason,
    )


async def cancel_power(
    *, session: AsyncSession, code: str, actor: str, reason: str
) -> PowerVersion:
    """Cancel a power for good (取消)."""
    power = await _power(session, code, "cancel")
    return await _end(
        session,
        power=power,
        status=PowerStatus.CANCELLED,
        kind=ChangeKind.CANCEL,
        actor=actor,
        note=reason,
    )


async def split_power(
    *,
    session: AsyncSession,
    code: str,
    into: Sequence[tuple[str, PowerSpec]],
    actor: str,
    note: str = "",
) -> list[PowerVersion]:
    """Cancel a power and add the powers it splits into, as drafts (拆分)."""
    if len(into) < 2:
        raise _invalid("a split makes at least two powers")
    power = await _power(session, code, "split")
    new_codes = [c for c, _ in into]
    created = [
        await create_power(
            session=session,
            code=c,
            spec=s,
            actor=actor,
            kind=ChangeKind.SPLIT,
            related=[code],
            note=note,
        )
        for c, s in into
    ]
    await _end(
        session,
        power=power,
        status=PowerStatus.CANCELLED,
        kind=ChangeKind.SPLIT,
        actor=actor,
        note=note,
        related=new_codes,
    )
    return created


async def merge_powers(
    *,
    session: AsyncSession,
    codes_: Sequence[str],
    into_code: str,
    into_spec: PowerSpec,
    actor: str,
    note: str = "",
) -> PowerVersion:
    """Cancel several powers and add the one they merge into, as a draft (合并)."""
    if len(set(codes_)) < 2 or len(set(codes_)) != len(codes_):
        raise _invalid("a merge takes at least two different powers, each once")
    powers = [await _power(session, c, "merge") for c in codes_]
    created = await create_power(
        session=session,
        code=into_code,
        spec=into_spec,
        actor=actor,
        kind=ChangeKind.MERGE,
        related=list(codes_),
        note=note,
    )
    for power in powers:
        await _end(
            session,
            power=power,
            status=PowerStatus.CANCELLED,
            kind=ChangeKind.MERGE,
            actor=actor,
            note=note,
            related=[into_code],
        )
    return created


async def nodes_by_version(
    *, session: AsyncSession, version_ids: Sequence[int]
) -> dict[int, list[PowerNode]]:
    """The procedure of each version, in order."""
    rows = await session.scalars(
        select(PowerNode)
        .where(PowerNode.version_id.in_(version_ids))
        .order_by(PowerNode.version_id, PowerNode.position)
    )
    return grouped(rows, version_ids, lambda row: row.version_id)


async def risk_points_by_version(
    *, session: AsyncSession, version_ids: Sequence[int]
) -> dict[int, list[PowerRiskPoint]]:
    """The risk points of each version, in order."""
    rows = await session.scalars(
        select(PowerRiskPoint)
        .where(PowerRiskPoint.version_id.in_(version_ids))
        .order_by(PowerRiskPoint.version_id, PowerRiskPoint.position)
    )
    return grouped(rows, version_ids, lambda row: row.version_id)


async def versions_by_id(*, session: AsyncSession, ids: Sequence[int]) -> dict[int, PowerVersion]:
    """Versions by id, whatever their status (for what is bound to them)."""
    rows = await session.scalars(select(PowerVersion).where(PowerVersion.id.in_(ids)))
    return {v.id: v for v in rows}


async def version_in_force(
    *, session: AsyncSession, code: str, at: datetime
) -> PowerVersion | None:
    """The version of a power in force at a moment: the one a case accepted then binds to."""
    return await session.scalar(
        select(PowerVersion).where(
            PowerVersion.code == code,
            PowerVersion.status == PowerStatus.PUBLISHED,
            PowerVersion.effective_from <= at,
            (PowerVersion.effective_to.is_(None)) | (PowerVersion.effective_to > at),
        )
    )


async def load_spec(*, session: AsyncSession, version_id: int) -> PowerSpec:
    """The spec a stored version says."""
    return await _load_spec(session, version_id)
