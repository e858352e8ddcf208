"""On PostgreSQL the database itself refuses catalogue writes outside the writer's scope."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tenancy.scope import Scope
from tests import databases

pytestmark = pytest.mark.skipif(
    not databases.on_postgres(), reason="row-level security exists on PostgreSQL only"
)


async def test_raw_sql_cannot_write_a_power_outside_the_scope(database):
    async with database.session(Scope.of(["370202000000"])) as session:
        result = await session.execute(
            text("UPDATE powers SET name = name WHERE division_code = '370203000000'")
        )
        assert result.rowcount == 0
        await session.rollback()


async def test_raw_sql_cannot_insert_a_version_outside_the_scope(database):
    async with database.session(Scope.of(["370202000000"])) as session:
        with pytest.raises(DBAPIError, match="row-level security"):
            await session.execute(
                text(
                    "INSERT INTO power_versions SELECT * FROM power_versions "
                    "WHERE division_code = '370203000000' LIMIT 1"
                )
            )
