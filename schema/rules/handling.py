"""What the handling mutations share: payloads, typed errors, the warning's division for
permissions, and running one step (commit, or roll back and answer a typed error)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from schema.catalogue.errors import UnknownDepartment
from schema.context import Info
from schema.errors import InvalidInput, NotFound, UserError
from schema.rules.types import Card, HandlingStep, Warning, WarningAction, WarningStatus
from supervision.rules import handling
from tenancy.scope import Scope


@strawberry.type
class WarningPayload:
    warning: Warning
    action: WarningAction = strawberry.field(description="The step just taken.")


@strawberry.type
class CardPayload:
    card: Card
    warning: Warning
    action: WarningAction = strawberry.field(description="The step just taken.")


@strawberry.type(description="The warning's status does not allow this step.")
class WrongWarningState(UserError):
    status: WarningStatus = strawberry.field(description="The warning's status now.")
    allowed: list[HandlingStep] = strawberry.field(description="The steps it allows now.")


def warning_at(path: str) -> Callable[[Info, dict, Scope], Awaitable[str | UserError]]:
    """For permissions: the division of the warning whose id is the argument at `path`."""

    async def locate(info: Info, arguments: dict, scope: Scope) -> str | UserError:
        warning_id: object = arguments
        for part in path.split("."):
            warning_id = (
                warning_id.get(part)
                if isinstance(warning_id, dict)
                else getattr(warning_id, part, None)
            )
        division = await info.context.db(
            handling.warning_division, warning_id=warning_id, scope=scope
        )
        if division is None:
            error = handling.WarningNotFound(warning_id)
            return NotFound(code=error.code, message=str(error), field=_field(path))
        return division

    return locate


def _field(path: str) -> str:
    first, *rest = path.rsplit(".", 1)[-1].split("_")
    return first + "".join(part.title() for part in rest)


def user_error(exc: handling.HandlingError, id_field: str = "id") -> UserError:
    """The typed error a client gets for a refused step."""
    message = str(exc)
    if isinstance(exc, handling.WrongState):
        return WrongWarningState(
            code=exc.code,
            message=message,
            status=exc.status,
            allowed=handling.allowed_steps(exc.status),
        )
    if isinstance(exc, handling.WarningNotFound):
        return NotFound(code=exc.code, message=message, field=id_field)
    if exc.code == "UNKNOWN_DEPARTMENT":
        return UnknownDepartment(code=exc.code, message=message, field=exc.field)
    return InvalidInput(code=exc.code, message=message, field=exc.field)


async def take_step(
    info: Info,
    step: Callable[[AsyncSession, Scope, str], Awaitable[handling.Handled]],
    scope: Scope,
    id_field: str = "id",
) -> handling.Handled | UserError:
    """Run a step with the session, the caller's scope for it and the actor; commit."""
    session = info.context.session
    try:
        handled = await step(session, scope, info.context.caller.subject or "anonymous")
    except handling.HandlingError as exc:
        await session.rollback()
        return user_error(exc, id_field)
    except BaseException:
        await session.rollback()
        raise
    await session.commit()
    if info.context.relay is not None:
        info.context.relay.kick()
    return handled


def warning_payload(result: handling.Handled | UserError) -> WarningPayload | UserError:
    if isinstance(result, UserError):
        return result
    return WarningPayload(
        warning=Warning.from_row(result.warning), action=WarningAction.from_row(result.action)
    )


def card_payload(result: handling.Handled | UserError) -> CardPayload | UserError:
    if isinstance(result, UserError):
        return result
    return CardPayload(
        card=Card.from_row(result.card),
        warning=Warning.from_row(result.warning),
        action=WarningAction.from_row(result.action),
    )
