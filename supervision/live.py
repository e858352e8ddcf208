"""Live updates: the outbox relay and the stream subscribers read from.

Facts are committed with an outbox row; a relay publishes outbox rows to a stream
after commit (Redis Streams in production, a list in this process otherwise) and
marks them sent. Each stream entry has a cursor; a subscriber that comes back with
its last cursor reads everything after it, and nothing twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

from sqlalchemy import select, update

from supervision.cases.models import OutboxMessage
from tenancy.db import Database
from tenancy.scope import Scope

log = logging.getLogger(__name__)
STREAM_LENGTH = 1_000_000  # entries kept per stream (approximately)


class InvalidCursor(ValueError):
    code = "INVALID_CURSOR"


class MemoryStream:
    """A stream inside this process: for one machine without Redis."""

    def __init__(self) -> None:
        self._entries: dict[str, list[tuple[int, dict]]] = {}
        self._changed = asyncio.Condition()

    async def add(self, topic: str, message: dict) -> str:
        entries = self._entries.setdefault(topic, [])
        entries.append((len(entries) + 1, message))
        async with self._changed:
            self._changed.notify_all()
        return f"0-{len(entries)}"

    async def read(self, topic: str, after: str | None, wait: float) -> list[tuple[str, dict]]:
        position = self.position(topic) if after is None else _sequence(after)
        async with self._changed:  # checked under the lock, so no notify is missed
            if self.position(topic) <= position:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), wait)
        entries = self._entries.get(topic, [])
        return [(f"0-{n}", m) for n, m in entries[position:]]

    def position(self, topic: str) -> int:
        return len(self._entries.get(topic, []))

    async def latest(self, topic: str) -> str:
        return f"0-{self.position(topic)}"


def _sequence(cursor: str) -> int:
    head, _, tail = cursor.partition("-")
    if head != "0" or not tail.isdigit():
        raise InvalidCursor(f"{cursor!r} is not a cursor of this stream")
    return int(tail)


class RedisStream:
    """Redis Streams: shared by every API process, kept across reconnects."""

    def __init__(self, redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix

    def _key(self, topic: str) -> str:
        return f"{self.prefix}:stream:{topic}"

    async def add(self, topic: str, message: dict) -> str:
        return await self.redis.xadd(
            self._key(topic),
            {"m": json.dumps(message, ensure_ascii=False)},
            maxlen=STREAM_LENGTH,
            approximate=True,
        )

    async def read(self, topic: str, after: str | None, wait: float) -> list[tuple[str, dict]]:
        start = after if after is not None else "$"
        if after is not None:
            _check_redis_cursor(after)
        reply = await self.redis.xread({self._key(topic): start}, count=500, block=int(wait * 1000))
        entries = []
        for _key, items in reply or []:
            for entry_id, fields in items:
                entries.append(
                    (_text(entry_id), json.loads(_text(fields.get("m") or fields.get(b"m"))))
                )
        return entries

    async def latest(self, topic: str) -> str:
        info = (
            await self.redis.xinfo_stream(self._key(topic))
            if await self.redis.exists(self._key(topic))
            else None
        )
        return _text(info["last-generated-id"]) if info else "0-0"


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _check_redis_cursor(cursor: str) -> None:
    head, _, tail = cursor.partition("-")
    if not head.isdigit() or not tail.isdigit():
        raise InvalidCursor(f"{cursor!r} is not a cursor of this stream")


async def follow(
    stream, topic: str, after: str | None, *, wait: float = 5.0
) -> AsyncIterator[tuple[str, dict]]:
    """Every entry after `after` (from now on when None), as it comes, forever."""
    cursor = after if after is not None else await stream.latest(topic)
    while True:
        for entry_id, message in await stream.read(topic, cursor, wait):
            cursor = entry_id
            yield entry_id, message


class Relay:
    """Publishes committed outbox rows to the stream, oldest first; several may run."""

    def __init__(
        self,
        *,
        database: Database,
        stream,
        interval: float = 1.0,
        batch: int = 500,
        published: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.database = database
        self.stream = stream
        # awaited after each batch is marked sent: data committed with an outbox row
        # changed (the API drops cached public answers)
        self.published = published
        self.interval = interval
        self.batch = batch
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None

    def kick(self) -> None:
        """Something was committed: relay it now rather than at the next tick."""
        self._wake.set()

    async def relay_once(self) -> int:
        """Publish one batch; how many rows were sent."""
        # Look first without taking a writer's lock (SQLite has one for the whole file).
        async with self.database.session(Scope.bypass("outbox relay"), read_only=True) as session:
            waiting = await session.scalar(
                select(OutboxMessage.id).where(OutboxMessage.published_at.is_(None)).limit(1)
            )
        if waiting is None:
            return 0
        async with self.database.session(Scope.bypass("outbox relay")) as session:
            query = (
                select(OutboxMessage)
                .where(OutboxMessage.published_at.is_(None))
                .order_by(OutboxMessage.id)
                .limit(self.batch)
            )
            if self.database.is_postgres:
                query = query.with_for_update(skip_locked=True)
            rows = list(await session.scalars(query))
            for row in rows:
                await self.stream.add(row.topic, {**row.payload, "outboxId": row.id})
            if rows:
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id.in_([r.id for r in rows]))
                    .values(published_at=datetime.now(UTC))
                )
            await session.commit()
        if rows and self.published is not None:
            await self.published()
        return len(rows)

    async def run(self) -> None:
        while True:
            try:
                while await self.relay_once() == self.batch:
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:  # the next round retries; rows stay unsent until then
                log.exception("outbox relay failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
            self._wake.clear()

    def start(self) -> None:
        self._task = asyncio.create_task(self.run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
