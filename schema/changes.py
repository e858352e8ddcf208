"""Telling the caches that data changed: after a mutation whose writes were committed, on
any transport. A mutation refused or changing nothing keeps the cached answers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

Hook = Callable[[], Awaitable[None]]

_WROTE = "wrote"  # session.info: a write since the transaction began
# The operation's record of committed writes: one mutable dict, shared with the tasks its
# resolvers run in (they copy the context, and so share the dict).
_committed: ContextVar[dict | None] = ContextVar("committed_writes", default=None)


@event.listens_for(Session, "do_orm_execute")
def _statement(state: ORMExecuteState) -> None:
    if not state.is_select:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "after_commit")
def _commit(session: Session) -> None:
    if session.info.pop(_WROTE, False) and (record := _committed.get()) is not None:
        record["changed"] = True


@event.listens_for(Session, "after_soft_rollback")
def _rollback(session: Session, _previous) -> None:
    session.info.pop(_WROTE, None)


class DataChanged(SchemaExtension):
    """Calls `hook` once a mutation has executed and committed a write (in any session it
    opened), before the answer goes out: a client that reads next sees the change."""

    def __init__(self, *, hook: Hook) -> None:
        self.hook = hook

    async def on_execute(self) -> AsyncIterator[None]:
        if self.execution_context.operation_type is not OperationType.MUTATION:
            yield
            return
        record = {"changed": False}
        token = _committed.set(record)
        try:
            yield
        finally:
            _committed.reset(token)
        if record["changed"]:
            await self.hook()
