"""Typed errors. Every error a client can act on carries a stable `code`."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError

from tenancy.codes import InvalidDivisionCode, tier_of


@strawberry.interface(description="An error a mutation reports instead of a result.")
class UserError:
    code: str = strawberry.field(description="Stable machine-readable code.")
    message: str = strawberry.field(description="What went wrong, for people.")
    field: str | None = strawberry.field(
        default=None, description="The input field at fault, if one is."
    )


@strawberry.type
class NotPermitted(UserError):
    """The caller's roles do not allow this here."""


@strawberry.type
class InvalidInput(UserError):
    """An input value is malformed."""


@strawberry.type
class NotFound(UserError):
    """What the input names does not exist (or is outside the caller's view)."""


def not_permitted(message: str = "not permitted") -> NotPermitted:
    return NotPermitted(code="NOT_PERMITTED", message=message)


class CodedError(GraphQLError):
    """A query-level error with a stable code in `extensions.code`."""

    def __init__(self, message: str, code: str, **extensions: object) -> None:
        super().__init__(message, extensions={"code": code, **extensions})


def checked_division_code(code: str) -> str:
    """The code itself, or a coded error saying why it is not a division code."""
    try:
        tier_of(code)
    except InvalidDivisionCode as exc:
        raise CodedError(str(exc), exc.code) from None
    return code
