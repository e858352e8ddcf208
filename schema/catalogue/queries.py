"""Queries on the catalogue of powers."""

from __future__ import annotations

import strawberry

from schema.catalogue.readers import readership
from schema.catalogue.types import Power, PowerCategory, PowerStatus
from schema.context import Info
from schema.errors import checked_division_code
from schema.pagination import Connection, connection, decode_int_cursor, page_size
from supervision.catalogue import queries
from supervision.catalogue.models import PowerStatus as StatusValue
from supervision.catalogue.spec import Category


@strawberry.input
class PowerFilter:
    division_code: str | None = strawberry.field(
        default=None, description="Powers of this division and the divisions below it."
    )
    applicable_to: str | None = strawberry.field(
        default=None, description="Powers exercised at this division or any division above it."
    )
    department_code: str | None = None
    category: PowerCategory | None = None
    status: PowerStatus | None = None
    search: str | None = strawberry.field(
        default=None, description="A fragment of the name, or the start of the code."
    )

    def to_domain(self) -> queries.PowerFilter:
        for code in (self.division_code, self.applicable_to):
            if code is not None:
                checked_division_code(code)
        return queries.PowerFilter(
            division_code=self.division_code,
            applicable_to=self.applicable_to,
            department_code=self.department_code,
            category=Category(self.category) if self.category else None,
            status=StatusValue(self.status) if self.status else None,
            search=self.search,
        )


@strawberry.type
class CatalogueQueries:
    @strawberry.field(
        description="权力清单: powers the caller may see (the public: published ones), by id."
    )
    async def powers(
        self,
        info: Info,
        filter: PowerFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Power]:
        limit = page_size(first)
        rows, total = await info.context.db(
            queries.list_powers,
            readership=readership(info),
            flt=(filter or PowerFilter()).to_domain(),
            after_id=decode_int_cursor(after),
            limit=limit + 1,
        )
        return connection(
            rows, total=total, limit=limit, key=lambda r: r[0], node=lambda r: Power.from_row(r[1])
        )

    @strawberry.field(description="A power by code: its current version, or the version asked.")
    async def power(self, info: Info, code: str, version: int | None = None) -> Power | None:
        row = await info.context.db(
            queries.get_power,
            readership=readership(info),
            code=code.strip(),
            version=version,
        )
        return Power.from_row(row) if row else None

    @strawberry.field(description="Every version of a power the caller may see, oldest first.")
    async def power_history(self, info: Info, code: str) -> list[Power]:
        rows = await info.context.db(
            queries.power_history, readership=readership(info), code=code.strip()
        )
        return [Power.from_row(row) for row in rows]
