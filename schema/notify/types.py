"""GraphQL types of notifications: webhooks, outbox messages and their typed errors."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.errors import UserError
from supervision.masking import mask_phone
from supervision.notify import models

NotificationChannel = strawberry.enum(
    models.Channel, description="How a notification goes out: 短信 SMS, or a signed WEBHOOK."
)
DeliveryStatus = strawberry.enum(
    models.DeliveryStatus,
    description="PENDING 待发送 (or waiting to retry), SENT 已发送, DEAD 发送失败 (dead letter).",
)


@strawberry.type(description="A subscriber's endpoint: warnings in its subtree are POSTed, signed.")
class Webhook:
    id: int
    division_code: str = strawberry.field(description="Warnings here and below are sent.")
    url: str
    topics: list[str] = strawberry.field(description="e.g. warning.raised, warning.escalated.")
    active: bool
    created_by: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: models.Webhook) -> Webhook:
        return cls(
            id=row.id,
            division_code=row.division_code,
            url=row.url,
            topics=list(row.topics),
            active=row.active,
            created_by=row.created_by,
            created_at=row.created_at,
        )


@strawberry.type(description="One message of the notification outbox.")
class Notification:
    id: int
    channel: NotificationChannel
    target: str = strawberry.field(description="The phone (masked) or the webhook's id.")
    topic: str
    division_code: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None

    @classmethod
    def from_row(cls, row: models.Notification) -> Notification:
        target = row.target
        if row.channel == models.Channel.SMS:
            target = mask_phone(target) or ""
        return cls(
            id=row.id,
            channel=row.channel,
            target=target,
            topic=row.topic,
            division_code=row.division_code,
            status=row.status,
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at,
            last_error=row.last_error,
            created_at=row.created_at,
            sent_at=row.sent_at,
        )


@strawberry.type(
    description="The URL cannot be delivered to: not http(s), or not https in production."
)
class InvalidUrl(UserError):
    pass


@strawberry.type(description="A topic is unknown, or none was given.")
class InvalidTopic(UserError):
    pass


@strawberry.type(description="Only a message on the dead-letter list can be retried.")
class NotDeadLetter(UserError):
    status: DeliveryStatus = strawberry.field(description="The message's status now.")
