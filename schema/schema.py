"""The GraphQL schema: queries and mutations assembled from the domain modules."""

from __future__ import annotations

from collections.abc import AsyncIterator

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig

from schema.access.grant_role import GrantRoleMutation
from schema.access.queries import AccessQueries
from schema.access.revoke_role import RevokeRoleMutation
from schema.divisions.queries import DivisionQueries
from schema.limits import ErrorCodes, limit_extensions
from schema.node import NodeQueries
from schema.organisation.queries import OrganisationQueries


@strawberry.type
class Query(NodeQueries, AccessQueries, DivisionQueries, OrganisationQueries):
    pass


@strawberry.type
class Mutation(GrantRoleMutation, RevokeRoleMutation):
    pass


class CloseSession(SchemaExtension):
    """Gives the request's database session back when the operation ends."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        if hasattr(context, "close"):
            await context.close()


def build_schema(*, prod: bool = False) -> strawberry.Schema:
    """The schema; in production errors are masked and field suggestions are off."""
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=[CloseSession, *limit_extensions(), lambda: ErrorCodes(mask=prod)],
        config=StrawberryConfig(disable_field_suggestions=prod),
    )
