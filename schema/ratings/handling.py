"""What the rating mutations share: typed errors, and the rating's division for permissions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from schema.context import Info
from schema.errors import InvalidInput, NotFound, UserError
from schema.ratings.types import (
    AlreadyRated,
    InvalidRatingCode,
    NotDecided,
    RectificationNotOpen,
)
from supervision.ratings import service
from tenancy.scope import Scope


def rating_at(path: str = "id") -> Callable[[Info, dict, Scope], Awaitable[str | UserError]]:
    """For permissions: the division of the rating whose id is the argument `path`."""

    async def locate(info: Info, arguments: dict, scope: Scope) -> str | UserError:
        rating_id = arguments.get(path)
        division = await info.context.db(service.rating_division, rating_id=rating_id, scope=scope)
        if division is None:
            error = service.RatingNotFound(rating_id)
            return NotFound(code=error.code, message=str(error), field=path)
        return division

    return locate


def user_error(exc: service.RatingError) -> UserError:
    """The typed error a client gets for a refused rating or callback."""
    message, code, field = str(exc), exc.code, exc.field
    if isinstance(exc, service.InvalidRatingCode):
        return InvalidRatingCode(code=code, message=message, field=field)
    if isinstance(exc, service.NotDecided):
        return NotDecided(code=code, message=message, field=field)
    if isinstance(exc, service.AlreadyRated):
        return AlreadyRated(code=code, message=message, field=field)
    if isinstance(exc, service.RatingNotFound):
        return NotFound(code=code, message=message, field=field)
    if isinstance(exc, service.RectificationNotOpen):
        return RectificationNotOpen(code=code, message=message, field=field, status=exc.status)
    return InvalidInput(code=code, message=message, field=field)
