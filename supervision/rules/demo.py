"""Default monitoring points for the demo city: every built-in kind, city-wide.

The time-driven kinds (OVERDUE, NEAR_DEADLINE, NODE_OVERDUE, SUSPENSION_TOO_LONG) are among
them, so the worker has work; an unhandled BLUE warning rises after a day, a YELLOW one after
two (RED is the top).
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.rules.kinds import KINDS, RuleKind
from supervision.rules.models import MonitoringPoint, Rule, WarningLevel

CITY = "370200000000"
LEVELS = {
    RuleKind.OVERDUE: WarningLevel.RED,
    RuleKind.NEAR_DEADLINE: WarningLevel.BLUE,
    RuleKind.NODE_OVERDUE: WarningLevel.YELLOW,
    RuleKind.REPEATED_SUPPLEMENT: WarningLevel.YELLOW,
    RuleKind.RETURNED: WarningLevel.BLUE,
    RuleKind.SUSPENSION_TOO_LONG: WarningLevel.YELLOW,
    RuleKind.KEY_DATA_MISSING: WarningLevel.YELLOW,
    RuleKind.PROCEDURE_OUT_OF_ORDER: WarningLevel.RED,
    RuleKind.FEE_OUT_OF_STANDARD: WarningLevel.RED,
    RuleKind.PENALTY_OUT_OF_RANGE: WarningLevel.RED,
    RuleKind.ON_THE_SPOT_NOT_ON_THE_SPOT: WarningLevel.YELLOW,
    RuleKind.SAME_OFFICER_ACCEPTS_AND_DECIDES: WarningLevel.YELLOW,
    RuleKind.RESULT_NOT_PUBLISHED: WarningLevel.YELLOW,
    RuleKind.RATING_NOT_RECTIFIED: WarningLevel.YELLOW,
    RuleKind.COMPLAINT_OVERDUE: WarningLevel.YELLOW,
}
ESCALATE_AFTER_HOURS = {WarningLevel.BLUE: 24, WarningLevel.YELLOW: 48, WarningLevel.RED: None}


async def seed_default_rules(*, session: AsyncSession, owner: str = "demo-supervisor") -> int:
    """One city-wide point with a rule of each kind, unless points exist; rules written."""
    if await session.scalar(select(MonitoringPoint.id).limit(1)) is not None:
        return 0
    point = MonitoringPoint(name="青岛市通用监察点", division_code=CITY, created_by=owner)
    session.add(point)
    await session.flush()
    await session.execute(
        insert(Rule),
        [
            {
                "point_id": point.id,
                "kind": kind.value,
                "params": KINDS[kind].defaults,
                "level": level,
                "legal_basis": KINDS[kind].basis,
                "owner": owner,
                "escalate_after_hours": ESCALATE_AFTER_HOURS[level],
            }
            for kind, level in LEVELS.items()
        ],
    )
    return len(LEVELS)
