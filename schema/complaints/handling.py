"""What the complaint mutations share: the complaint's division for permissions, typed
errors, and running one step (commit, or roll back and answer a typed error)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from schema.catalogue.errors import UnknownDepartment
from schema.complaints.types import Complaint, ComplaintPayload, WrongComplaintState
from schema.context import Info
from schema.errors import InvalidInput, NotFound, UserError
from supervision.complaints import queries, service
from tenancy.scope import Scope

OBJ, ACT = "complaint", "handle"


def complaint_at(path: str = "id") -> Callable[[Info, dict, Scope], Awaitable[str | UserError]]:
    """For permissions: the division of the complaint whose id is the argument `path`."""

    async def locate(info: Info, arguments: dict, scope: Scope) -> str | UserError:
        complaint_id = arguments.get(path)
        division = await info.context.db(
            service.complaint_division, complaint_id=complaint_id, scope=scope
        )
        if division is None:
            error = service.ComplaintNotFound(complaint_id)
            return NotFound(code=error.code, message=str(error), field=path)
        return division

    return locate


def user_error(exc: service.ComplaintError) -> UserError:
    """The typed error a client gets for a refused complaint or step."""
    message = str(exc)
    if isinstance(exc, service.WrongState):
        return WrongComplaintState(
            code=exc.code,
            message=message,
            status=exc.status,
            allowed=service.allowed_steps(exc.status),
        )
    if isinstance(exc, service.ComplaintNotFound):
        return NotFound(code=exc.code, message=message, field=exc.field)
    if isinstance(exc, service.UnknownDepartment):
        return UnknownDepartment(code=exc.code, message=message, field=exc.field)
    return InvalidInput(code=exc.code, message=message, field=exc.field)


async def take_step(
    info: Info, step: Callable[[AsyncSession, Scope, str], Awaitable[service.Stepped]]
) -> ComplaintPayload | UserError:
    """Run a step with the session, the caller's handling scope and the actor; commit and
    answer the complaint as the caller now sees it."""
    session = info.context.session
    scope = info.context.scope_for(OBJ, ACT)
    try:
        stepped = await step(session, scope, info.context.caller.subject or "anonymous")
        record = await queries.get_complaint(
            session=session, complaint_id=stepped.complaint.id, scope=scope, reveal=scope
        )
    except service.ComplaintError as exc:
        await session.rollback()
        return user_error(exc)
    except BaseException:
        await session.rollback()
        raise
    await session.commit()
    if info.context.relay is not None:
        info.context.relay.kick()
    return ComplaintPayload(complaint=Complaint.from_record(record))
