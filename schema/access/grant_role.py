"""grantRole: give a subject a role at a division (admins, within their subtree)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from policies import grants
from policies.models import AccountKind
from schema.access.types import Grant, GrantRolePayload, Role, UnknownDivision
from schema.context import Info
from schema.errors import InvalidInput, NotPermitted
from schema.permissions import permitted

GrantRoleResult = Annotated[
    GrantRolePayload | NotPermitted | InvalidInput | UnknownDivision,
    strawberry.union("GrantRoleResult"),
]


@strawberry.input
class GrantRoleInput:
    subject: str
    role: Role
    division_code: str
    display_name: str | None = None
    service_account: bool = strawberry.field(
        default=False, description="A business system or lower-tier platform."
    )


@strawberry.type
class GrantRoleMutation:
    @strawberry.mutation(description="Give a subject a role at a division; idempotent.")
    @permitted("grant", "manage", division_arg="input.division_code")
    async def grant_role(self, info: Info, input: GrantRoleInput) -> GrantRoleResult:
        subject = input.subject.strip()
        if not subject or len(subject) > 200:
            return InvalidInput(
                code="INVALID_SUBJECT",
                message="subject: 1 to 200 characters",
                field="subject",
            )
        if input.display_name is not None and len(input.display_name) > 200:
            return InvalidInput(
                code="TOO_LONG", message="displayName: at most 200 characters", field="displayName"
            )
        session = info.context.session
        try:
            await grants.ensure_account(
                session=session,
                subject=subject,
                kind=AccountKind.SERVICE if input.service_account else AccountKind.PERSON,
                display_name=input.display_name or subject,
            )
            grant = await grants.grant_role(
                session=session,
                subject=subject,
                role=input.role.value,
                division_code=input.division_code,
            )
        except grants.UnknownDivision as exc:
            await session.rollback()
            return UnknownDivision(code=exc.code, message=str(exc), field="divisionCode")
        except grants.UnknownRole as exc:
            await session.rollback()
            return InvalidInput(code=exc.code, message=str(exc), field="role")
        await session.commit()
        await info.context.policy.announce()
        return GrantRolePayload(
            grant=Grant(
                subject=grant.subject,
                role=Role(grant.role),
                division_code=grant.division_code,
            )
        )
