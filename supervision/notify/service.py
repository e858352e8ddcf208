"""Webhook subscriptions: register, deactivate, list (secrets are shown only on registration)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.notify.models import Webhook
from supervision.notify.outbox import TOPICS
from supervision.notify.webhooks import check_url, new_secret
from tenancy.models import Division
from tenancy.scope import Scope, subtree


class WebhookError(ValueError):
    code = "INVALID_INPUT"
    field: str | None = None


class InvalidTopic(WebhookError):
    code = "INVALID_TOPIC"
    field = "topics"


class UnknownDivision(WebhookError):
    code = "UNKNOWN_DIVISION"
    field = "divisionCode"


class WebhookNotFound(WebhookError):
    code = "NOT_FOUND"
    field = "id"


def checked_topics(topics: list[str]) -> list[str]:
    """The topics, each once, in the order given; InvalidTopic for an empty or unknown one."""
    wanted = list(dict.fromkeys(t.strip() for t in topics))
    if not wanted:
        raise InvalidTopic(f"topics: at least one of {', '.join(TOPICS)}")
    unknown = [t for t in wanted if t not in TOPICS]
    if unknown:
        raise InvalidTopic(f"unknown topics {unknown}: choose from {', '.join(TOPICS)}")
    return wanted


async def register_webhook(
    *,
    session: AsyncSession,
    division_code: str,
    url: str,
    topics: list[str],
    actor: str,
    now: datetime,
    https_only: bool,
) -> Webhook:
    """A new active webhook for a division's subtree, with a fresh secret; the caller commits."""
    url = check_url(url, https_only=https_only)
    topics = checked_topics(topics)
    if await session.get(Division, division_code) is None:
        raise UnknownDivision(f"no division {division_code}")
    webhook = Webhook(
        division_code=division_code,
        url=url,
        secret=new_secret(),
        topics=topics,
        active=True,
        created_by=actor,
        created_at=now,
    )
    session.add(webhook)
    await session.flush()
    return webhook


async def deactivate_webhook(*, session: AsyncSession, webhook_id: int, scope: Scope) -> Webhook:
    """Stop deliveries to a webhook (its pending messages go to the dead-letter list)."""
    query = select(Webhook).where(Webhook.id == webhook_id)
    if (inside := scope.clause(Webhook.division_code)) is not None:
        query = query.where(inside)
    webhook = await session.scalar(query)
    if webhook is None:
        raise WebhookNotFound(f"no webhook {webhook_id} here")
    webhook.active = False
    await session.flush()
    return webhook


async def list_webhooks(
    *, session: AsyncSession, scope: Scope, division_code: str
) -> list[Webhook]:
    """The webhooks registered in a division's subtree, within `scope`, oldest first."""
    query = select(Webhook).where(subtree(Webhook.division_code, division_code))
    if (inside := scope.clause(Webhook.division_code)) is not None:
        query = query.where(inside)
    return list(await session.scalars(query.order_by(Webhook.id)))
