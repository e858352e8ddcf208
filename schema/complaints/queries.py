"""Queries on complaints: one by its tracking code (anyone holding it), and the handlers'
list inside their part of the tree."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.complaints.types import Complaint, ComplaintStatus, PublicComplaint
from schema.context import Info
from schema.errors import checked_division_code
from schema.pagination import Connection, connection, decode_int_cursor, page_size
from schema.permissions import can
from supervision.complaints import queries
from supervision.complaints.models import ComplaintStatus as StatusValue


@strawberry.input(description="Which complaints: every field narrows.")
class ComplaintFilter:
    division_code: str | None = strawberry.field(
        default=None, description="This division and below."
    )
    status: ComplaintStatus | None = None
    department_code: str | None = strawberry.field(
        default=None, description="The department complained about."
    )
    from_: datetime | None = strawberry.field(
        default=None, name="from", description="Filed at or after (inclusive)."
    )
    to: datetime | None = strawberry.field(default=None, description="Filed before (exclusive).")

    def to_domain(self) -> queries.ComplaintFilter:
        if self.division_code is not None:
            checked_division_code(self.division_code)
        return queries.ComplaintFilter(
            division_code=self.division_code,
            status=StatusValue(self.status) if self.status else None,
            department_code=(self.department_code or "").strip() or None,
            submitted_from=self.from_,
            submitted_to=self.to,
        )


@strawberry.type
class ComplaintQueries:
    @strawberry.field(
        description="投诉查询: the complaint with this tracking code, as anyone holding the code "
        "may see it; null for a code that is no complaint's.",
        permission_classes=[can("complaint", "follow")],
    )
    async def complaint(self, info: Info, tracking_code: str) -> PublicComplaint | None:
        database = info.context.database
        async with database.session(queries.FOLLOW_SCOPE, read_only=True) as session:
            view = await queries.follow_complaint(session=session, tracking_code=tracking_code)
        return PublicComplaint.from_view(view) if view else None

    @strawberry.field(
        description="投诉 in the caller's part of the tree, newest first; the complainant "
        "shown in full only where the caller may handle complaints.",
        permission_classes=[can("complaint", "read", division_arg="filter.division_code")],
    )
    async def complaints(
        self,
        info: Info,
        filter: ComplaintFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Complaint]:
        limit = page_size(first)
        rows, total = await info.context.db(
            queries.list_complaints,
            scope=info.context.scope_for("complaint", "read"),
            reveal=info.context.scope_for("complaint", "handle"),
            flt=(filter or ComplaintFilter()).to_domain(),
            after_id=decode_int_cursor(after),
            limit=limit + 1,
        )
        return connection(
            rows,
            total=total,
            limit=limit,
            key=lambda r: r.complaint.id,
            node=Complaint.from_record,
        )
