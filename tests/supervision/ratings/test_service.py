"""好差评 in the service: the rectification clock on real dates, comments, callbacks.

Real dates: National Day 2025 (1–8 October off, Sunday 28 September and Saturday 11 October
worked). Cases are reported in 市北区 台东街道 (no other test rates there).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from supervision.cases.clock import WorkCalendar
from supervision.cases.models import OutboxMessage
from supervision.ratings import service
from supervision.ratings.codes import rating_code
from supervision.ratings.models import Rating
from supervision.ratings.service import RatingLevel, rectification_due
from tenancy.scope import Scope
from tests.supervision.ratings.support import (
    SECRET,
    TAIDONG,
    beijing,
    decided_case,
    number,
    power_in,
    report,
)

BYPASS = Scope.bypass("test: ratings")


def test_a_rating_the_friday_before_national_day_is_due_15_working_days_later():
    # 9-27 Sat off, 9-28 Sun worked (1), 9-29 (2), 9-30 (3), 10-1…10-8 off, 10-9 (4), 10-10 (5),
    # 10-11 Sat worked (6), 10-13…10-17 (7–11), 10-20…10-23 (12–15)
    due = rectification_due(beijing(2025, 9, 26, 10), WorkCalendar())
    assert due == beijing(2025, 10, 23, 23, 59, 59, 999999)
    assert due.tzinfo is UTC


def test_a_rating_late_on_the_make_up_sunday_counts_from_the_next_day():
    due = rectification_due(beijing(2025, 9, 28, 23, 30), WorkCalendar())
    assert due == beijing(2025, 10, 24, 23, 59, 59, 999999)


def test_only_dissatisfied_and_very_dissatisfied_open_a_rectification():
    assert [level for level in RatingLevel if service.opens_rectification(level)] == [
        RatingLevel.VERY_DISSATISFIED,
        RatingLevel.DISSATISFIED,
    ]
    assert int(RatingLevel.VERY_SATISFIED) == 5 and int(RatingLevel.VERY_DISSATISFIED) == 1


def test_id_and_phone_numbers_in_a_comment_are_masked():
    text = "请联系13812345678或0532-88886666，身份证370202199001011234，编号2025001"
    assert service.masked_comment(text) == (
        "请联系138****5678或*********6666，身份证3702**********1234，编号2025001"
    )


@pytest.fixture(scope="module")
async def home(database) -> dict:
    return await power_in(database, TAIDONG)


async def _rate(database, number: str, level: RatingLevel, now: datetime, **given):
    async with database.session(service.RATING_SCOPE) as session:
        rating = await service.rate_case(
            session=session,
            secret=SECRET,
            case_number=number,
            code=given.pop("code", rating_code(number, SECRET)),
            level=level,
            now=now,
            **given,
        )
        await session.commit()
        return rating


async def test_a_very_dissatisfied_rating_opens_a_rectification_due_by_the_legal_clock(
    database, home
):
    number = await decided_case(database, home, decided=beijing(2025, 9, 25, 15))
    rated = beijing(2025, 9, 26, 10)

    rating = await _rate(
        database,
        number,
        RatingLevel.VERY_DISSATISFIED,
        rated,
        dimensions={"EFFICIENCY": 1, "ATTITUDE": 3},
        comment=" 拖了很久 ",
    )

    assert rating.rectification_status == "OPEN"
    assert rating.rectification_due_at == beijing(2025, 10, 23, 23, 59, 59, 999999)
    assert (rating.level, rating.dimensions, rating.comment) == (
        1,
        {"EFFICIENCY": 1, "ATTITUDE": 3},
        "拖了很久",
    )
    assert (rating.division_code, rating.department_code) == (
        home["division_code"],
        home["department_code"],
    )
    async with database.session(BYPASS, read_only=True) as session:
        sent = (
            await session.scalars(
                select(OutboxMessage.payload).where(OutboxMessage.topic == "rating")
            )
        ).all()
    announced = [p for p in sent if p["ratingId"] == rating.id]
    assert announced == [
        {
            "ratingId": rating.id,
            "caseNumber": number,
            "divisionCode": home["division_code"],
            "departmentCode": home["department_code"],
            "level": 1,
            "rectificationStatus": "OPEN",
            "rectificationDueAt": rating.rectification_due_at.isoformat(),
            "step": "RATE",
            "actor": None,
            "at": rated.isoformat(),
        }
    ]


async def test_a_satisfied_rating_opens_nothing(database, home):
    number = await decided_case(database, home, decided=beijing(2025, 9, 25, 15))
    rating = await _rate(database, number, RatingLevel.BASICALLY_SATISFIED, beijing(2025, 9, 26))
    assert (rating.rectification_status, rating.rectification_due_at) == (None, None)


async def test_the_callback_closes_the_rectification_with_actor_and_time(database, home):
    number = await decided_case(database, home, decided=beijing(2025, 9, 25, 15))
    rating = await _rate(
        database,
        number,
        RatingLevel.DISSATISFIED,
        beijing(2025, 9, 26, 10),
        dimensions={"ATTITUDE": 2},
    )
    called = beijing(2025, 10, 9, 16)

    async with database.session(Scope.of([TAIDONG])) as session:
        done = await service.record_callback(
            session=session,
            rating_id=rating.id,
            actor="head-7",
            note="已回访，申请人电话13812345678，已致歉",
            scope=Scope.of([TAIDONG]),
            now=called,
        )
        await session.commit()

    assert (done.rectification_status, done.callback_by, done.callback_at) == (
        "CALLED_BACK",
        "head-7",
        called,
    )
    assert done.callback_note == "已回访，申请人电话138****5678，已致歉"
    async with database.session(Scope.of([TAIDONG])) as session:
        with pytest.raises(service.RectificationNotOpen) as again:
            await service.record_callback(
                session=session,
                rating_id=rating.id,
                actor="head-7",
                note="再次回访",
                scope=Scope.of([TAIDONG]),
                now=called + timedelta(days=1),
            )
    assert again.value.status == "CALLED_BACK"


async def test_a_callback_outside_the_scope_finds_no_rating(database, home):
    number = await decided_case(database, home, decided=beijing(2025, 9, 25, 15))
    rating = await _rate(
        database, number, RatingLevel.DISSATISFIED, beijing(2025, 9, 26), dimensions={"ATTITUDE": 1}
    )
    elsewhere = Scope.of(["370202000000"])
    async with database.session(elsewhere) as session:
        with pytest.raises(service.RatingNotFound):
            await service.record_callback(
                session=session, rating_id=rating.id, actor="x", note="回访", scope=elsewhere
            )


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ({"dimensions": {"SPEED": 5}}, "UNKNOWN_DIMENSION"),
        ({"dimensions": [("ATTITUDE", 5), ("ATTITUDE", 4)]}, "DUPLICATE_DIMENSION"),
        ({"dimensions": {"ATTITUDE": 6}}, "INVALID_LEVEL"),
        ({"comment": "很" * (service.MAX_COMMENT + 1)}, "TOO_LONG"),
    ],
)
async def test_what_the_applicant_gives_is_checked(database, home, given, code):
    number = await decided_case(database, home, decided=beijing(2025, 9, 25, 15))
    with pytest.raises(service.InvalidRating) as refused:
        await _rate(database, number, RatingLevel.SATISFIED, beijing(2025, 9, 26), **given)
    assert refused.value.code == code


async def test_a_code_made_with_another_secret_is_refused(database, home):
    number = await decided_case(database, home, decided=beijing(2025, 9, 25, 15))
    with pytest.raises(service.InvalidRatingCode):
        await _rate(
            database,
            number,
            RatingLevel.SATISFIED,
            beijing(2025, 9, 26),
            code=rating_code(number, b"another secret, long enough......"),
        )


async def test_a_second_rating_is_refused_and_the_first_kept(database, home):
    number = await decided_case(database, home, decided=beijing(2025, 9, 25, 15))
    first = await _rate(database, number, RatingLevel.SATISFIED, beijing(2025, 9, 26))
    with pytest.raises(service.AlreadyRated) as refused:
        await _rate(
            database,
            number,
            RatingLevel.VERY_DISSATISFIED,
            beijing(2025, 9, 27),
            dimensions={"EFFICIENCY": 1},
        )
    assert refused.value.rated_at == first.rated_at
    async with database.session(BYPASS, read_only=True) as session:
        kept = await session.scalar(select(Rating.level).where(Rating.case_number == number))
    assert kept == 4


async def test_an_undecided_case_is_not_rated(database, home):
    case = number()
    await report(
        database, home, [(case, "ACCEPT", beijing(2025, 9, 24, 9))], beijing(2025, 9, 24, 10)
    )
    with pytest.raises(service.NotDecided) as refused:
        await _rate(database, case, RatingLevel.SATISFIED, beijing(2025, 9, 26))
    assert refused.value.state == "ACCEPTED"
