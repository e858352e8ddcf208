"""Delivering the notification outbox: claim what is due, send it, record how it went.

A deliverer claims a batch of due PENDING rows (FOR UPDATE SKIP LOCKED on PostgreSQL,
SQLite's single writer elsewhere) and leases them by moving `next_attempt_at` past the
time it needs; it commits, sends outside any transaction (no lock is held while a
phone gateway or a webhook takes its time), then records each outcome: SENT, or one
more attempt with an exponential backoff, or DEAD after the last attempt — the
dead-letter list, from which `retry` puts a message back. Several deliverers may run
at once: a row is claimed by one of them at a time, so nothing is sent twice (a crash
between sending and recording is the one case a message is sent again, after the lease).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.notify import webhooks
from supervision.notify.models import Channel, DeliveryStatus, Notification, Webhook
from supervision.notify.providers import SmsProvider
from tenancy.db import Database
from tenancy.scope import Scope

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # then DEAD: about two hours of trying with the delays below
BASE_DELAY = timedelta(minutes=1)  # before the 2nd attempt; doubled each time after
MAX_DELAY = timedelta(hours=2)
LEASE = timedelta(minutes=10)  # a claimed batch is not due again before this
CONCURRENCY = 10  # messages of one batch in flight at once
_ERROR_LENGTH = 1000


class NotificationNotFound(LookupError):
    code = "NOT_FOUND"


class NotDead(ValueError):
    """Only a message on the dead-letter list can be retried."""

    code = "NOT_DEAD"

    def __init__(self, notification_id: int, status: DeliveryStatus) -> None:
        super().__init__(f"notification {notification_id} is {status.value}, not dead")
        self.status = status


@dataclass(frozen=True)
class _Claimed:
    id: int
    channel: Channel
    target: str
    topic: str
    payload: dict
    attempts: int
    created_at: datetime
    url: str | None = None
    secret: str | None = None
    unsendable: str | None = None  # why it cannot be sent at all (webhook gone)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt (1, 2, 4, … minutes, capped)."""
    return min(BASE_DELAY * 2 ** max(attempts - 1, 0), MAX_DELAY)


def _due(now: datetime):
    return (Notification.status == DeliveryStatus.PENDING) & (Notification.next_attempt_at <= now)


async def _claim(database: Database, now: datetime, batch: int) -> list[_Claimed]:
    async with database.session(Scope.bypass("notification delivery")) as session:
        query = select(Notification).where(_due(now)).order_by(Notification.next_attempt_at)
        if database.is_postgres:
            query = query.with_for_update(skip_locked=True)
        rows = list(await session.scalars(query.limit(batch)))
        if not rows:
            return []
        await session.execute(
            update(Notification)
            .where(Notification.id.in_([r.id for r in rows]))
            .values(next_attempt_at=now + LEASE)
        )
        hook_ids = {int(r.target) for r in rows if r.channel == Channel.WEBHOOK}
        hooks = {
            h.id: h for h in await session.scalars(select(Webhook).where(Webhook.id.in_(hook_ids)))
        }
        await session.commit()
    claimed = []
    for row in rows:
        hook = hooks.get(int(row.target)) if row.channel == Channel.WEBHOOK else None
        unsendable = None
        if row.channel == Channel.WEBHOOK and (hook is None or not hook.active):
            unsendable = "the webhook was deactivated"
        claimed.append(
            _Claimed(
                id=row.id,
                channel=row.channel,
                target=row.target,
                topic=row.topic,
                payload=row.payload,
                attempts=row.attempts,
                created_at=row.created_at,
                url=hook.url if hook else None,
                secret=hook.secret if hook else None,
                unsendable=unsendable,
            )
        )
    return claimed


async def _send(
    message: _Claimed, *, sms: SmsProvider, http_client: httpx.AsyncClient, now: datetime
) -> str | None:
    """None when sent, else why not."""
    try:
        if message.channel == Channel.SMS:
            await sms.send(message.target, message.payload["text"])
        else:
            body = webhooks.body_of(
                delivery_id=message.id,
                topic=message.topic,
                created_at=message.created_at,
                data=message.payload,
            )
            await webhooks.post(
                http_client,
                url=message.url,
                secret=message.secret,
                body=body,
                delivery_id=message.id,
                now=now,
            )
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # any failure of a provider is one failed attempt
        return (str(exc) or type(exc).__name__)[:_ERROR_LENGTH]
    return None


async def _record(
    database: Database, now: datetime, outcomes: list[tuple[_Claimed, str | None]]
) -> dict[str, int]:
    sent = [m.id for m, error in outcomes if error is None]
    failed, dead = [], []
    for message, error in outcomes:
        if error is None:
            continue
        attempts = message.attempts + 1
        final = message.unsendable is not None or attempts >= MAX_ATTEMPTS
        (dead if final else failed).append(
            {
                "row_id": message.id,
                "claimed_attempts": message.attempts,
                "attempts": attempts,
                "status": DeliveryStatus.DEAD if final else DeliveryStatus.PENDING,
                "next_attempt_at": now if final else now + backoff(attempts),
                "last_error": error,
            }
        )
    async with database.session(Scope.bypass("notification delivery")) as session:
        if sent:
            await session.execute(
                update(Notification)
                .where(Notification.id.in_(sent), Notification.status == DeliveryStatus.PENDING)
                .values(
                    status=DeliveryStatus.SENT,
                    attempts=Notification.attempts + 1,
                    sent_at=now,
                    last_error=None,
                )
            )
        if failed or dead:
            # only while still ours: the attempt count is the row's version
            await session.execute(
                update(Notification.__table__)
                .where(
                    Notification.__table__.c.id == bindparam("row_id"),
                    Notification.__table__.c.attempts == bindparam("claimed_attempts"),
                    Notification.__table__.c.status == DeliveryStatus.PENDING.value,
                )
                .values(
                    attempts=bindparam("attempts"),
                    status=bindparam("status"),
                    next_attempt_at=bindparam("next_attempt_at"),
                    last_error=bindparam("last_error"),
                ),
                failed + dead,
            )
        await session.commit()
    for row in dead:
        log.warning(
            "notification %s is dead after %s attempts: %s",
            row["row_id"],
            row["attempts"],
            row["last_error"],
        )
    return {"sent": len(sent), "failed": len(failed), "dead": len(dead)}


async def deliver_due(
    *,
    database: Database,
    now: datetime,
    sms: SmsProvider,
    http_client: httpx.AsyncClient,
    batch: int = 100,
) -> dict[str, int]:
    """Send one batch of due notifications; counts of claimed, sent, failed and dead."""
    # Look first without taking a writer's lock (SQLite has one for the whole file).
    async with database.session(Scope.bypass("notification delivery"), read_only=True) as session:
        waiting = await session.scalar(select(Notification.id).where(_due(now)).limit(1))
    if waiting is None:
        return {"claimed": 0, "sent": 0, "failed": 0, "dead": 0}
    claimed = await _claim(database, now, batch)
    if not claimed:
        return {"claimed": 0, "sent": 0, "failed": 0, "dead": 0}
    gate = asyncio.Semaphore(CONCURRENCY)

    async def attempt(message: _Claimed) -> tuple[_Claimed, str | None]:
        if message.unsendable is not None:
            return message, message.unsendable
        async with gate:
            return message, await _send(message, sms=sms, http_client=http_client, now=now)

    outcomes = list(await asyncio.gather(*(attempt(m) for m in claimed)))
    return {"claimed": len(claimed), **await _record(database, now, outcomes)}


async def list_dead(
    *, session: AsyncSession, scope: Scope, after_id: int | None, limit: int
) -> tuple[list[Notification], int]:
    """A page of the dead-letter list within `scope`, newest first, and its length."""
    where = [Notification.status == DeliveryStatus.DEAD]
    if (inside := scope.clause(Notification.division_code)) is not None:
        where.append(inside)
    total = await session.scalar(select(func.count()).select_from(Notification).where(*where))
    query = select(Notification).where(*where)
    if after_id is not None:
        query = query.where(Notification.id < after_id)
    rows = await session.scalars(query.order_by(Notification.id.desc()).limit(limit))
    return list(rows), total or 0


async def retry(
    *, session: AsyncSession, notification_id: int, now: datetime, scope: Scope
) -> Notification:
    """Put a dead message back in the outbox, due now, with its attempts counted afresh."""
    query = select(Notification).where(Notification.id == notification_id)
    if (inside := scope.clause(Notification.division_code)) is not None:
        query = query.where(inside)
    row = await session.scalar(query.with_for_update())
    if row is None:
        raise NotificationNotFound(f"no notification {notification_id}")
    if row.status != DeliveryStatus.DEAD:
        raise NotDead(notification_id, row.status)
    row.status = DeliveryStatus.PENDING
    row.attempts = 0
    row.next_attempt_at = now
    await session.flush()
    return row
