"""Queries on warnings."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.context import Info
from schema.errors import checked_division_code
from schema.pagination import Connection, connection, decode_int_cursor, page_size
from schema.permissions import can
from schema.rules.types import Card, CardLevel, Warning, WarningLevel, WarningStatus
from supervision.rules import queries
from supervision.rules.models import CardLevel as CardLevelValue
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
    department_code: str | None = strawberry.field(
        default=None, description="The department of the case."
    )
    attention_division_code: str | None = strawberry.field(
        default=None,
        description="Asking exactly this division to act (escalated ones: the tier above).",
    )

    def to_domain(self) -> queries.WarningFilter:
        if self.division_code is not None:
            checked_division_code(self.division_code)
        if self.attention_division_code is not None:
            checked_division_code(self.attention_division_code)
        return queries.WarningFilter(
            division_code=self.division_code,
            level=LevelValue(self.level) if self.level else None,
            status=StatusValue(self.status) if self.status else None,
            rule_kind=self.rule_kind,
            raised_from=self.raised_from,
            raised_to=self.raised_to,
            department_code=(self.department_code or "").strip() or None,
            attention_code=self.attention_division_code,
        )


@strawberry.input
class CardFilter:
    division_code: str | None = strawberry.field(
        default=None, description="This division and below."
    )
    department_code: str | None = None
    level: CardLevel | None = None
    issued_from: datetime | None = None
    issued_to: datetime | None = None

    def to_domain(self) -> queries.CardFilter:
        if self.division_code is not None:
            checked_division_code(self.division_code)
        return queries.CardFilter(
            division_code=self.division_code,
            department_code=(self.department_code or "").strip() or None,
            level=CardLevelValue(self.level) if self.level else None,
            issued_from=self.issued_from,
            issued_to=self.issued_to,
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

    @strawberry.field(
        description="预警 by id, in the caller's part of the tree.",
        permission_classes=[can("warning", "read")],
    )
    async def warning(self, info: Info, id: int) -> Warning | None:
        row = await info.context.db(
            queries.get_warning, warning_id=id, scope=info.context.scope_for("warning", "read")
        )
        return Warning.from_row(row) if row else None

    @strawberry.field(
        description="黄牌 / 红牌 issued in the caller's part of the tree, newest first "
        "(for monthly reports).",
        permission_classes=[can("warning", "read", division_arg="filter.division_code")],
    )
    async def cards(
        self,
        info: Info,
        filter: CardFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Card]:
        limit = page_size(first)
        rows, total = await info.context.db(
            queries.list_cards,
            scope=info.context.scope_for("warning", "read"),
            flt=(filter or CardFilter()).to_domain(),
            after_id=decode_int_cursor(after),
            limit=limit + 1,
        )
        return connection(rows, total=total, limit=limit, key=lambda r: r.id, node=Card.from_row)
