"""Demo handling: what a year of supervision leaves behind — warnings confirmed, dismissed,
carded and rectified — so the demo city looks like the seeds' monthly reports.

Every step goes through the handling service, so it is in the ledger like a real one.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.rules import handling
from supervision.rules.models import CardLevel, Warning, WarningLevel, WarningStatus
from tenancy.scope import Scope

INSPECTOR = "demo-inspector"
SUPERVISOR = "demo-supervisor"
DEPARTMENT = "demo-department-head"
MAX_HANDLED = 1_500  # enough to fill the reports; the rest stays open, as in life
DISMISSALS = (
    "经核实，申请人主动要求延期，已提供书面材料",
    "系统对接延迟导致数据迟报，实际按时办结",
    "经核查属于法定特殊情形，不计入办理时限",
)
CONFIRMATIONS = ("经核实，预警属实", "调阅办件留痕，确认存在问题")


async def seed_demo_handling(
    *,
    session: AsyncSession,
    now: datetime,
    seed: int = 20_251_001,
    case_numbers: Collection[str] | None = None,
    progress: Callable[[int], None] = lambda _n: None,
) -> int:
    """Handle a share of the open warnings (of these cases) raised a week or more before `now`.

    The number of warnings handled; run once, right after the demo cases. The caller commits.
    """
    scope = Scope.bypass("demo handling")
    query = select(Warning.id, Warning.level, Warning.raised_at).where(
        Warning.status == WarningStatus.OPEN, Warning.raised_at <= now - timedelta(days=7)
    )
    if case_numbers is not None:
        query = query.where(Warning.case_number.in_(list(case_numbers)))
    rows = list(await session.execute(query.order_by(Warning.id)))
    rng = random.Random(seed)
    chosen = sorted(rng.sample(rows, min(len(rows), MAX_HANDLED)), key=lambda r: r[0])
    handled = 0
    for warning_id, level, raised_at in chosen:
        roll = rng.random()
        if roll < 0.3:
            continue  # still open: nobody has looked yet
        at = raised_at + timedelta(hours=rng.randint(2, 48))
        common = {"session": session, "warning_id": warning_id, "scope": scope}
        if roll < 0.45:
            await handling.dismiss_warning(
                **common, actor=INSPECTOR, reason=rng.choice(DISMISSALS), now=at
            )
        else:
            await handling.confirm_warning(
                **common, actor=INSPECTOR, note=rng.choice(CONFIRMATIONS), now=at
            )
            await _act_on(common, level, at, rng)
        handled += 1
        progress(1)
    return handled


async def _act_on(common: dict, level: WarningLevel, at: datetime, rng: random.Random) -> None:
    """After confirmation: a card for the serious, rectification for most, closure for some."""
    if level is not WarningLevel.BLUE and rng.random() < 0.35:
        card = (
            CardLevel.RED if level is WarningLevel.RED and rng.random() < 0.4 else CardLevel.YELLOW
        )
        await handling.issue_card(
            **common,
            actor=SUPERVISOR,
            level=card,
            reason="确认违规，按效能问责办法亮牌",
            now=at + timedelta(hours=1),
        )
    if rng.random() < 0.3:
        await handling.close_warning(
            **common, actor=SUPERVISOR, note="已批评教育，无需整改", now=at + timedelta(hours=2)
        )
        return
    deadline = at + timedelta(days=10)
    await handling.order_rectification(
        **common,
        actor=SUPERVISOR,
        deadline=deadline,
        instructions="限期整改，提交整改报告",
        now=at + timedelta(hours=2),
    )
    if rng.random() < 0.25:
        return  # rectification under way
    submitted = at + timedelta(days=rng.randint(3, 9))
    await handling.submit_rectification(
        **common, actor=DEPARTMENT, note="已完成整改，完善内部审批流程", now=submitted
    )
    if rng.random() < 0.2:
        return  # awaiting verification
    await handling.verify_rectification(
        **common, actor=SUPERVISOR, note="整改到位，验收通过", now=submitted + timedelta(days=1)
    )
