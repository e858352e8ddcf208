"""Queries on notifications: the webhooks of a subtree, the dead-letter list."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.notify.types import Notification, Webhook
from schema.pagination import Connection, connection, decode_int_cursor, page_size
from schema.permissions import can
from supervision.notify import delivery, service


@strawberry.type
class NotificationQueries:
    @strawberry.field(
        description="Webhooks registered in a division's subtree (their secrets are never shown).",
        permission_classes=[can("webhook", "manage", division_arg="division_code")],
    )
    async def webhooks(self, info: Info, division_code: str) -> list[Webhook]:
        rows = await info.context.db(
            service.list_webhooks,
            scope=info.context.scope_for("webhook", "manage"),
            division_code=division_code,
        )
        return [Webhook.from_row(row) for row in rows]

    @strawberry.field(
        description="Dead letters: notifications that failed every attempt, newest first.",
        permission_classes=[can("notification", "manage")],
    )
    async def dead_letters(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Notification]:
        limit = page_size(first)
        rows, total = await info.context.db(
            delivery.list_dead,
            scope=info.context.scope_for("notification", "manage"),
            after_id=decode_int_cursor(after),
            limit=limit + 1,
        )
        return connection(
            rows, total=total, limit=limit, key=lambda r: r.id, node=Notification.from_row
        )
