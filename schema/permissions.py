"""Permissions declared on fields: `permission_classes=[can("officer", "read")]`."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.permission import BasePermission

from schema.errors import CodedError, InvalidInput, UserError, not_permitted
from tenancy.codes import InvalidDivisionCode, tier_of
from tenancy.scope import Scope


class _Can(BasePermission):
    obj: str
    act: str
    division_arg: str | None
    message = "not permitted"

    def has_permission(self, source: Any, info, **kwargs: Any) -> bool:
        division_code = _dig(kwargs, self.division_arg) if self.division_arg else None
        if division_code is not None:
            try:
                tier_of(division_code)
            except InvalidDivisionCode as exc:
                raise CodedError(str(exc), exc.code) from None
        context = info.context
        if context.allowed(self.obj, self.act, division_code):
            return True
        # Raised rather than returned: the instance is shared by concurrent requests.
        if context.caller.subject is None:
            raise CodedError("sign in to do this", "UNAUTHENTICATED")
        raise CodedError(f"not permitted to {self.act} {self.obj} here", "FORBIDDEN")


def can(obj: str, act: str, *, division_arg: str | None = None) -> type[BasePermission]:
    """A permission class: may the caller `act` on `obj` (at the division argument)?"""
    return type(
        f"Can_{obj}_{act}",
        (_Can,),
        {"obj": obj, "act": act, "division_arg": division_arg},
    )


def permitted(
    obj: str,
    act: str,
    *,
    division_arg: str | None = None,
    divisions: Callable[[dict], list[str | None]] | None = None,
    locate: Callable[[Any, dict, Scope], Awaitable[str | UserError]] | None = None,
):
    """Mutation decorator: answer NotPermitted (a union member) unless allowed.

    `division_arg` names the argument holding the division, dotted for an
    input's field ("input.division_code"); `divisions` derives several from the
    arguments (each must be allowed; None means "anywhere the caller holds a grant");
    `locate(info, arguments, scope)` looks up the division of the row the arguments
    name (a warning by id) inside the caller's scope for `obj`/`act`, answering a
    UserError (not found) when it is not there, so rows outside stay unseen.
    """

    def decorate(resolver):
        @functools.wraps(resolver)
        async def guarded(self, info, **kwargs):
            if locate is not None:
                if not info.context.allowed(obj, act):
                    return not_permitted(f"not permitted to {act} {obj}")
                found = await locate(info, kwargs, info.context.scope_for(obj, act))
                if isinstance(found, UserError):
                    return found
                wanted = [found]
            elif divisions is not None:
                wanted = divisions(kwargs)
            else:
                wanted = [_dig(kwargs, division_arg) if division_arg else None]
            for division_code in wanted:
                if division_code is not None:
                    try:
                        tier_of(division_code)
                    except InvalidDivisionCode as exc:
                        return InvalidInput(
                            code=exc.code, message=str(exc), field=_schema_name(division_arg)
                        )
                if not info.context.allowed(obj, act, division_code):
                    return not_permitted(f"not permitted to {act} {obj} here")
            return await resolver(self, info, **kwargs)

        return guarded

    return decorate


def _dig(values: dict, dotted: str) -> str | None:
    value: object = values
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
    return value  # type: ignore[return-value]


def _schema_name(dotted: str | None) -> str | None:
    """The GraphQL name of an argument path's last part: input.division_code -> divisionCode."""
    if dotted is None:
        return None
    first, *rest = dotted.rsplit(".", 1)[-1].split("_")
    return first + "".join(part.title() for part in rest)
