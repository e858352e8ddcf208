"""/healthz says the process is up; /readyz says whether the database and Redis answer."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx
from sqlalchemy.engine import make_url

from api.app import create_app
from api.services import Services
from tests import databases
from tests.conftest import make_settings

NOT_CONFIGURED = "not configured"


@contextlib.asynccontextmanager
async def client_for(settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client on an app whose services were created but never started."""
    services = Services.create(settings)
    app = create_app(services=services)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client
    finally:
        await services.stop()


def unreachable_database_url(database_url: str, tmp_path) -> str:
    if databases.on_postgres():
        return make_url(database_url).set(port=1).render_as_string(hide_password=False)
    return f"sqlite:///{tmp_path / 'no-such-directory' / 'yangguang.db'}"


async def test_healthz_answers_ok(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_answers_ready_when_database_and_redis_answer(client, settings):
    response = await client.get("/readyz")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"] == "ok"
    if settings.redis_url:
        assert body["checks"]["redis"] == "ok"
    else:
        assert body["checks"]["redis"].startswith(NOT_CONFIGURED)
    assert set(body["checks"]) == {"database", "redis"}


async def test_readyz_answers_503_when_the_database_is_unreachable(database_url, tmp_path):
    settings = make_settings(unreachable_database_url(database_url, tmp_path))
    async with client_for(settings) as client:
        response = await client.get("/readyz")
    assert response.status_code == 503, response.text
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["database"].startswith("unreachable")


async def test_readyz_answers_503_when_redis_is_configured_but_unreachable(database_url):
    settings = make_settings(database_url, YANGGUANG_REDIS_URL="redis://127.0.0.1:1/0")
    async with client_for(settings) as client:
        response = await client.get("/readyz")
    assert response.status_code == 503, response.text
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"].startswith("unreachable")
