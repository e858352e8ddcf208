"""Live case updates over WebSocket, resumable by cursor."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry

from schema.cases.types import CaseAction, CaseState
from schema.context import Info
from schema.errors import CodedError, checked_division_code
from schema.permissions import can
from supervision.cases.models import Action
from supervision.cases.models import CaseState as State
from supervision.live import InvalidCursor, follow
from tenancy.codes import prefix_of

TOPIC = "case"


@strawberry.type(description="A fact committed about a case; `cursor` resumes after it.")
class CaseEvent:
    cursor: str
    case_number: str
    division_code: str
    event_id: str
    action: CaseAction
    state: CaseState | None
    occurred_at: datetime


def _event(cursor: str, message: dict) -> CaseEvent:
    return CaseEvent(
        cursor=cursor,
        case_number=message["caseNumber"],
        division_code=message["divisionCode"],
        event_id=message["eventId"],
        action=Action(message["action"]),
        state=State(message["state"]) if message.get("state") else None,
        occurred_at=datetime.fromisoformat(message["occurredAt"]),
    )


async def feed(
    info: Info, topic: str, permission: tuple[str, str], after: str | None, keep
) -> AsyncGenerator[tuple[str, dict], None]:
    """Entries of a stream the caller may see (by scope) and wants (by `keep`)."""
    scope = info.context.scope_for(*permission)
    try:
        async for cursor, message in follow(info.context.stream, topic, after):
            if scope.allows(message["divisionCode"]) and keep(message):
                yield cursor, message
    except InvalidCursor as exc:
        raise CodedError(str(exc), exc.code) from None


async def _feed(info: Info, after: str | None, keep) -> AsyncGenerator[CaseEvent, None]:
    async for cursor, message in feed(info, TOPIC, ("case", "read"), after, keep):
        yield _event(cursor, message)


@strawberry.type
class CaseSubscriptions:
    @strawberry.subscription(
        description="Facts about cases under a division as they are committed; give the last "
        "cursor you saw as `after` to receive what you missed.",
        permission_classes=[can("case", "read", division_arg="division_code")],
    )
    async def case_events(
        self, info: Info, division_code: str, after: str | None = None
    ) -> AsyncGenerator[CaseEvent, None]:
        prefix = prefix_of(checked_division_code(division_code))
        async for event in _feed(info, after, lambda m: m["divisionCode"].startswith(prefix)):
            yield event

    @strawberry.subscription(
        description="Facts about one case as they are committed.",
        permission_classes=[can("case", "read")],
    )
    async def case_updated(
        self, info: Info, number: str, after: str | None = None
    ) -> AsyncGenerator[CaseEvent, None]:
        async for event in _feed(info, after, lambda m: m["caseNumber"] == number):
            yield event
