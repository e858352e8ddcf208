"""Demo accounts for the demo city, so every role can be tried at once."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from policies import grants
from policies.models import AccountKind

# (subject, kind, display name, role, division)
DEMO_GRANTS = [
    ("demo-admin", AccountKind.PERSON, "市效能办管理员", "admin", "370200000000"),
    (
        "demo-supervisor",
        AccountKind.PERSON,
        "市纪委监委监察员",
        "supervisor",
        "370200000000",
    ),
    (
        "demo-inspector",
        AccountKind.PERSON,
        "市南区纪委监委监察员",
        "inspector",
        "370202000000",
    ),
    (
        "demo-officer",
        AccountKind.PERSON,
        "香港中路街道工作人员",
        "officer",
        "370202001000",
    ),
    (
        "demo-catalogue",
        AccountKind.PERSON,
        "市审改办",
        "catalogue_admin",
        "370200000000",
    ),
    (
        "demo-approval-system",
        AccountKind.SERVICE,
        "市行政审批系统",
        "system",
        "370200000000",
    ),
    (
        "demo-huangdao-platform",
        AccountKind.SERVICE,
        "黄岛区电子监察平台",
        "platform",
        "370211000000",
    ),
]


async def seed_demo_grants(*, session: AsyncSession) -> int:
    """Give each demo account its grant; idempotent."""
    for subject, kind, name, role, division in DEMO_GRANTS:
        await grants.ensure_account(session=session, subject=subject, kind=kind, display_name=name)
        await grants.grant_role(session=session, subject=subject, role=role, division_code=division)
    return len(DEMO_GRANTS)
