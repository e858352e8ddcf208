"""What one process holds: database, Redis, policies, token verifier, schema."""

from __future__ import annotations

from dataclasses import dataclass, field

import redis.asyncio as aioredis
import strawberry

from api.auth import TokenVerifier
from api.cache import DataVersion
from api.settings import Settings, ledger_keys, rating_secret
from policies.sync import PolicySync
from schema.schema import build_schema
from supervision.live import MemoryStream, RedisStream, Relay
from supervision.publication.signing import LedgerKeys
from supervision.rules.worker import Worker
from tenancy.db import Database


@dataclass
class Services:
    settings: Settings
    database: Database
    redis: aioredis.Redis | None
    policy: PolicySync
    verifier: TokenVerifier
    schema: strawberry.Schema
    stream: MemoryStream | RedisStream
    relay: Relay
    ledger_keys: LedgerKeys | None = None  # signed checkpoints and proofs
    rating_secret: bytes | None = field(default=None, repr=False)  # the key of 好差评 rating codes
    # time-driven rules in this process (the embedded default); else `yangguang worker`
    worker: Worker | None = None
    # bumped after every mutation and every relayed outbox batch (api/cache.py)
    data_version: DataVersion | None = None

    @classmethod
    def create(cls, settings: Settings) -> Services:
        database = Database(settings.database_url, app_role=settings.database_role)
        redis = (
            aioredis.Redis.from_url(settings.redis_url, decode_responses=True)
            if settings.redis_url
            else None
        )
        policy = PolicySync(
            database=database,
            redis=redis,
            channel=f"{settings.redis_prefix}:policy",
            poll_seconds=settings.policy_poll_seconds,
        )
        stream = RedisStream(redis, settings.redis_prefix) if redis is not None else MemoryStream()
        data_version = DataVersion(redis, settings.redis_prefix)
        return cls(
            settings=settings,
            database=database,
            redis=redis,
            policy=policy,
            verifier=TokenVerifier(settings),
            schema=build_schema(
                prod=settings.is_prod,
                max_cost=settings.max_query_cost,
                data_changed=data_version.bump,
            ),
            stream=stream,
            rating_secret=rating_secret(settings),
            ledger_keys=ledger_keys(settings),
            relay=Relay(database=database, stream=stream, published=data_version.bump),
            data_version=data_version,
        )

    async def start(self) -> None:
        await self.policy.start()
        self.relay.start()
        if self.worker is not None:
            self.worker.start()

    async def stop(self) -> None:
        if self.worker is not None:
            await self.worker.stop()
        await self.relay.stop()
        await self.policy.stop()
        if self.redis is not None:
            await self.redis.aclose()
        await self.database.dispose()
