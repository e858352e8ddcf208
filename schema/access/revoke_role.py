"""revokeRole: take a grant away (admins, within their subtree)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from policies import grants
from schema.access.types import RevokeRolePayload, Role
from schema.context import Info
from schema.errors import InvalidInput, NotFound, NotPermitted
from schema.permissions import permitted

RevokeRoleResult = Annotated[
    RevokeRolePayload | NotPermitted | InvalidInput | NotFound,
    strawberry.union("RevokeRoleResult"),
]


@strawberry.type
class RevokeRoleMutation:
    @strawberry.mutation(description="Take a role at a division away from a subject.")
    @permitted("grant", "manage", division_arg="division_code")
    async def revoke_role(
        self, info: Info, subject: str, role: Role, division_code: str
    ) -> RevokeRoleResult:
        session = info.context.session
        try:
            await grants.revoke_role(
                session=session,
                subject=subject,
                role=role.value,
                division_code=division_code,
            )
        except grants.GrantNotFound as exc:
            await session.rollback()
            return NotFound(code=exc.code, message=str(exc))
        await session.commit()
        await info.context.policy.announce()
        return RevokeRolePayload(subject=subject, role=role, division_code=division_code)
