"""Queries on warnings."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.context import Info
from schema.errors import checked_division_code
from schema.pagination import Connection, connection, decode_int_cursor, page_size
from schema.permissions import can
from schema.rules.types import Warning, WarningLevel, WarningStatus
from supervision.rules import queries
from supervision.rules.models import WarningLevel as LevelValue
from supervision.rules.models import WarningStatus as StatusValue


@strawberry.input
class WarningFilter:
    division_code: str | None = strawberry.field(
        default=None, description="This division and below."
    )
    level: WarningLevel | None = None
    status: WarningStatus | None = None
    rule_kind: str | None = None
    raised_from: datetime | None = None
    raised_to: datetime | None = None

    def to_domain(self) -> queries.WarningFilter:
        if self.division_code is not None:
            checked_division_code(self.division_code)
        return queries.WarningFilter(
            division_code=self.division_code,
            level=LevelValue(self.level) if self.level else None,
            status=StatusValue(self.status) if self.status else None,
            rule_kind=self.rule_kind,
            raised_from=self.raised_from,
            raised_to=self.raised_to,
        )


@strawberry.type
class WarningQueries:
    @strawberry.field(
        description="预警 in the caller's part of the tree, newest first.",
        permission_classes=[can("warning", "read", division_arg="filter.division_code")],
    )
    async def warnings(
        self,
        info: Info,
        filter: WarningFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Warning]:
        limit = page_size(first)
        rows, total = await info.context.db(
            queries.list_warnings,
            scope=info.context.scope_for("warning", "read"),
            flt=(filter or WarningFilter()).to_domain(),
            after_id=decode_int_cursor(after),
            limit=limit + 1,
        )
        return connection(rows, total=total, limit=limit, key=lambda r: r.id, node=Warning.from_row)
