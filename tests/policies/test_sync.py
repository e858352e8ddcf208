"""A policy change reaches every process within seconds."""

import asyncio
import os
import uuid

import pytest
import redis.asyncio as aioredis

from policies import grants
from policies.models import AccountKind
from policies.sync import PolicySync
from tenancy.db import Database
from tenancy.scope import Scope

DISTRICT = "370202000000"


async def _grant(database: Database, subject: str) -> None:
    async with database.session(Scope.bypass("test: grant")) as session:
        await grants.ensure_account(
            session=session, subject=subject, kind=AccountKind.PERSON, display_name=subject
        )
        await grants.grant_role(
            session=session, subject=subject, role="inspector", division_code=DISTRICT
        )
        await session.commit()


async def _wait_until_allowed(sync: PolicySync, subject: str, seconds: float) -> float:
    loop = asyncio.get_running_loop()
    start = loop.time()
    while loop.time() - start < seconds:
        if sync.authorizer.allowed(subject, "warning", "handle", DISTRICT):
            return loop.time() - start
        await asyncio.sleep(0.02)
    raise AssertionError(f"{subject} not allowed after {seconds}s")


async def test_the_version_check_alone_brings_a_change_to_another_process(settings):
    # No Redis: the periodic check is the only way another process learns.
    database = Database(settings.database_url)
    other = PolicySync(database=database, poll_seconds=0.1)
    await other.start()
    try:
        subject = f"t-{uuid.uuid4().hex[:8]}"
        assert not other.authorizer.allowed(subject, "warning", "handle", DISTRICT)
        await _grant(database, subject)
        await _wait_until_allowed(other, subject, seconds=3)
    finally:
        await other.stop()
        await database.dispose()


@pytest.mark.skipif(
    not os.environ.get("YANGGUANG_REDIS_URL"),
    reason="needs Redis (YANGGUANG_REDIS_URL); CI runs it",
)
async def test_redis_announces_a_change_before_the_next_version_check(settings):
    database = Database(settings.database_url)
    channel = f"{settings.redis_prefix}:policy"
    clients = [aioredis.Redis.from_url(settings.redis_url) for _ in range(2)]
    # The version check is an hour away: only the announcement can explain a reload.
    writer = PolicySync(database=database, redis=clients[0], channel=channel, poll_seconds=3600)
    reader = PolicySync(database=database, redis=clients[1], channel=channel, poll_seconds=3600)
    await writer.start()
    await reader.start()
    try:
        await asyncio.sleep(0.2)  # the reader's subscription is in place
        subject = f"t-{uuid.uuid4().hex[:8]}"
        await _grant(database, subject)
        await writer.announce()
        elapsed = await _wait_until_allowed(reader, subject, seconds=3)
        assert elapsed < 3
    finally:
        await writer.stop()
        await reader.stop()
        for client in clients:
            await client.aclose()
        await database.dispose()


async def test_a_reload_without_a_change_keeps_the_loaded_policies(settings):
    database = Database(settings.database_url)
    sync = PolicySync(database=database)
    try:
        assert await sync.reload(force=True)
        loaded = sync.authorizer
        assert not await sync.reload()
        assert sync.authorizer is loaded
    finally:
        await database.dispose()
