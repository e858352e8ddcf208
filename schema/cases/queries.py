"""Queries on cases and the ledger."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Annotated

import strawberry

from schema.cases.types import Case, CaseState
from schema.context import Info
from schema.errors import CodedError, checked_division_code
from schema.pagination import Connection, connection, database_id, decode_cursor, page_size
from schema.permissions import can
from supervision.cases import ledger, queries
from supervision.cases.models import CaseState as StateValue
from tenancy.scope import Scope


@strawberry.enum(description="What cases are listed by (then by id).")
class CaseOrderField(enum.Enum):
    LAST_EVENT_AT = "LAST_EVENT_AT"
    NUMBER = "NUMBER"
    ACCEPTED_AT = "ACCEPTED_AT"
    DUE_AT = "DUE_AT"


@strawberry.input
class CaseOrder:
    field: CaseOrderField = CaseOrderField.LAST_EVENT_AT
    descending: bool = True


@strawberry.input
class CaseFilter:
    division_code: str | None = strawberry.field(
        default=None, description="This division and below."
    )
    department_code: str | None = None
    power_code: str | None = None
    state: CaseState | None = None
    overdue: bool | None = strawberry.field(
        default=None, description="Late against the promised limit."
    )
    due_before: datetime | None = None
    accepted_from: datetime | None = None
    accepted_to: datetime | None = None

    def to_domain(self) -> queries.CaseFilter:
        if self.division_code is not None:
            checked_division_code(self.division_code)
        return queries.CaseFilter(
            division_code=self.division_code,
            department_code=self.department_code,
            power_code=self.power_code,
            state=StateValue(self.state) if self.state else None,
            overdue=self.overdue,
            due_before=self.due_before,
            accepted_from=self.accepted_from,
            accepted_to=self.accepted_to,
        )


@strawberry.type(description="The answer of verifyLedger: ok, or the first broken link.")
class LedgerVerification:
    ok: bool
    checked: int = strawberry.field(description="Entries checked in the period asked.")
    chain: str | None
    seq: int | None
    event_id: str | None
    reason: str | None


def _cursor_key(order: str, row) -> str:
    value = getattr(row, queries.ORDERS[order].key)
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    return f"{text}|{row.id}"


def _after(order: str, cursor: str | None) -> tuple | None:
    key = decode_cursor(cursor)
    if key is None:
        return None
    value, _, row_id = key.rpartition("|")
    if database_id(row_id) is None:
        raise CodedError("the cursor is not one this server made", "INVALID_CURSOR")
    if order in ("LAST_EVENT_AT", "ACCEPTED_AT", "DUE_AT"):
        try:
            return datetime.fromisoformat(value), int(row_id)
        except ValueError:
            raise CodedError("the cursor is not one this server made", "INVALID_CURSOR") from None
    return value, int(row_id)


@strawberry.type
class CaseQueries:
    @strawberry.field(
        description="办件 by number, in the caller's part of the tree.",
        permission_classes=[can("case", "read")],
    )
    async def case(self, info: Info, number: str) -> Case | None:
        row = await info.context.db(
            queries.get_case, number=number.strip(), scope=info.context.scope_for("case", "read")
        )
        return Case.from_row(row) if row else None

    @strawberry.field(
        description="Cases in the caller's part of the tree.",
        permission_classes=[can("case", "read", division_arg="filter.division_code")],
    )
    async def cases(
        self,
        info: Info,
        filter: CaseFilter | None = None,
        order_by: CaseOrder | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Case]:
        order = order_by or CaseOrder()
        limit = page_size(first)
        rows, total = await info.context.db(
            queries.list_cases,
            scope=info.context.scope_for("case", "read"),
            flt=(filter or CaseFilter()).to_domain(),
            order=order.field.value,
            descending=order.descending,
            after=_after(order.field.value, after),
            limit=limit + 1,
            now=datetime.now(UTC),
        )
        return connection(
            rows,
            total=total,
            limit=limit,
            key=lambda r: _cursor_key(order.field.value, r),
            node=Case.from_row,
        )

    @strawberry.field(
        description="Check the hash chains under a division: ok, or the first broken link.",
        permission_classes=[can("ledger", "verify", division_arg="division_code")],
    )
    async def verify_ledger(
        self,
        info: Info,
        division_code: str,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
    ) -> LedgerVerification:
        checked_division_code(division_code)
        # A chain spans a whole district; its links are checked against each other,
        # so the walk sees every entry (it answers only ok or where it broke).
        async with info.context.database.session(Scope.bypass("ledger verification")) as session:
            result = await ledger.verify(
                session=session, division_code=division_code, occurred_from=from_, occurred_to=to
            )
        return LedgerVerification(
            ok=result.ok,
            checked=result.checked,
            chain=result.chain,
            seq=result.seq,
            event_id=result.event_id,
            reason=result.reason,
        )
