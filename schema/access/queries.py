"""Who am I?"""

from __future__ import annotations

import strawberry

from schema.access.types import Grant, Me, Role
from schema.context import Info


@strawberry.type
class AccessQueries:
    @strawberry.field(description="The caller and the grants this server knows for them.")
    def me(self, info: Info) -> Me:
        caller = info.context.caller
        grants = info.context.authorizer.grants_of(caller.subject)
        return Me(
            subject=caller.subject,
            kind=caller.kind,
            grants=[
                Grant(subject=g.subject, role=Role(g.role), division_code=g.division_code)
                for g in grants
            ],
        )
