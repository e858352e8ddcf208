"""Running one catalogue change: commit it, or roll back and answer a typed error."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from schema.catalogue.errors import REFUSALS, DuplicateCode, user_error
from schema.catalogue.types import Power
from schema.context import Info
from schema.errors import UserError
from supervision.catalogue.codes import division_of


@strawberry.type
class PowerPayload:
    power: Power


@strawberry.type
class PowersPayload:
    powers: list[Power]


def code_division(kwargs: dict) -> list[str | None]:
    """For permissions: the division a `code` argument names."""
    return [division_of(kwargs["code"].strip())]


async def commit_change(info: Info, change: Callable[[AsyncSession], Awaitable[object]]):
    """The change's result after commit, or the typed error it was refused with."""
    session = info.context.session
    try:
        result = await change(session)
    except REFUSALS as exc:
        await session.rollback()
        return user_error(exc)
    except IntegrityError:  # a concurrent writer took the code first
        await session.rollback()
        return DuplicateCode(code="DUPLICATE_CODE", message="a power with this code exists")
    except BaseException:
        await session.rollback()
        raise
    await session.commit()
    return result


def payload(result: object) -> PowerPayload | UserError:
    if isinstance(result, UserError):
        return result
    return PowerPayload(power=Power.from_row(result))


def actor(info: Info) -> str:
    return info.context.caller.subject or "anonymous"
