"""GraphQL types of departments, posts and officers."""

from __future__ import annotations

from collections.abc import Iterable

import strawberry
from strawberry import relay

from schema.context import Info
from schema.divisions.types import Division
from schema.pagination import database_id
from supervision.organisation import Department as DepartmentRow
from supervision.organisation import Officer as OfficerRow
from supervision.organisation import Post as PostRow


@strawberry.type(description="部门: a department holding powers in one division.")
class Department(relay.Node):
    key: relay.NodeID[int]
    code: str = strawberry.field(description="统一社会信用代码 (18 characters).")
    name: str
    kind: str = strawberry.field(description="Stable key of the department's function.")
    division_code: str

    @classmethod
    def from_row(cls, row: DepartmentRow) -> Department:
        return cls(
            key=row.id,
            code=row.code,
            name=row.name,
            kind=row.kind,
            division_code=row.division_code,
        )

    @strawberry.field
    async def division(self, info: Info) -> Division:
        return Division.from_row(await info.context.loaders.division.load(self.division_code))

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Department | None]:
        ids = [database_id(i) or -1 for i in node_ids]
        rows = await info.context.loaders.department.load_many(ids)
        return [Department.from_row(row) if row else None for row in rows]


@strawberry.type(description="岗位: a post in a department.")
class Post:
    id: int
    name: str
    department_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: PostRow) -> Post:
        return cls(id=row.id, name=row.name, department_id=row.department_id)

    @strawberry.field
    async def department(self, info: Info) -> Department:
        row = await info.context.loaders.department.load(self.department_id)
        return Department.from_row(row)


@strawberry.type(description="工作人员: an officer. Visible only inside the caller's scope.")
class Officer:
    id: int
    staff_number: str
    name: str
    phone: str | None
    division_code: str
    department_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: OfficerRow) -> Officer:
        return cls(
            id=row.id,
            staff_number=row.staff_number,
            name=row.name,
            phone=row.phone,
            division_code=row.division_code,
            department_id=row.department_id,
        )

    @strawberry.field
    async def department(self, info: Info) -> Department:
        row = await info.context.loaders.department.load(self.department_id)
        return Department.from_row(row)

    @strawberry.field
    async def division(self, info: Info) -> Division:
        return Division.from_row(await info.context.loaders.division.load(self.division_code))

    @strawberry.field
    async def posts(self, info: Info) -> list[Post]:
        rows = await info.context.loaders.posts_of_officer.load(self.id)
        return [Post.from_row(row) for row in rows]
