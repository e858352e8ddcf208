"""On PostgreSQL the database itself hides unpublished powers outside the reader's scope."""

import pytest
from sqlalchemy import text

from tenancy.scope import Scope
from tests import databases

pytestmark = pytest.mark.skipif(
    not databases.on_postgres(), reason="row-level security exists on PostgreSQL only"
)
UNPUBLISHED = "SELECT division_code FROM powers WHERE status <> 'PUBLISHED'"


async def test_raw_sql_without_a_scope_sees_only_published_powers(database):
    async with database.session(Scope()) as session:
        assert list(await session.scalars(text(UNPUBLISHED))) == []
        drafts = await session.scalar(
            text("SELECT count(*) FROM power_versions WHERE effective_from IS NULL")
        )
        published = await session.scalar(text("SELECT count(*) FROM powers"))
    assert drafts == 0
    assert published > 0


async def test_raw_sql_sees_unpublished_powers_inside_the_scope_only(database):
    async with database.session(Scope.bypass("test: reference")) as session:
        everywhere = list(await session.scalars(text(UNPUBLISHED)))
    async with database.session(Scope.of(["370202000000"])) as session:
        seen = list(await session.scalars(text(UNPUBLISHED)))
    assert seen and all(code.startswith("370202") for code in seen)
    assert sorted(seen) == sorted(c for c in everywhere if c.startswith("370202"))


async def test_raw_sql_cannot_write_a_power_outside_the_scope(database):
    async with database.session(Scope.of(["370202000000"])) as session:
        result = await session.execute(
            text("UPDATE powers SET name = name WHERE division_code = '370203000000'")
        )
        assert result.rowcount == 0
        await session.rollback()
