"""The notification outbox (with its dead-letter list) and the webhooks it delivers to."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tenancy.models import Base, Json, UtcDateTime
from tenancy.scope import TenantOwned, register


class Channel(enum.StrEnum):
    SMS = "SMS"
    WEBHOOK = "WEBHOOK"


class DeliveryStatus(enum.StrEnum):
    PENDING = "PENDING"  # waiting for its (next) attempt
    SENT = "SENT"
    DEAD = "DEAD"  # out of attempts: on the dead-letter list until retried by hand


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=16)


class Notification(Base):
    """One message to deliver, written in the same transaction as what it tells of.

    Operational, like the case outbox: read only by the worker and by administrators.
    """

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    target: Mapped[str] = mapped_column(String(500))  # a phone number or a webhook id
    topic: Mapped[str] = mapped_column(String(40))
    division_code: Mapped[str] = mapped_column(String(12), index=True)
    payload: Mapped[dict] = mapped_column(Json)
    status: Mapped[DeliveryStatus] = mapped_column(_enum(DeliveryStatus))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


@register
class Webhook(TenantOwned, Base):
    """A subscriber's endpoint: warnings in its subtree are POSTed to it, HMAC-signed."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(100))  # shared with the subscriber, shown once
    topics: Mapped[list] = mapped_column(Json)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
