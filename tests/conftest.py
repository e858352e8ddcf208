"""Shared fixtures: a fresh database (PostgreSQL when YANGGUANG_DATABASE_URL names one,
else SQLite), Redis when YANGGUANG_REDIS_URL is set, the demo city, an app and a client.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import event

from api.app import create_app
from api.auth import issue_dev_token
from api.demo import seed_demo_grants
from api.migrate import upgrade
from api.services import Services
from api.settings import Settings, load
from supervision.catalogue.demo import seed_demo_catalogue
from supervision.rules.demo import seed_default_rules
from supervision.seed import seed_demo
from tenancy.db import Database
from tenancy.scope import Scope
from tests import databases

TEST_SECRET = "test-secret-" + "x" * 40


def pytest_report_header(config) -> list[str]:
    return [
        f"database: {databases.backend_label()}",
        f"redis: {os.environ.get('YANGGUANG_REDIS_URL') or 'none (in-process pub/sub)'}",
    ]


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory) -> AsyncIterator[str]:
    """A fresh, migrated database holding the demo city and catalogue, for the whole session."""
    async with databases.fresh_database(tmp_path_factory.mktemp("db")) as url:
        await asyncio.to_thread(upgrade, url)
        database = Database(url)
        async with database.session(Scope.bypass("test fixture")) as session:
            await seed_demo(session=session)
            await seed_demo_catalogue(session=session)
            await seed_demo_grants(session=session)
            await seed_default_rules(session=session)
            await session.commit()
        await database.dispose()
        yield url


def make_settings(database_url: str, **overrides: str) -> Settings:
    environ = {
        "YANGGUANG_ENV": "dev",
        "YANGGUANG_DATABASE_URL": database_url,
        "YANGGUANG_JWT_SECRET": TEST_SECRET,
        "YANGGUANG_POLICY_POLL_SECONDS": "0.2",
        "YANGGUANG_REDIS_PREFIX": f"yangguang-test-{uuid.uuid4().hex[:8]}",
    }
    if os.environ.get("YANGGUANG_REDIS_URL"):
        environ["YANGGUANG_REDIS_URL"] = os.environ["YANGGUANG_REDIS_URL"]
    environ.update(overrides)
    return load(environ)


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture(scope="session")
async def services(settings: Settings) -> AsyncIterator[Services]:
    services = Services.create(settings)
    await services.start()
    yield services
    await services.stop()


@pytest.fixture(scope="session")
def app(services: Services):
    return create_app(services=services)


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.fixture
def token(settings: Settings):
    """token(subject) -> a valid dev token for the subject."""

    def make(subject: str, kind: str = "PERSON") -> str:
        return issue_dev_token(settings, subject=subject, kind=kind)

    return make


@pytest.fixture
def gql(client: httpx.AsyncClient, token):
    """gql(query, variables=None, as_=subject) -> the JSON body of a POST /graphql."""

    async def run(query: str, variables: dict | None = None, as_: str | None = None) -> dict:
        headers = {"Authorization": f"Bearer {token(as_)}"} if as_ else {}
        response = await client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        return response.json()

    return run


class StatementCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, _conn, _cursor, statement, *_args) -> None:
        # Not the request's own: the per-transaction scope setting, the policy version
        # check (every 0.2 s) and the outbox relay, which run beside requests.
        if any(
            s in statement for s in ("set_config('yangguang.scope'", "policy_version", "outbox")
        ):
            return
        if statement.startswith(("BEGIN", "SET LOCAL")):
            return  # transaction start and settings (SQLite's BEGIN, plan cache mode)
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def sql(services: Services):
    """Counts the SQL statements requests send."""
    counter = StatementCounter()
    engine = services.database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine, "before_cursor_execute", counter)


@pytest.fixture(scope="session")
async def database(settings: Settings) -> AsyncIterator[Database]:
    """A Database as the app opens it (on PostgreSQL: as the non-owner app role)."""
    database = Database(settings.database_url, app_role=settings.database_role)
    yield database
    await database.dispose()
