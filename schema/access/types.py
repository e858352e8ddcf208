"""GraphQL types for the caller and their grants."""

from __future__ import annotations

import enum

import strawberry

from policies.roles import Role as RoleValue
from schema.context import Info
from schema.divisions.types import Division
from schema.errors import UserError

Role = strawberry.enum(
    enum.Enum("Role", {r.name: r.value for r in RoleValue}),
    description="A role a grant gives, within the subtree of its division.",
)


@strawberry.type(description="A role held at a division, reaching everything below it.")
class Grant:
    subject: str
    role: Role
    division_code: str

    @strawberry.field
    async def division(self, info: Info) -> Division | None:
        row = await info.context.loaders.division.load(self.division_code)
        return Division.from_row(row) if row else None


@strawberry.type(description="The caller, as the server sees them.")
class Me:
    subject: str | None = strawberry.field(description="Null for an anonymous caller.")
    kind: str = strawberry.field(description="ANONYMOUS, PERSON or SERVICE.")
    grants: list[Grant]

    @strawberry.field
    def anonymous(self) -> bool:
        return self.subject is None


@strawberry.type
class GrantRolePayload:
    grant: Grant


@strawberry.type
class RevokeRolePayload:
    subject: str
    role: Role
    division_code: str


@strawberry.type
class UnknownDivision(UserError):
    """No division has this code."""
