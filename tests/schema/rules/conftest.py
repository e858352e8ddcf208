# the case-reporting fixtures, shared with the cases tests
import asyncio

import pytest

from policies import grants
from policies.models import AccountKind
from tenancy.scope import Scope
from tests.schema.cases.conftest import case_number, event, licensing_power  # noqa: F401


@pytest.fixture
def granted(database, services):
    """await granted(subject, role, division) -> the subject holds the role, seen by the app."""

    async def grant(subject: str, role: str, division_code: str) -> str:
        async with database.session(Scope.bypass("test: grant a role")) as session:
            await grants.ensure_account(
                session=session, subject=subject, kind=AccountKind.PERSON, display_name=subject
            )
            await grants.grant_role(
                session=session, subject=subject, role=role, division_code=division_code
            )
            await session.commit()
        for _ in range(200):  # the policy poll brings the grant to the app
            held = services.policy.authorizer.grants_of(subject)
            if any((g.role, g.division_code) == (role, division_code) for g in held):
                return subject
            await asyncio.sleep(0.02)
        raise AssertionError(f"{subject} never got {role}")

    return grant
