"""An app of its own for the portal-protection tests, with the limits each one needs, and
clients that come from a given address."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
from collections.abc import AsyncIterator

import httpx

from api.app import create_app
from api.services import Services
from tests.conftest import make_settings


@contextlib.asynccontextmanager
async def portal_app(database_url: str, *, relay: bool = True, **settings: str) -> AsyncIterator:
    """An app on started services (their own Redis prefix) made with these settings.

    Without `relay`, outbox rows other tests left are not relayed here, so the data
    version changes only when a test changes it.
    """
    services = Services.create(make_settings(database_url, **settings))
    await services.start()
    if not relay:
        await services.relay.stop()
    try:
        yield create_app(services=services)
    finally:
        await services.stop()


@contextlib.asynccontextmanager
async def client_at(app, address: str = "192.0.2.1") -> AsyncIterator[httpx.AsyncClient]:
    """A client whose requests come from `address`."""
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://portal") as client:
        yield client


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(text: str) -> dict:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256(text)}}


async def clear_of_the_minute_boundary(margin: float = 3.0) -> None:
    """Wait out the end of the current rate-limit window when it is close."""
    left = 60 - time.time() % 60
    if left < margin:
        await asyncio.sleep(left + 0.05)
