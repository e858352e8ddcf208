"""Queries on departments and officers."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import checked_division_code
from schema.organisation.types import Officer
from schema.pagination import Connection, connection, decode_int_cursor, page_size
from schema.permissions import can
from supervision import organisation


@strawberry.type
class OrganisationQueries:
    @strawberry.field(
        description="工作人员: officers in the caller's part of the tree.",
        permission_classes=[can("officer", "read", division_arg="division_code")],
    )
    async def officers(
        self,
        info: Info,
        division_code: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Officer]:
        if division_code is not None:
            checked_division_code(division_code)
        limit = page_size(first)
        rows, total = await info.context.db(
            organisation.list_officers,
            scope=info.context.scope_for("officer", "read"),
            division_code=division_code,
            after_id=decode_int_cursor(after),
            limit=limit + 1,
        )
        return connection(rows, total=total, limit=limit, key=lambda r: r.id, node=Officer.from_row)
