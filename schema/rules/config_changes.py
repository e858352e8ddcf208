"""Running one change to points or rules: commit it, or roll back and answer a typed error."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from schema.context import Info
from schema.errors import UserError
from schema.rules.config_types import MonitoringPoint, Rule, user_error
from supervision.rules.errors import REFUSALS


@strawberry.type
class MonitoringPointPayload:
    point: MonitoringPoint


@strawberry.type
class RulePayload:
    rule: Rule


async def commit_config(info: Info, change: Callable[[AsyncSession], Awaitable[object]]):
    """The change's result after commit, or the typed error it was refused with."""
    session = info.context.session
    try:
        result = await change(session)
    except REFUSALS as exc:
        await session.rollback()
        return user_error(exc)
    except BaseException:
        await session.rollback()
        raise
    await session.commit()
    return result


def point_payload(result: object) -> MonitoringPointPayload | UserError:
    if isinstance(result, UserError):
        return result
    return MonitoringPointPayload(point=MonitoringPoint.from_row(result))


def rule_payload(result: object) -> RulePayload | UserError:
    if isinstance(result, UserError):
        return result
    return RulePayload(rule=Rule.from_row(result))


def actor(info: Info) -> str:
    return info.context.caller.subject or "anonymous"
