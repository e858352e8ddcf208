"""RATING_NOT_RECTIFIED: the worker watches each bad rating's callback due time.

Real dates (National Day 2025); the worker takes `now`. Each test rates cases of a town of
its own in 市北区 and keeps the pass to that town, so no other rating is judged.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from supervision.ratings import service
from supervision.ratings.codes import rating_code
from supervision.ratings.service import RatingLevel
from supervision.ratings.watch import check_unrectified_ratings
from supervision.rules.kinds import KINDS, RuleKind
from supervision.rules.models import Rule, Warning, WarningLevel, WarningStatus
from supervision.rules.worker import run_once
from tenancy.scope import Scope
from tests.supervision.ratings.support import SECRET, beijing, decided_case, power_in

BYPASS = Scope.bypass("test: rating deadlines")
ZHENJIANG_ROAD = "370203022000"  # 镇江路街道
FUSHAN = "370203025000"  # 浮山新区街道
FUXIN_ROAD = "370203026000"  # 阜新路街道
DUE = beijing(2025, 10, 23, 23, 59, 59, 999999)  # of a rating on Friday 2025-09-26


async def bad_rating(database, town: str):
    """A 非常不满意 rating of a case decided in the town, on 2025-09-26 (due 2025-10-23)."""
    home = await power_in(database, town)
    number = await decided_case(database, home, decided=beijing(2025, 9, 25, 15))
    async with database.session(service.RATING_SCOPE) as session:
        rating = await service.rate_case(
            session=session,
            secret=SECRET,
            case_number=number,
            code=rating_code(number, SECRET),
            level=RatingLevel.VERY_DISSATISFIED,
            dimensions={"EFFICIENCY": 1},
            now=beijing(2025, 9, 26, 10),
        )
        await session.commit()
    assert rating.rectification_due_at == DUE
    return rating


async def warnings_on(database, *numbers: str) -> list[Warning]:
    """The RATING_NOT_RECTIFIED warnings on these cases (the cases raise others of their own)."""
    async with database.session(BYPASS, read_only=True) as session:
        query = (
            select(Warning)
            .where(Warning.case_number.in_(numbers), Warning.kind == "RATING_NOT_RECTIFIED")
            .order_by(Warning.id)
        )
        return list(await session.scalars(query))


def test_rating_not_rectified_is_a_time_driven_kind_silent_on_cases():
    spec = KINDS[RuleKind.RATING_NOT_RECTIFIED]
    assert spec.time_driven and spec.params == ()
    assert spec.description.startswith("差评整改未回访：")


async def test_the_demo_point_carries_a_rating_not_rectified_rule(database):
    async with database.session(BYPASS, read_only=True) as session:
        level = await session.scalar(
            select(Rule.level).where(Rule.kind == RuleKind.RATING_NOT_RECTIFIED.value)
        )
    assert level is WarningLevel.YELLOW


async def test_a_bad_rating_not_called_back_raises_one_warning_once_past_due(database):
    rating = await bad_rating(database, ZHENJIANG_ROAD)
    town = ZHENJIANG_ROAD

    assert await check_unrectified_ratings(database=database, now=DUE, division_code=town) == 0
    after = DUE + timedelta(minutes=1)
    assert await check_unrectified_ratings(database=database, now=after, division_code=town) == 1
    again = after + timedelta(days=3)
    assert await check_unrectified_ratings(database=database, now=again, division_code=town) == 0

    (warning,) = await warnings_on(database, rating.case_number)
    assert (warning.kind, warning.level, warning.status) == (
        "RATING_NOT_RECTIFIED",
        WarningLevel.YELLOW,
        WarningStatus.OPEN,
    )
    assert (warning.division_code, warning.department_code, warning.officer) == (
        rating.division_code,
        rating.department_code,
        None,
    )
    assert warning.raised_at == after
    assert (
        warning.detail
        == "2025-09-26 收到差评（非常不满意），应于 2025-10-23 前整改回访，逾期仍未回访"
    )
    assert "国办发〔2019〕51号" in warning.legal_basis


async def test_a_rating_called_back_in_time_raises_nothing(database):
    rating = await bad_rating(database, FUSHAN)
    scope = Scope.of([FUSHAN])
    async with database.session(scope) as session:
        await service.record_callback(
            session=session,
            rating_id=rating.id,
            actor="head-1",
            note="已回访",
            scope=scope,
            now=beijing(2025, 10, 10, 9),
        )
        await session.commit()

    later = DUE + timedelta(days=1)
    assert await check_unrectified_ratings(database=database, now=later, division_code=FUSHAN) == 0
    assert await warnings_on(database, rating.case_number) == []


async def test_a_worker_pass_counts_it_among_the_warnings_raised(database, calendar):
    rating = await bad_rating(database, FUXIN_ROAD)

    counts = await run_once(
        database=database,
        calendar=calendar,
        now=DUE + timedelta(hours=1),
        division_code=FUXIN_ROAD,
    )

    assert counts["raised"] >= 1
    assert [w.kind for w in await warnings_on(database, rating.case_number)] == [
        "RATING_NOT_RECTIFIED"
    ]
