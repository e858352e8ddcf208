"""Alembic: one linear, dated history; every revision goes up, down and up again."""

from __future__ import annotations

import asyncio
import datetime
import re
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

import migrations
import migrations.models  # noqa: F401 - registers every model
from api.migrate import alembic_config, downgrade, upgrade
from tenancy.db import DEFAULT_APP_ROLE, Database
from tenancy.scope import _SCOPED
from tests import databases

TABLES = {
    "divisions",
    "departments",
    "posts",
    "officers",
    "officer_posts",
    "accounts",
    "grants",
    "policy_version",
}
# every tenant-owned model's table, as the scope registry knows them; the catalogue
# has a policy of its own (published for all, the rest inside the scope)
TENANT_TABLES = tuple(sorted(cls.__tablename__ for cls in _SCOPED))
RLS_TABLES = tuple(sorted((*TENANT_TABLES, "powers", "power_versions")))
VERSIONS = Path(migrations.__file__).parent / "versions"
FILE_NAME = re.compile(r"^(\d{4})_(\d{2})_(\d{2})_([0-9A-Za-z]+)_([a-z0-9_]+)\.py$")


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


async def table_names(url: str) -> set[str]:
    database = Database(url)
    try:
        async with database.engine.connect() as connection:
            return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await database.dispose()


async def current_revision(url: str) -> str | None:
    database = Database(url)
    try:
        async with database.engine.connect() as connection:
            return await connection.scalar(text("SELECT version_num FROM alembic_version"))
    finally:
        await database.dispose()


async def fetch(url: str, query: str, **params) -> list[tuple]:
    database = Database(url)
    try:
        async with database.engine.connect() as connection:
            return [tuple(row) for row in await connection.execute(text(query), params)]
    finally:
        await database.dispose()


async def test_upgrade_to_head_creates_every_table(tmp_path):
    async with databases.fresh_database(tmp_path) as url:
        await asyncio.to_thread(upgrade, url)
        assert await table_names(url) >= TABLES
        assert await current_revision(url) == script_directory().get_current_head()


async def test_downgrade_to_base_removes_every_table_and_upgrade_works_again(tmp_path):
    async with databases.fresh_database(tmp_path) as url:
        await asyncio.to_thread(upgrade, url)
        await asyncio.to_thread(downgrade, url)
        assert await table_names(url) <= {"alembic_version"}
        await asyncio.to_thread(upgrade, url)
        assert await table_names(url) >= TABLES
        assert await current_revision(url) == script_directory().get_current_head()


async def test_each_revision_goes_up_down_and_up_again(tmp_path):
    history = list(reversed(list(script_directory().walk_revisions())))  # base first
    async with databases.fresh_database(tmp_path) as url:
        for script in history:
            before = await table_names(url)
            await asyncio.to_thread(upgrade, url, revision=script.revision)
            after = await table_names(url)
            await asyncio.to_thread(downgrade, url, revision=script.down_revision or "base")
            assert await table_names(url) - {"alembic_version"} == before - {"alembic_version"}
            await asyncio.to_thread(upgrade, url, revision=script.revision)
            assert await table_names(url) == after
            assert await current_revision(url) == script.revision


@pytest.mark.skipif(not databases.on_postgres(), reason="PostgreSQL-only: row-level security")
async def test_postgres_row_level_security_comes_with_upgrade_and_goes_with_downgrade(tmp_path):
    rls_query = (
        "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
        "WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' "
        "AND relrowsecurity ORDER BY relname"
    )
    policy_query = (
        "SELECT tablename FROM pg_policies "
        "WHERE schemaname = 'public' AND policyname = 'tenant_scope' ORDER BY tablename"
    )
    function_query = "SELECT proname FROM pg_proc WHERE proname = 'yangguang_in_scope'"
    async with databases.fresh_database(tmp_path) as url:
        await asyncio.to_thread(upgrade, url)
        assert await fetch(url, rls_query) == [(t, True, True) for t in sorted(RLS_TABLES)]
        assert await fetch(url, policy_query) == [(t,) for t in TENANT_TABLES]
        assert await fetch(url, function_query) == [("yangguang_in_scope",)]
        roles = await fetch(
            url, "SELECT rolname FROM pg_roles WHERE rolname = :r", r=DEFAULT_APP_ROLE
        )
        assert roles == [(DEFAULT_APP_ROLE,)]

        await asyncio.to_thread(downgrade, url)
        assert await fetch(url, rls_query) == []
        assert await fetch(url, policy_query) == []
        assert await fetch(url, function_query) == []


def test_revision_files_are_named_by_date_revision_and_slug():
    files = sorted(p for p in VERSIONS.glob("*.py") if p.name != "__init__.py")
    assert files, "no revision files"
    revisions = {Path(s.path).name: s.revision for s in script_directory().walk_revisions()}
    assert set(revisions) == {p.name for p in files}
    for path in files:
        match = FILE_NAME.match(path.name)
        assert match, f"{path.name} does not follow YYYY_MM_DD_<rev>_<slug>.py"
        year, month, day, rev, _slug = match.groups()
        datetime.date(int(year), int(month), int(day))  # a real date
        assert rev == revisions[path.name], path.name


def test_revisions_form_one_linear_history():
    script = script_directory()
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1
    revisions = list(script.walk_revisions())
    for revision in revisions:
        assert not revision.is_merge_point, revision.revision
        assert not revision.is_branch_point, revision.revision
        assert not isinstance(revision.down_revision, tuple | list), revision.revision
    # Walking down from the head reaches every revision, one after another.
    chain, current = [], script.get_current_head()
    while current is not None:
        chain.append(current)
        current = script.get_revision(current).down_revision
    assert sorted(chain) == sorted(r.revision for r in revisions)
