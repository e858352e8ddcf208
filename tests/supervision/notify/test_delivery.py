"""Delivery: due messages are sent once, failures retried with backoff, then dead-lettered."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import orjson
from sqlalchemy import insert, select

from supervision.notify import delivery
from supervision.notify.delivery import MAX_ATTEMPTS, backoff, deliver_due
from supervision.notify.models import Channel, DeliveryStatus, Notification
from supervision.notify.outbox import record_warnings
from supervision.notify.providers import LoggingSmsProvider
from supervision.notify.webhooks import verify
from tenancy.db import Database
from tests.supervision.notify.support import (
    ALL,
    SHINAN,
    Endpoint,
    add_webhook,
    deactivate,
)


def _warning(case: str, **fields) -> dict:
    return {
        "id": 1,
        "case_number": case,
        "division_code": SHINAN,
        "department_code": None,
        "kind": "OVERDUE",
        "level": "RED",
        "status": "OPEN",
        "officer": None,
        "detail": "承诺时限 20 个工作日",
        "raised_at": datetime.now(UTC),
        **fields,
    }


async def _queue_for(database: Database, webhook, now: datetime) -> Notification:
    case = f"TD-{uuid.uuid4().hex[:10]}"
    async with database.session(ALL) as session:
        await record_warnings(session=session, warnings=[_warning(case)], now=now)
        await session.commit()
    return await _one(database, case, webhook.id)


async def _one(database: Database, case: str, webhook_id: int) -> Notification:
    async with database.session(ALL, read_only=True) as session:
        rows = await session.scalars(
            select(Notification).where(
                Notification.channel == Channel.WEBHOOK, Notification.target == str(webhook_id)
            )
        )
        (row,) = [r for r in rows if r.payload["caseNumber"] == case]
        return row


async def _get(database: Database, notification_id: int) -> Notification:
    async with database.session(ALL, read_only=True) as session:
        return await session.get(Notification, notification_id)


def test_backoff_doubles_from_a_minute():
    assert [backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert backoff(30) == delivery.MAX_DELAY


async def test_a_post_is_signed_with_the_webhooks_secret(database):
    url = f"https://receiver-{uuid.uuid4().hex[:6]}.example/hook"
    webhook = await add_webhook(database, SHINAN, url)
    now = datetime.now(UTC)
    try:
        queued = await _queue_for(database, webhook, now)
        endpoint = Endpoint(200)
        async with endpoint.client() as client:
            await deliver_due(
                database=database, now=now, sms=LoggingSmsProvider(), http_client=client
            )
    finally:
        await deactivate(database, webhook)

    (request,) = endpoint.to(url)
    body = request.content
    assert verify(
        webhook.secret,
        body,
        request.headers["X-Yangguang-Timestamp"],
        request.headers["X-Yangguang-Signature"],
        now=now,
    )
    sent = orjson.loads(body)
    assert sent["id"] == queued.id and sent["topic"] == "warning.raised"
    assert sent["data"]["caseNumber"] == queued.payload["caseNumber"]
    assert request.headers["X-Yangguang-Delivery"] == str(queued.id)
    row = await _get(database, queued.id)
    assert (row.status, row.attempts, row.sent_at) == (DeliveryStatus.SENT, 1, now)


async def test_a_failing_endpoint_is_retried_with_backoff_then_dead(database):
    url = f"https://down-{uuid.uuid4().hex[:6]}.example/hook"
    webhook = await add_webhook(database, SHINAN, url)
    now = datetime.now(UTC)
    endpoint = Endpoint(503)
    try:
        queued = await _queue_for(database, webhook, now)
        async with endpoint.client() as client:
            for attempt in range(1, MAX_ATTEMPTS + 1):
                await deliver_due(
                    database=database, now=now, sms=LoggingSmsProvider(), http_client=client
                )
                row = await _get(database, queued.id)
                assert row.attempts == attempt
                assert "503" in row.last_error
                if attempt < MAX_ATTEMPTS:
                    assert row.status == DeliveryStatus.PENDING
                    assert row.next_attempt_at == now + backoff(attempt)
                    # not due a moment before its time
                    await deliver_due(
                        database=database,
                        now=row.next_attempt_at - timedelta(seconds=1),
                        sms=LoggingSmsProvider(),
                        http_client=client,
                    )
                    assert len(endpoint.to(url)) == attempt
                    now = row.next_attempt_at
    finally:
        await deactivate(database, webhook)

    assert row.status == DeliveryStatus.DEAD
    assert len(endpoint.to(url)) == MAX_ATTEMPTS


async def test_a_network_error_is_a_failed_attempt(database):
    url = f"https://unreachable-{uuid.uuid4().hex[:6]}.example/hook"
    webhook = await add_webhook(database, SHINAN, url)
    now = datetime.now(UTC)

    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    try:
        queued = await _queue_for(database, webhook, now)
        async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as client:
            await deliver_due(
                database=database, now=now, sms=LoggingSmsProvider(), http_client=client
            )
    finally:
        await deactivate(database, webhook)
    row = await _get(database, queued.id)
    assert (row.status, row.attempts) == (DeliveryStatus.PENDING, 1)
    assert "ConnectError" in row.last_error


async def test_a_deactivated_webhooks_messages_go_to_the_dead_letters(database):
    url = f"https://stopped-{uuid.uuid4().hex[:6]}.example/hook"
    webhook = await add_webhook(database, SHINAN, url)
    now = datetime.now(UTC)
    queued = await _queue_for(database, webhook, now)
    await deactivate(database, webhook)
    endpoint = Endpoint(200)
    async with endpoint.client() as client:
        await deliver_due(database=database, now=now, sms=LoggingSmsProvider(), http_client=client)
    assert endpoint.to(url) == []
    row = await _get(database, queued.id)
    assert row.status == DeliveryStatus.DEAD
    assert "deactivated" in row.last_error


async def test_retry_puts_a_dead_letter_back(database):
    now = datetime.now(UTC)
    phone = f"199{uuid.uuid4().int % 10**8:08d}"
    async with database.session(ALL) as session:
        notification_id = (
            await session.scalars(
                insert(Notification).returning(Notification.id),
                [_sms(phone, now, status=DeliveryStatus.DEAD, attempts=MAX_ATTEMPTS)],
            )
        ).one()
        await session.commit()
    async with database.session(ALL) as session:
        row = await delivery.retry(
            session=session, notification_id=notification_id, now=now, scope=ALL
        )
        await session.commit()
    assert (row.status, row.attempts, row.next_attempt_at) == (DeliveryStatus.PENDING, 0, now)
    sms = LoggingSmsProvider()
    async with Endpoint().client() as client:
        await deliver_due(database=database, now=now, sms=sms, http_client=client)
    assert sms.to(phone) == ["短信"]
    assert (await _get(database, notification_id)).status == DeliveryStatus.SENT


def _sms(phone: str, now: datetime, **fields) -> dict:
    return {
        "channel": Channel.SMS,
        "target": phone,
        "topic": "warning.raised",
        "division_code": SHINAN,
        "payload": {"text": "短信"},
        "status": DeliveryStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        **fields,
    }


class SlowSms(LoggingSmsProvider):
    async def send(self, phone: str, text: str) -> None:
        await asyncio.sleep(0.005)
        await super().send(phone, text)


async def test_two_deliverers_at_once_never_send_a_message_twice(settings):
    # two processes' worth of connections, delivering the same outbox at the same time
    first, second = (Database(settings.database_url, app_role=settings.database_role) for _ in "ab")
    now = datetime.now(UTC)
    phones = [f"198{uuid.uuid4().int % 10**8:08d}" for _ in range(60)]
    try:
        async with first.session(ALL) as session:
            await session.execute(insert(Notification), [_sms(p, now) for p in phones])
            await session.commit()
        sms = SlowSms(keep=10_000)

        async def drain(database: Database) -> int:
            claimed = 0
            async with Endpoint().client() as client:
                while True:
                    done = await deliver_due(
                        database=database, now=now, sms=sms, http_client=client, batch=7
                    )
                    if not done["claimed"]:
                        return claimed
                    claimed += done["claimed"]

        counts = await asyncio.gather(drain(first), drain(second))
    finally:
        await first.dispose()
        await second.dispose()

    sent = [phone for phone, _ in sms.sent if phone in set(phones)]
    assert sorted(sent) == sorted(phones)  # each exactly once
    assert all(counts), counts  # both took part
