"""GraphQL types of the division tree."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from schema.context import Info
from tenancy import codes
from tenancy.models import Division as DivisionRow

if TYPE_CHECKING:
    from schema.organisation.types import Department


@strawberry.enum(description="层级: the tier of a division.")
class Tier(enum.Enum):
    CITY = "CITY"
    DISTRICT = "DISTRICT"
    TOWN = "TOWN"
    VILLAGE = "VILLAGE"


@strawberry.type(description="行政区划: a city, district, town or village.")
class Division(relay.Node):
    key: relay.NodeID[str]
    code: str = strawberry.field(description="12-digit statistical division code.")
    name: str
    tier: Tier
    parent_code: str | None

    @classmethod
    def from_row(cls, row: DivisionRow) -> Division:
        return cls(
            key=row.code,
            code=row.code,
            name=row.name,
            tier=Tier(row.tier),
            parent_code=row.parent_code,
        )

    @strawberry.field(description="Codes from the city down to this division.")
    def path(self) -> list[str]:
        return codes.lineage(self.code)

    @strawberry.field(description="The tenant path: the lineage joined by '/'.")
    def tenant_path(self) -> str:
        return codes.tenant_path(self.code)

    @strawberry.field
    async def parent(self, info: Info) -> Division | None:
        if self.parent_code is None:
            return None
        row = await info.context.loaders.division.load(self.parent_code)
        return Division.from_row(row) if row else None

    @strawberry.field(description="The divisions one tier down, by code.")
    async def children(self, info: Info) -> list[Division]:
        rows = await info.context.loaders.children.load(self.code)
        return [Division.from_row(row) for row in rows]

    @strawberry.field(description="部门: departments of this division, by name.")
    async def departments(
        self, info: Info
    ) -> list[Annotated[Department, strawberry.lazy("schema.organisation.types")]]:
        from schema.organisation.types import Department

        rows = await info.context.loaders.departments_of_division.load(self.code)
        return [Department.from_row(row) for row in rows]

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Division | None]:
        rows = await info.context.loaders.division.load_many(list(node_ids))
        return [Division.from_row(row) if row else None for row in rows]
