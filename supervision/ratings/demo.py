"""Demo ratings (好差评): a share of the decided demo cases rated by their applicants.

Deterministic per case number. Most applicants are 非常满意 or 满意 (the seeds quote a
satisfaction rate of 98.58%); a case decided late or rejected draws more bad ratings.
A bad rating opens its rectification as the service does (15 working days, by the legal
clock); most are called back within it, some late, some not yet, so RATING_NOT_RECTIFIED
has something to see once the worker passes.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.cases.calendar import current_calendar
from supervision.cases.clock import WorkCalendar
from supervision.cases.models import Case, CaseState
from supervision.cases.states import DECIDED
from supervision.organisation import Department
from supervision.ratings.models import Rating
from supervision.ratings.service import (
    BAD,
    Dimension,
    RatingLevel,
    RectificationStatus,
    rectification_due,
)

SHARE = 0.35  # of decided cases, rated (applicants rate when asked, not always)
CALLER = "demo-department-head"
L = RatingLevel
# (share below which, level): on time and approved / late or rejected
LEVELS = (
    (0.87, L.VERY_SATISFIED),
    (0.995, L.SATISFIED),
    (0.997, L.BASICALLY_SATISFIED),
    (0.9985, L.DISSATISFIED),
    (1.0, L.VERY_DISSATISFIED),
)
LEVELS_LATE = (
    (0.65, L.VERY_SATISFIED),
    (0.93, L.SATISFIED),
    (0.96, L.BASICALLY_SATISFIED),
    (0.985, L.DISSATISFIED),
    (1.0, L.VERY_DISSATISFIED),
)
PRAISE = (
    "办事效率高，服务热情",
    "材料一次性告知，少跑腿",
    "窗口人员耐心细致",
    "网上办理很方便",
    "",
)
BLAME = {
    Dimension.EFFICIENCY: "等了很久才办结，超过了承诺时限",
    Dimension.ATTITUDE: "窗口人员态度生硬",
    Dimension.GUIDE_ACCURACY: "办事指南与实际要求的材料不一致",
    Dimension.CONVENIENCE: "来回跑了好几趟",
    Dimension.SERVICE_QUALITY: "多次补正，未一次性告知",
}
CALLBACK_NOTES = (
    "已电话回访申请人，说明办理情况并致歉，已在窗口公示整改措施",
    "已回访，申请人认可整改结果",
    "已回访，对窗口人员进行了批评教育",
)


def _pick(rng: random.Random, table) -> RatingLevel:
    draw = rng.random()
    return next(level for below, level in table if draw < below)


def demo_rating(
    *,
    case_number: str,
    division_code: str,
    department_code: str,
    state: CaseState,
    decided_at: datetime,
    late: bool,
    now: datetime,
    calendar: WorkCalendar,
    share: float = SHARE,
) -> dict | None:
    """The demo rating of one decided case (a ratings row), or None when it is not rated."""
    rng = random.Random(hashlib.sha256(f"rating|{case_number}".encode()).digest())
    if rng.random() >= share:
        return None
    rated_at = min(decided_at + timedelta(hours=rng.uniform(1, 96)), now)
    worse = late or state == CaseState.REJECTED
    level = _pick(rng, LEVELS_LATE if worse else LEVELS)
    dimensions = {d.value: int(level) for d in Dimension if rng.random() < 0.6}
    row = {
        "case_number": case_number,
        "division_code": division_code,
        "department_code": department_code,
        "level": int(level),
        "dimensions": dimensions,
        "comment": rng.choice(PRAISE) if level >= L.SATISFIED else "",
        "rated_at": rated_at,
        "rectification_due_at": None,
        "rectification_status": None,
        "callback_at": None,
        "callback_by": None,
        "callback_note": None,
    }
    if level in BAD:
        wrong = Dimension.EFFICIENCY if late else rng.choice(list(Dimension))
        dimensions[wrong.value] = int(level)
        row["comment"] = BLAME[wrong]
        row["rectification_due_at"] = rectification_due(rated_at, calendar)
        row["rectification_status"] = RectificationStatus.OPEN.value
        called = rated_at + timedelta(days=rng.uniform(1, 30))  # some after the due day
        if rng.random() < 0.85 and called <= now:
            row.update(
                rectification_status=RectificationStatus.CALLED_BACK.value,
                callback_at=called,
                callback_by=CALLER,
                callback_note=rng.choice(CALLBACK_NOTES),
            )
    return row


async def seed_demo_ratings(
    *, session: AsyncSession, now: datetime | None = None, share: float = SHARE
) -> int:
    """Rate a share of the decided demo cases unless ratings exist; how many. The caller
    commits."""
    if await session.scalar(select(Rating.id).limit(1)) is not None:
        return 0
    now = now or datetime.now(UTC)
    calendar = await current_calendar(session=session)
    rows = await session.execute(
        select(Case.number, Case.division_code, Department.code, Case.state)
        .add_columns(Case.decided_at, Case.decided_late)
        .join(Department, Department.id == Case.department_id)
        .where(Case.state.in_(DECIDED), Case.decided_at <= now)
        .order_by(Case.id)
    )
    ratings = [
        rating
        for number, division, department, state, decided_at, late in rows
        if (
            rating := demo_rating(
                case_number=number,
                division_code=division,
                department_code=department,
                state=state,
                decided_at=decided_at,
                late=late,
                now=now,
                calendar=calendar,
                share=share,
            )
        )
        is not None
    ]
    for start in range(0, len(ratings), 1000):
        await session.execute(insert(Rating), ratings[start : start + 1000])
    return len(ratings)
