"""Versions, the lifecycle of a power, and which version a case binds to."""

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from supervision import credit_code
from supervision.catalogue import service
from supervision.catalogue.errors import (
    CodeMismatch,
    DuplicateCode,
    InvalidSpec,
    PowerNotFound,
    UnknownDepartment,
    WrongState,
)
from supervision.catalogue.models import ChangeKind, Power, PowerStatus
from supervision.catalogue.queries import Readership, power_history
from supervision.catalogue.spec import Category, TimeLimit
from tenancy.scope import Scope

ACTOR = "tester"


async def _status(session, code) -> PowerStatus:
    return await session.scalar(select(Power.status).where(Power.code == code))


async def test_a_new_power_is_a_draft_at_version_1(session, new_power):
    code, spec = new_power()
    version = await service.create_power(session=session, code=code, spec=spec, actor=ACTOR)
    assert (version.version, version.status, version.change_kind) == (
        1,
        PowerStatus.DRAFT,
        ChangeKind.ADD,
    )
    assert await service.load_spec(session=session, version_id=version.id) == spec


async def test_a_code_is_unique(session, new_power):
    code, spec = new_power()
    await service.create_power(session=session, code=code, spec=spec, actor=ACTOR)
    with pytest.raises(DuplicateCode):
        await service.create_power(session=session, code=code, spec=spec, actor=ACTOR)


async def test_the_code_must_name_the_department_and_category(session, new_power):
    code, spec = new_power()
    with pytest.raises(CodeMismatch):
        await service.create_power(
            session=session, code=code, spec=replace(spec, category=Category.PENALTY), actor=ACTOR
        )
    stranger = credit_code.make(division6="370202", serial=999_999)
    with pytest.raises(CodeMismatch):
        await service.create_power(
            session=session, code=code, spec=replace(spec, department_code=stranger), actor=ACTOR
        )


async def test_an_unknown_department_is_refused(session, new_power):
    code, spec = new_power()
    stranger = credit_code.make(division6="370202", serial=999_999)
    code = code[:24] + stranger
    with pytest.raises(UnknownDepartment):
        await service.create_power(
            session=session, code=code, spec=replace(spec, department_code=stranger), actor=ACTOR
        )


async def test_a_bad_spec_lists_its_problems(session, new_power):
    code, spec = new_power(promised_limit=TimeLimit(30))
    with pytest.raises(InvalidSpec) as refused:
        await service.create_power(session=session, code=code, spec=spec, actor=ACTOR)
    assert refused.value.code == "INVALID_LIMIT"


async def test_revising_a_published_power_keeps_the_old_version_in_force(session, new_power):
    code, spec = new_power()
    await service.create_power(session=session, code=code, spec=spec, actor=ACTOR)
    v1 = await service.publish_power(session=session, code=code, actor=ACTOR)
    v2 = await service.revise_power(
        session=session, code=code, spec=replace(spec, name=spec.name + "(新)"), actor=ACTOR
    )
    assert (v2.version, v2.status) == (2, PowerStatus.DRAFT)
    power = await session.scalar(select(Power).where(Power.code == code))
    assert (power.published_version, power.current_version_id, power.name) == (1, v1.id, spec.name)
    await service.publish_power(session=session, code=code, actor=ACTOR)
    history = await power_history(
        session=session, readership=Readership(Scope.bypass("t")), code=code
    )
    assert [(v.version, v.status) for v in history] == [
        (1, PowerStatus.PUBLISHED),
        (2, PowerStatus.PUBLISHED),
    ]
    assert history[0].effective_to == history[1].effective_from
    assert history[1].effective_to is None


async def test_a_case_binds_to_the_version_in_force_when_accepted(session, new_power):
    code, spec = new_power()
    await service.create_power(session=session, code=code, spec=spec, actor=ACTOR)
    before = datetime.now(UTC)
    v1 = await service.publish_power(session=session, code=code, actor=ACTOR)
    await asyncio.sleep(0.01)
    await service.revise_power(
        session=session, code=code, spec=replace(spec, name="改"), actor=ACTOR
    )
    between = datetime.now(UTC)
    await asyncio.sleep(0.01)
    v2 = await service.publish_power(session=session, code=code, actor=ACTOR)
    after = datetime.now(UTC) + timedelta(seconds=1)
    assert (
        await service.version_in_force(session=session, code=code, at=before - timedelta(days=1))
        is None
    )
    assert (await service.version_in_force(session=session, code=code, at=between)).id == v1.id
    assert (await service.version_in_force(session=session, code=code, at=after)).id == v2.id


async def test_the_lifecycle_follows_the_transition_table(session, new_power):
    code, spec = new_power()
    await service.create_power(session=session, code=code, spec=spec, actor=ACTOR)
    with pytest.raises(WrongState):
        await service.suspend_power(session=session, code=code, actor=ACTOR, reason="x")
    await service.publish_power(session=session, code=code, actor=ACTOR)
    with pytest.raises(WrongState):
        await service.publish_power(session=session, code=code, actor=ACTOR)  # nothing new
    suspended = await service.suspend_power(session=session, code=code, actor=ACTOR, reason="听证")
    assert (suspended.version, suspended.change_kind) == (2, ChangeKind.SUSPEND)
    assert await service.version_in_force(session=session, code=code, at=datetime.now(UTC)) is None
    resumed = await service.publish_power(session=session, code=code, actor=ACTOR)
    assert (resumed.version, resumed.status) == (3, PowerStatus.PUBLISHED)
    cancelled = await service.cancel_power(session=session, code=code, actor=ACTOR, reason="取消")
    assert (cancelled.version, await _status(session, code)) == (4, PowerStatus.CANCELLED)
    for action in (
        service.publish_power(session=session, code=code, actor=ACTOR),
        service.revise_power(session=session, code=code, spec=spec, actor=ACTOR),
        service.cancel_power(session=session, code=code, actor=ACTOR, reason="again"),
    ):
        with pytest.raises(WrongState):
            await action


async def test_split_and_merge_record_where_powers_came_from(session, new_power):
    source, spec = new_power()
    await service.create_power(session=session, code=source, spec=spec, actor=ACTOR)
    await service.publish_power(session=session, code=source, actor=ACTOR)
    parts = [new_power(), new_power()]
    created = await service.split_power(session=session, code=source, into=parts, actor=ACTOR)
    assert [v.related_codes for v in created] == [[source], [source]]
    assert all(v.change_kind is ChangeKind.SPLIT for v in created)
    assert await _status(session, source) is PowerStatus.CANCELLED
    merged_code, merged_spec = new_power()
    merged = await service.merge_powers(
        session=session,
        codes_=[c for c, _ in parts],
        into_code=merged_code,
        into_spec=merged_spec,
        actor=ACTOR,
    )
    assert (merged.change_kind, merged.related_codes) == (ChangeKind.MERGE, [c for c, _ in parts])
    for code, _ in parts:
        assert await _status(session, code) is PowerStatus.CANCELLED


async def test_changing_an_unknown_power_is_refused(session, new_power):
    code, _ = new_power()
    with pytest.raises(PowerNotFound):
        await service.publish_power(session=session, code=code, actor=ACTOR)
