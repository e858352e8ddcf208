"""registerWebhook: send warnings of a subtree to an endpoint, signed with a secret shown once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from schema.access.types import UnknownDivision
from schema.context import Info
from schema.errors import NotPermitted
from schema.notify.types import InvalidTopic, InvalidUrl, Webhook
from schema.permissions import permitted
from supervision.notify import service
from supervision.notify.webhooks import InvalidWebhookUrl


@strawberry.type
class RegisterWebhookPayload:
    webhook: Webhook
    secret: str = strawberry.field(
        description="The signing secret (HMAC-SHA256). Shown this once only: keep it now."
    )


RegisterWebhookResult = Annotated[
    RegisterWebhookPayload | NotPermitted | InvalidUrl | InvalidTopic | UnknownDivision,
    strawberry.union("RegisterWebhookResult"),
]


@strawberry.type
class RegisterWebhookMutation:
    @strawberry.mutation(
        description="Register a webhook: warnings of the division's subtree are POSTed to the "
        "URL, signed (X-Yangguang-Timestamp, X-Yangguang-Signature: v1=HMAC-SHA256)."
    )
    @permitted("webhook", "manage", division_arg="division_code")
    async def register_webhook(
        self, info: Info, division_code: str, url: str, topics: list[str]
    ) -> RegisterWebhookResult:
        session = info.context.session
        try:
            webhook = await service.register_webhook(
                session=session,
                division_code=division_code,
                url=url,
                topics=topics,
                actor=info.context.caller.subject or "anonymous",
                now=datetime.now(UTC),
                https_only=info.context.prod,
            )
        except InvalidWebhookUrl as exc:
            await session.rollback()
            return InvalidUrl(code=exc.code, message=str(exc), field="url")
        except service.InvalidTopic as exc:
            await session.rollback()
            return InvalidTopic(code=exc.code, message=str(exc), field=exc.field)
        except service.UnknownDivision as exc:
            await session.rollback()
            return UnknownDivision(code=exc.code, message=str(exc), field=exc.field)
        except BaseException:
            await session.rollback()
            raise
        await session.commit()
        return RegisterWebhookPayload(webhook=Webhook.from_row(webhook), secret=webhook.secret)
