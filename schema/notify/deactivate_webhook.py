"""deactivateWebhook: stop sending to an endpoint."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.context import Info
from schema.errors import NotFound, NotPermitted
from schema.notify.types import Webhook
from schema.permissions import permitted
from supervision.notify import service


@strawberry.type
class DeactivateWebhookPayload:
    webhook: Webhook


DeactivateWebhookResult = Annotated[
    DeactivateWebhookPayload | NotPermitted | NotFound,
    strawberry.union("DeactivateWebhookResult"),
]


@strawberry.type
class DeactivateWebhookMutation:
    @strawberry.mutation(
        description="Stop sending to a webhook; messages still waiting go to the dead letters."
    )
    @permitted("webhook", "manage")
    async def deactivate_webhook(self, info: Info, id: int) -> DeactivateWebhookResult:
        session = info.context.session
        try:
            webhook = await service.deactivate_webhook(
                session=session, webhook_id=id, scope=info.context.scope_for("webhook", "manage")
            )
        except service.WebhookNotFound as exc:
            await session.rollback()
            return NotFound(code=exc.code, message=str(exc), field=exc.field)
        except BaseException:
            await session.rollback()
            raise
        await session.commit()
        return DeactivateWebhookPayload(webhook=Webhook.from_row(webhook))
