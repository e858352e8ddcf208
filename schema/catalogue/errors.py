"""The typed errors of catalogue mutations, and the mapping from domain errors."""

from __future__ import annotations

import strawberry

from schema.errors import InvalidInput, NotFound, UserError
from supervision.catalogue import errors
from supervision.catalogue.codes import InvalidPowerCode


@strawberry.type(description="A power with this code exists already.")
class DuplicateCode(UserError):
    pass


@strawberry.type(description="The code is malformed or disagrees with the department or category.")
class InvalidCode(UserError):
    pass


@strawberry.type(description="A time limit is out of range or inconsistent.")
class InvalidLimit(UserError):
    pass


@strawberry.type(description="No department has this credit code.")
class UnknownDepartment(UserError):
    pass


@strawberry.type(description="The power's status does not allow this change.")
class WrongState(UserError):
    pass


CatalogueErrors = (
    DuplicateCode | InvalidCode | InvalidLimit | UnknownDepartment | WrongState | NotFound
)


def user_error(exc: Exception) -> UserError:
    """The typed error a client gets for a refused catalogue change."""
    message = str(exc)
    field = getattr(exc, "field", None)
    if isinstance(exc, InvalidPowerCode | errors.CodeMismatch):
        return InvalidCode(code="INVALID_CODE", message=message, field="code")
    if isinstance(exc, errors.DuplicateCode):
        return DuplicateCode(code=exc.code, message=message, field=field)
    if isinstance(exc, errors.UnknownDepartment):
        return UnknownDepartment(code=exc.code, message=message, field=field)
    if isinstance(exc, errors.WrongState):
        return WrongState(code=exc.code, message=message)
    if isinstance(exc, errors.PowerNotFound):
        return NotFound(code=exc.code, message=message, field=field)
    if isinstance(exc, errors.InvalidSpec) and exc.code == "INVALID_LIMIT":
        return InvalidLimit(code=exc.code, message=message, field=field)
    return InvalidInput(code=getattr(exc, "code", "INVALID_INPUT"), message=message, field=field)


REFUSALS = (errors.CatalogueError, InvalidPowerCode)
