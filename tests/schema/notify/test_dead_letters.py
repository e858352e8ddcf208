"""deadLetters and retryNotification: a message that failed every attempt is listed, sent again."""

import uuid
from datetime import UTC, datetime

from supervision.notify.delivery import MAX_ATTEMPTS, deliver_due
from supervision.notify.models import Channel
from supervision.notify.providers import LoggingSmsProvider
from supervision.notify.webhooks import verify
from tests.supervision.notify.support import (
    SHINAN,
    Endpoint,
    licensing_home,
    notifications_about,
    report_late_case,
)

REGISTER = """
mutation($url: String!) {
  registerWebhook(divisionCode: "370202000000", url: $url, topics: ["warning.raised"]) {
    ... on RegisterWebhookPayload { secret webhook { id } }
  }
}
"""
DEACTIVATE = "mutation($id: Int!) { deactivateWebhook(id: $id) { __typename } }"
DEAD_LETTERS = """
query($first: Int, $after: String) {
  deadLetters(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id channel target topic divisionCode status attempts lastError }
  }
}
"""
RETRY = """
mutation($id: Int!) {
  retryNotification(id: $id) {
    __typename
    ... on RetryNotificationPayload { notification { id status attempts lastError } }
    ... on NotDeadLetter { code status }
    ... on UserError { code }
  }
}
"""
ADMIN = "demo-admin"  # admin at the city: notification manage through *
SUPERVISOR = "demo-supervisor"


async def _deliver(database, endpoint: Endpoint, now: datetime) -> None:
    async with endpoint.client() as client:
        await deliver_due(database=database, now=now, sms=LoggingSmsProvider(), http_client=client)


async def test_a_dead_letter_is_listed_retried_and_delivered(gql, database):
    url = f"https://flaky-{uuid.uuid4().hex[:6]}.example/hook"
    registered = (await gql(REGISTER, {"url": url}, as_=SUPERVISOR))["data"]["registerWebhook"]
    webhook_id, secret = registered["webhook"]["id"], registered["secret"]
    try:
        case = await report_late_case(
            database, await licensing_home(database, SHINAN), officer=None
        )
        (queued,) = [
            n
            for n in await notifications_about(database, case)
            if n.channel == Channel.WEBHOOK
            and n.target == str(webhook_id)
            and n.payload["kind"] == "OVERDUE"
        ]

        down = Endpoint(500)
        now = datetime.now(UTC)
        for _ in range(MAX_ATTEMPTS):
            await _deliver(database, down, now)
            row = next(n for n in await notifications_about(database, case) if n.id == queued.id)
            now = max(now, row.next_attempt_at)
        tries = [r for r in down.to(url) if r.headers["X-Yangguang-Delivery"] == str(queued.id)]
        assert len(tries) == MAX_ATTEMPTS

        listed = await gql(DEAD_LETTERS, {"first": 100}, as_=ADMIN)
        dead = {n["id"]: n for n in listed["data"]["deadLetters"]["nodes"]}
        assert dead[queued.id] == {
            "id": queued.id,
            "channel": "WEBHOOK",
            "target": str(webhook_id),
            "topic": "warning.raised",
            "divisionCode": SHINAN,
            "status": "DEAD",
            "attempts": MAX_ATTEMPTS,
            "lastError": "HTTP 500 Internal Server Error",
        }

        retried = await gql(RETRY, {"id": queued.id}, as_=ADMIN)
        assert retried["data"]["retryNotification"]["notification"] == {
            "id": queued.id,
            "status": "PENDING",
            "attempts": 0,
            "lastError": "HTTP 500 Internal Server Error",
        }

        up = Endpoint(204)
        sent_at = datetime.now(UTC)
        await _deliver(database, up, sent_at)
        (request,) = [r for r in up.to(url) if r.headers["X-Yangguang-Delivery"] == str(queued.id)]
        assert verify(
            secret,
            request.content,
            request.headers["X-Yangguang-Timestamp"],
            request.headers["X-Yangguang-Signature"],
            now=sent_at,
        )
        again = await gql(RETRY, {"id": queued.id}, as_=ADMIN)
        assert again["data"]["retryNotification"] == {
            "__typename": "NotDeadLetter",
            "code": "NOT_DEAD",
            "status": "SENT",
        }
    finally:
        await gql(DEACTIVATE, {"id": webhook_id}, as_=SUPERVISOR)


async def test_a_supervisor_may_not_read_the_dead_letters(gql):
    body = await gql(DEAD_LETTERS, {"first": 10}, as_=SUPERVISOR)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_supervisor_may_not_retry(gql):
    body = await gql(RETRY, {"id": 1}, as_=SUPERVISOR)
    assert body["data"]["retryNotification"] == {
        "__typename": "NotPermitted",
        "code": "NOT_PERMITTED",
    }


async def test_retrying_an_unknown_notification_is_not_found(gql):
    body = await gql(RETRY, {"id": 2_000_000_000}, as_=ADMIN)
    assert body["data"]["retryNotification"] == {"__typename": "NotFound", "code": "NOT_FOUND"}
