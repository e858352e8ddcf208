"""The demo city: Qingdao's real districts, a full four-tier tree, deterministic rows."""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from api.migrate import upgrade
from supervision import credit_code
from supervision.organisation import Department, Officer, Post, officer_posts
from supervision.seed import SeedSummary, seed_demo
from tenancy.codes import Tier, parent_of, tier_of
from tenancy.db import Database
from tenancy.models import Division
from tenancy.scope import Scope
from tests import databases

CITY = "370200000000"
DISTRICTS = [
    ("370202000000", "市南区"),
    ("370203000000", "市北区"),
    ("370211000000", "黄岛区"),
    ("370212000000", "崂山区"),
    ("370213000000", "李沧区"),
    ("370214000000", "城阳区"),
    ("370215000000", "即墨区"),
    ("370281000000", "胶州市"),
    ("370283000000", "平度市"),
    ("370285000000", "莱西市"),
]


@pytest.fixture(scope="module")
async def database(database_url) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


@pytest.fixture(scope="module")
async def divisions(database) -> list[Division]:
    async with database.session(Scope.bypass("test: demo divisions")) as session:
        return list(await session.scalars(select(Division).order_by(Division.code)))


@pytest.fixture(scope="module")
async def departments(database) -> list[Department]:
    async with database.session(Scope.bypass("test: demo departments")) as session:
        return list(await session.scalars(select(Department).order_by(Department.id)))


async def people(database: Database) -> tuple[list[tuple], list[tuple]]:
    """Sorted (staff_number, name, phone) of officers and (code, name) of departments."""
    async with database.session(Scope.bypass("test: determinism")) as session:
        officers = (
            await session.execute(select(Officer.staff_number, Officer.name, Officer.phone))
        ).all()
        depts = (await session.execute(select(Department.code, Department.name))).all()
    return sorted(tuple(r) for r in officers), sorted(tuple(r) for r in depts)


def test_the_city_is_qingdao(divisions):
    cities = [(d.code, d.name) for d in divisions if d.tier is Tier.CITY]
    assert cities == [(CITY, "青岛市")]


def test_exactly_the_ten_real_districts_with_their_codes(divisions):
    districts = [(d.code, d.name) for d in divisions if d.tier is Tier.DISTRICT]
    assert districts == DISTRICTS


def test_every_district_has_at_least_six_towns(divisions):
    towns = Counter(d.parent_code for d in divisions if d.tier is Tier.TOWN)
    for code, name in DISTRICTS:
        assert towns[code] >= 6, name


def test_every_town_has_exactly_eight_villages(divisions):
    villages = Counter(d.parent_code for d in divisions if d.tier is Tier.VILLAGE)
    towns = [d for d in divisions if d.tier is Tier.TOWN]
    assert towns
    for town in towns:
        assert villages[town.code] == 8, town.name
    assert set(villages) == {t.code for t in towns}


def test_every_division_tier_and_parent_follow_from_its_code(divisions):
    for division in divisions:
        assert division.tier is tier_of(division.code), division.code
        assert division.parent_code == parent_of(division.code), division.code


def test_city_has_at_least_30_departments_and_each_district_at_least_20(departments):
    per_division = Counter(d.division_code for d in departments)
    assert per_division[CITY] >= 30
    for code, name in DISTRICTS:
        assert per_division[code] >= 20, name


def test_every_department_code_is_a_valid_unique_credit_code(departments):
    codes = [d.code for d in departments]
    invalid = [c for c in codes if not credit_code.is_valid(c)]
    assert invalid == []
    assert len(set(codes)) == len(codes)


async def test_every_officer_holds_a_post_of_its_own_department(database):
    async with database.session(Scope.bypass("test: officer posts")) as session:
        officers = (await session.execute(select(Officer.id, Officer.department_id))).all()
        holdings = (
            await session.execute(
                select(officer_posts.c.officer_id, Post.department_id).join(
                    Post, Post.id == officer_posts.c.post_id
                )
            )
        ).all()
    departments_held: dict[int, set[int]] = defaultdict(set)
    for officer_id, department_id in holdings:
        departments_held[officer_id].add(department_id)
    assert officers
    for officer_id, department_id in officers:
        assert departments_held[officer_id] == {department_id}, officer_id


async def test_seeding_again_is_a_no_op(database):
    async with database.session(Scope.bypass("test: reseed")) as session:
        summary = await seed_demo(session=session)
        await session.rollback()
    assert summary == SeedSummary(skipped=True)


async def test_seeding_is_deterministic(database, tmp_path):
    async with databases.fresh_database(tmp_path) as url:
        await asyncio.to_thread(upgrade, url)
        second = Database(url)
        try:
            async with second.session(Scope.bypass("test: second seed")) as session:
                summary = await seed_demo(session=session)
                await session.commit()
            assert not summary.skipped
            again = await people(second)
        finally:
            await second.dispose()
    first = await people(database)
    assert first[0] and first[1]
    assert again[1] == first[1]
    assert again[0] == first[0]
