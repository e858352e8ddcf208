"""retryNotification: put a dead letter back in the outbox."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from schema.context import Info
from schema.errors import NotFound, NotPermitted
from schema.notify.types import NotDeadLetter, Notification
from schema.permissions import permitted
from supervision.notify import delivery


@strawberry.type
class RetryNotificationPayload:
    notification: Notification


RetryNotificationResult = Annotated[
    RetryNotificationPayload | NotPermitted | NotFound | NotDeadLetter,
    strawberry.union("RetryNotificationResult"),
]


@strawberry.type
class RetryNotificationMutation:
    @strawberry.mutation(
        description="Send a dead letter again: due now, with a fresh round of attempts."
    )
    @permitted("notification", "manage")
    async def retry_notification(self, info: Info, id: int) -> RetryNotificationResult:
        session = info.context.session
        try:
            row = await delivery.retry(
                session=session,
                notification_id=id,
                now=datetime.now(UTC),
                scope=info.context.scope_for("notification", "manage"),
            )
        except delivery.NotificationNotFound as exc:
            await session.rollback()
            return NotFound(code=exc.code, message=str(exc), field="id")
        except delivery.NotDead as exc:
            await session.rollback()
            return NotDeadLetter(code=exc.code, message=str(exc), field="id", status=exc.status)
        except BaseException:
            await session.rollback()
            raise
        await session.commit()
        return RetryNotificationPayload(notification=Notification.from_row(row))
