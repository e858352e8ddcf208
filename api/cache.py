"""Anonymous answers kept, keyed by the query, its variables and the data version.

The data version is one counter (in Redis when configured, so every API process shares
it; else in this process). It is bumped after every mutation, before its answer goes
out, and after every batch of outbox rows the relay publishes (what workers and other
processes commit). A key names the version, so bumping it makes every kept answer
unreachable at once; they expire on their own.

Only anonymous query operations are kept, only answers without errors, never an
authenticated caller's (it may see more than the public).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections import OrderedDict

import orjson
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
MEMORY_ENTRIES = 2048  # answers kept in this process without Redis
MAX_BODY = 1 << 20  # larger answers are not kept


class DataVersion:
    """A counter that changes whenever data the public may read could have changed."""

    def __init__(self, redis, prefix: str) -> None:
        self.redis = redis
        self.key = f"{prefix}:data-version"
        self._local = 0

    async def current(self) -> str:
        if self.redis is None:
            return str(self._local)
        version = await self.redis.get(self.key)
        if version is None:
            # A fresh start (or an evicted key) must not reuse an old number: begin at
            # a random one, so no answer kept for an earlier "0" can come back.
            await self.redis.set(self.key, secrets.randbelow(1 << 62), nx=True)
            version = await self.redis.get(self.key)
        return str(version)

    async def bump(self) -> None:
        """Data changed: answers kept so far are stale."""
        self._local += 1
        if self.redis is not None:
            try:
                await self.redis.incr(self.key)
            except RedisError:
                log.exception("could not bump the data version: kept answers live to their TTL")


async def bump_data_version(services) -> None:
    """For code that changes public data outside a mutation and without an outbox row."""
    if services.data_version is not None:
        await services.data_version.bump()


def digest(query: str) -> str:
    """The SHA-256 of a query's text, as persisted queries name it."""
    return hashlib.sha256(query.encode()).hexdigest()


class ResponseCache:
    """Encoded answers by key, for `seconds`; in Redis or in this process."""

    def __init__(self, redis, prefix: str, *, seconds: int, version: DataVersion, salt: str):
        self.redis = redis
        self.prefix = f"{prefix}:answer:"
        self.seconds = seconds
        self.version = version
        self.salt = salt  # the schema's own digest: another deploy never shares answers
        self._memory: OrderedDict[str, tuple[float, bytes]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.seconds > 0

    async def key(self, query_hash: str, operation_name: str | None, variables) -> str | None:
        """The key of this query now; None when the version cannot be read."""
        try:
            version = await self.version.current()
        except RedisError:
            log.warning("data version unreadable: answering without the cache")
            return None
        try:
            material = orjson.dumps(
                [self.salt, query_hash, operation_name, variables or {}, version],
                option=orjson.OPT_SORT_KEYS,
            )
        except TypeError:  # e.g. an integer beyond 64 bits: answered, just not kept
            return None
        return self.prefix + hashlib.sha256(material).hexdigest()

    async def get(self, key: str) -> bytes | None:
        if self.redis is None:
            entry = self._memory.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                del self._memory[key]
                return None
            self._memory.move_to_end(key)
            return entry[1]
        try:
            body = await self.redis.get(key)
        except RedisError:
            log.warning("answer cache unreadable: answering without it")
            return None
        return body.encode() if isinstance(body, str) else body

    async def put(self, key: str, body: bytes) -> None:
        if len(body) > MAX_BODY:
            return
        if self.redis is None:
            self._memory[key] = (time.monotonic() + self.seconds, body)
            self._memory.move_to_end(key)
            while len(self._memory) > MEMORY_ENTRIES:
                self._memory.popitem(last=False)
            return
        try:
            await self.redis.set(key, body, ex=self.seconds)
        except RedisError:
            log.warning("answer cache unwritable: answering without it")
