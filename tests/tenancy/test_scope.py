"""The tenant scope: a district sees its towns and villages, never a sibling or the city."""

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError

from supervision.organisation import Department, Officer, Post
from tenancy.scope import OutOfScope, Scope
from tests import databases

SHINAN = "370202000000"
SHIBEI = "370203000000"
CITY = "370200000000"


async def _all_officer_codes(database) -> list[str]:
    async with database.session(Scope.bypass("test: reference counts")) as session:
        return list(await session.scalars(select(Officer.division_code)))


async def test_a_district_sees_its_own_towns_and_villages(database):
    everything = await _all_officer_codes(database)
    async with database.session(Scope.of([SHINAN])) as session:
        seen = list(await session.scalars(select(Officer.division_code)))
    assert sorted(seen) == sorted(c for c in everything if c.startswith("370202"))
    assert any(c.endswith("000000") for c in seen)  # the district's own
    assert any(c[6:9] != "000" and c.endswith("000") for c in seen)  # its towns
    assert any(not c.endswith("000") for c in seen)  # its villages


async def test_a_district_never_sees_a_sibling_or_the_city(database):
    async with database.session(Scope.of([SHINAN])) as session:
        sibling = await session.scalar(
            select(func.count()).select_from(Officer).where(Officer.division_code == SHIBEI)
        )
        city = await session.scalar(
            select(func.count()).select_from(Officer).where(Officer.division_code == CITY)
        )
        city_officer = await session.scalar(select(Officer.id).where(Officer.division_code == CITY))
    assert (sibling, city, city_officer) == (0, 0, None)


async def test_get_by_primary_key_respects_the_scope(database):
    async with database.session(Scope.bypass("test: pick a city officer")) as session:
        city_officer_id = await session.scalar(
            select(Officer.id).where(Officer.division_code == CITY).limit(1)
        )
    async with database.session(Scope.of([SHINAN])) as session:
        assert await session.get(Officer, city_officer_id) is None


async def test_joins_are_scoped_on_every_scoped_entity(database):
    async with database.session(Scope.of(["370202001000"])) as session:
        rows = (
            await session.execute(
                select(Officer.division_code, Post.division_code).join(
                    Post, Post.department_id == Officer.department_id
                )
            )
        ).all()
    assert rows
    assert all(a.startswith("370202001") and b.startswith("370202001") for a, b in rows)


async def test_departments_are_public_directory_data(database):
    async with database.session(Scope()) as session:
        count = await session.scalar(select(func.count()).select_from(Department))
    assert count > 0


async def test_no_scope_sees_no_tenant_rows(database):
    async with database.session(Scope()) as session:
        assert await session.scalar(select(func.count()).select_from(Officer)) == 0


async def test_bulk_update_touches_only_the_scope(database):
    everything = await _all_officer_codes(database)
    async with database.session(Scope.of([SHINAN])) as session:
        result = await session.execute(update(Officer).values(phone="00000000000"))
        assert result.rowcount == sum(c.startswith("370202") for c in everything)
        await session.rollback()


async def test_writing_outside_the_scope_is_refused(database):
    async with database.session(Scope.bypass("test: pick a department")) as session:
        department_id = await session.scalar(
            select(Department.id).where(Department.division_code == SHIBEI).limit(1)
        )
    async with database.session(Scope.of([SHINAN])) as session:
        session.add(
            Officer(
                staff_number="T-OUT-OF-SCOPE",
                name="测试",
                department_id=department_id,
                division_code=SHIBEI,
            )
        )
        with pytest.raises(OutOfScope):
            await session.flush()


def test_scope_of_merges_nested_grants():
    scope = Scope.of(["370202001000", SHINAN, "370202001001", "370213000000"])
    assert scope.prefixes == ("370202", "370213")
    assert scope.as_setting() == "370202,370213"
    assert Scope.bypass("reason").as_setting() == "*"
    with pytest.raises(ValueError):
        Scope.bypass("")


postgres_only = pytest.mark.skipif(
    not databases.on_postgres(), reason="row-level security exists on PostgreSQL only"
)


@postgres_only
async def test_the_app_connects_as_a_role_that_owns_nothing(database):
    async with database.session(Scope.of([SHINAN])) as session:
        user = await session.scalar(text("SELECT current_user"))
        bypass = await session.scalar(
            text("SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user")
        )
    assert (user, bypass) == ("yangguang_app", False)


@postgres_only
async def test_raw_sql_sees_only_the_scope(database):
    everything = await _all_officer_codes(database)
    async with database.session(Scope.of([SHINAN])) as session:
        seen = list(await session.scalars(text("SELECT division_code FROM officers")))
    assert sorted(seen) == sorted(c for c in everything if c.startswith("370202"))


@postgres_only
async def test_raw_sql_without_a_scope_sees_nothing(database):
    async with database.session(Scope()) as session:
        assert await session.scalar(text("SELECT count(*) FROM officers")) == 0
        assert await session.scalar(text("SELECT count(*) FROM grants")) == 0


@postgres_only
async def test_raw_sql_cannot_change_rows_outside_the_scope(database):
    async with database.session(Scope.of([SHINAN])) as session:
        result = await session.execute(
            text("UPDATE officers SET phone = 'x' WHERE division_code = :code"), {"code": CITY}
        )
        assert result.rowcount == 0
        await session.rollback()


@postgres_only
async def test_raw_sql_cannot_insert_outside_the_scope(database):
    async with database.session(Scope.bypass("test: pick a department")) as session:
        department_id = await session.scalar(
            select(Department.id).where(Department.division_code == SHIBEI).limit(1)
        )
    async with database.session(Scope.of([SHINAN])) as session:
        with pytest.raises(DBAPIError, match="row-level security"):
            await session.execute(
                text(
                    "INSERT INTO officers (staff_number, name, department_id, division_code) "
                    "VALUES ('T-RLS', '测试', :d, :code)"
                ),
                {"d": department_id, "code": SHIBEI},
            )
