"""Queries on the division tree."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.divisions.types import Division
from schema.errors import checked_division_code
from schema.pagination import Connection, connection, decode_cursor, page_size
from schema.permissions import can
from tenancy import divisions


@strawberry.type
class DivisionQueries:
    @strawberry.field(
        description="The children of a division (the cities when parentCode is null).",
        permission_classes=[can("division", "read")],
    )
    async def divisions(
        self,
        info: Info,
        parent_code: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Division]:
        if parent_code is not None:
            checked_division_code(parent_code)
        limit = page_size(first)
        rows, total = await info.context.db(
            divisions.list_divisions,
            parent_code=parent_code,
            after_code=decode_cursor(after),
            limit=limit + 1,
        )
        return connection(
            rows, total=total, limit=limit, key=lambda r: r.code, node=Division.from_row
        )

    @strawberry.field(
        description="One division by its 12-digit code.",
        permission_classes=[can("division", "read")],
    )
    async def division(self, info: Info, code: str) -> Division | None:
        row = await info.context.loaders.division.load(checked_division_code(code))
        return Division.from_row(row) if row else None
