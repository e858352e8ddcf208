"""The typed context of one GraphQL request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info as _Info

from policies.enforcer import Authorizer
from policies.sync import PolicySync
from tenancy.db import Database
from tenancy.scope import Scope

if TYPE_CHECKING:
    from schema.dataloaders import Loaders


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking: the verified subject (None: anonymous) and its kind."""

    subject: str | None
    kind: str


@dataclass
class Context:
    caller: Caller
    database: Database
    policy: PolicySync
    connection_params: dict | None = None
    _session: AsyncSession | None = None
    _loaders: Loaders | None = field(default=None)

    @property
    def authorizer(self) -> Authorizer:
        """The policies in force now (they are swapped whole when they change)."""
        return self.policy.authorizer

    @property
    def scope(self) -> Scope:
        return self.authorizer.scope_for(self.caller.subject)

    @property
    def session(self) -> AsyncSession:
        """The request's session, opened on first use with the caller's scope."""
        if self._session is None:
            self._session = self.database.session(self.scope)
        return self._session

    @property
    def loaders(self) -> Loaders:
        if self._loaders is None:
            from schema.dataloaders import Loaders

            self._loaders = Loaders(self.session)
        return self._loaders

    def allowed(self, obj: str, act: str, division_code: str | None = None) -> bool:
        return self.authorizer.allowed(self.caller.subject, obj, act, division_code)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


Info = _Info[Context, None]
