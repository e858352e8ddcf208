"""Things with a due time of their own (complaints, bad ratings): claimed in batches by the
worker and judged, each batch one transaction; several workers split the work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.rules.engine import record_raised
from tenancy.db import Database
from tenancy.scope import Scope

# given the claimed ids, the warnings to raise (rows of Warning's columns)
Judge = Callable[[AsyncSession, list[int]], Awaitable[list[dict]]]


async def raise_when_due(
    *,
    database: Database,
    scope: Scope,
    due: Select,
    id_column,
    judge: Judge,
    now: datetime,
    batch: int,
) -> int:
    """Claim the ids `due` selects, in id order and batches (rows another worker holds are
    skipped on PostgreSQL), raise what `judge` finds; the number of warnings raised."""
    raised_count, last_id = 0, 0
    while True:
        claim = due.where(id_column > last_id).order_by(id_column).limit(batch)
        if database.is_postgres:
            claim = claim.with_for_update(skip_locked=True, of=id_column.table)
        async with database.session(scope) as session:
            ids = list(await session.scalars(claim))
            if not ids:
                break
            raised = await judge(session, ids)
            await record_raised(session=session, raised=raised, now=now)
            await session.commit()
        raised_count += len(raised)
        last_id = ids[-1]
        if len(ids) < batch:
            break
    return raised_count
