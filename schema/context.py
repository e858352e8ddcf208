"""The typed context of one GraphQL request, and the state of each operation.

A WebSocket connection keeps one Context for all its operations, which may run
at the same time; so the database session and the DataLoaders belong to the
operation (a ContextVar set when it starts), not to the Context.
"""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.exc import IllegalStateChangeError
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info as _Info
from strawberry.types.graphql import OperationType

from policies.enforcer import Authorizer
from policies.sync import PolicySync
from tenancy.db import Database
from tenancy.scope import Scope

if TYPE_CHECKING:
    from schema.dataloaders import Loaders

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking: the verified subject (None: anonymous) and its kind."""

    subject: str | None
    kind: str


class Operation:
    """One operation's session (opened on first use) and loaders."""

    def __init__(self, context: Context, execution) -> None:
        self._context = context
        self._execution = execution
        self._session: AsyncSession | None = None
        self._loaders: Loaders | None = None
        # Root fields of a query run concurrently; an AsyncSession runs one statement
        # at a time. Every use of the session takes this lock (loaders too).
        self.lock = asyncio.Lock()

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            writes = self._execution.operation_type is OperationType.MUTATION
            self._session = self._context.database.session(
                self._context.scope, read_only=not writes
            )
        return self._session

    @property
    def loaders(self) -> Loaders:
        if self._loaders is None:
            from schema.dataloaders import Loaders

            self._loaders = Loaders(self.session, self.lock)
        return self._loaders

    async def close(self) -> None:
        if self._session is None:
            return
        for _ in range(50):
            try:
                await self._session.close()
                return
            except IllegalStateChangeError:
                # graphql-core may finish an operation on the first error while a
                # sibling resolver is still inside the session; let it get out first.
                await asyncio.sleep(0.01)
        log.error("a GraphQL operation's session could not be closed")


_operation: ContextVar[Operation | None] = ContextVar("yangguang_operation", default=None)


@dataclass
class Context:
    caller: Caller
    database: Database
    policy: PolicySync
    stream: object = None  # supervision.live stream: where live updates are read
    relay: object = None  # supervision.live.Relay: told when facts were committed
    connection_params: dict | None = None
    ledger_keys: object = None  # supervision.publication.signing.LedgerKeys
    prod: bool = False  # production: stricter input checks (webhooks: https only)
    rating_secret: bytes | None = field(
        default=None, repr=False
    )  # the key of 好差评 rating codes (supervision/ratings)

    @property
    def authorizer(self) -> Authorizer:
        """The policies in force now (they are swapped whole when they change)."""
        return self.policy.authorizer

    @property
    def scope(self) -> Scope:
        return self.authorizer.scope_for(self.caller.subject)

    def begin_operation(self, execution) -> Token:
        """Start an operation's state; resolvers started after this share it."""
        return _operation.set(Operation(self, execution))

    @staticmethod
    async def end_operation(token: Token) -> None:
        operation = _operation.get()
        _operation.reset(token)
        if operation is not None:
            await operation.close()

    @property
    def _current(self) -> Operation:
        operation = _operation.get()
        if operation is None:
            raise RuntimeError("no GraphQL operation is running")
        return operation

    @property
    def session(self) -> AsyncSession:
        """The operation's session, opened on first use with the caller's scope.

        Mutations (run one at a time) use it directly; queries go through `db`.
        """
        return self._current.session

    async def db(self, fetch, /, **kwargs):
        """Run a service function on the operation's session, one at a time."""
        operation = self._current
        async with operation.lock:
            return await fetch(session=operation.session, **kwargs)

    def scope_for(self, obj: str, act: str) -> Scope:
        """The part of the tree where the caller may `act` on `obj`."""
        return self.authorizer.scope_for(self.caller.subject, obj, act)

    @property
    def loaders(self) -> Loaders:
        return self._current.loaders

    def allowed(self, obj: str, act: str, division_code: str | None = None) -> bool:
        return self.authorizer.allowed(self.caller.subject, obj, act, division_code)


Info = _Info[Context, None]
