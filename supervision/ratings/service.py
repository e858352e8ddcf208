"""好差评: an applicant rates their decided case; a bad rating opens a rectification.

Rating (GB/T 39734 “一次一评”“一事一评”, GB/T 39735): whoever holds the case's rating code
(`supervision.ratings.codes`, handed out with the result) chooses one of five levels, may
rate the dimensions below one by one, and may comment. One rating per case, final: a second
answers ALREADY_RATED (the rating is what the department is measured on, and a bad one has
already opened a rectification; a rating that could be changed after the callback would
measure nothing). A wrong code and a case that does not exist answer the same
INVALID_RATING_CODE, checked before the database is asked, so a code never tells which
cases exist; only a good code learns that a case is not decided yet (NOT_DECIDED).

Rectification (差评整改): 不满意 or 非常不满意 (level 2 or 1) opens one, due 15 working days
after the rating (国办发〔2019〕51号: 差评 rectified and answered within 15 working days),
counted by the legal clock from the next day, holidays and make-up days as the calendar
says, ending at the end of the due day, Beijing time. A department head or supervisor of the
case's division records the callback (回访), which closes it. Statuses and the step are data
(`RectificationStatus`, `TRANSITIONS`); the worker raises RATING_NOT_RECTIFIED on one still
open past its due time (`supervision.ratings.watch`).

Both steps write an outbox message (topic "rating": ids, level, status, never the comment).
Ratings are the applicant's opinion, not facts of the case: they are not appended to the
case's ledger chain, and the rating row keeps the callback (who, when, what was said).

Ratings belong to tenants and an anonymous caller holds none of the tree, so rating runs
under `RATING_SCOPE`, a named bypass meant for `rate_case` alone: it reads the one case
whose code was just proven and writes its rating.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.cases.calendar import current_calendar
from supervision.cases.clock import DayUnit, WorkCalendar, read_clock
from supervision.cases.models import Case, CaseState, OutboxMessage
from supervision.cases.states import DECIDED
from supervision.masking import mask_id_number, mask_phone
from supervision.organisation import Department
from supervision.ratings.codes import code_matches
from supervision.ratings.models import Rating
from tenancy.scope import Scope

# The named bypass for rating: see the module's docstring.
RATING_SCOPE = Scope.bypass("ratings: an applicant rates their decided case by its code")

TOPIC = "rating"
RECTIFICATION_WORKING_DAYS = 15
MAX_COMMENT = 500
MAX_NOTE = 2000
MAX_CASE_NUMBER = 64


class RatingLevel(enum.IntEnum):
    """评价等级 (GB/T 39734): 5 非常满意 … 1 非常不满意, as stored and counted."""

    VERY_DISSATISFIED = 1  # 非常不满意
    DISSATISFIED = 2  # 不满意
    BASICALLY_SATISFIED = 3  # 基本满意
    SATISFIED = 4  # 满意
    VERY_SATISFIED = 5  # 非常满意


LEVEL_NAMES = {
    RatingLevel.VERY_SATISFIED: "非常满意",
    RatingLevel.SATISFIED: "满意",
    RatingLevel.BASICALLY_SATISFIED: "基本满意",
    RatingLevel.DISSATISFIED: "不满意",
    RatingLevel.VERY_DISSATISFIED: "非常不满意",
}
# 差评: these open a rectification (publicStats counts them as dissatisfied)
BAD = frozenset({RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED})


class Dimension(enum.StrEnum):
    """评价指标: the second-level indicators of the national 好差评 table (线下: 服务效率,
    服务水平, 服务态度; 网上: 办事效率, 办事指南精确度, 办事便捷度), one each; 整体满意度 is the
    level itself, and 平台操作性 rates the business system's app, not the department."""

    EFFICIENCY = "EFFICIENCY"  # 办事效率 / 服务效率
    ATTITUDE = "ATTITUDE"  # 服务态度
    SERVICE_QUALITY = "SERVICE_QUALITY"  # 服务水平
    GUIDE_ACCURACY = "GUIDE_ACCURACY"  # 办事指南精确度
    CONVENIENCE = "CONVENIENCE"  # 办事便捷度


DIMENSION_NAMES = {
    Dimension.EFFICIENCY: "办事效率",
    Dimension.ATTITUDE: "服务态度",
    Dimension.SERVICE_QUALITY: "服务水平",
    Dimension.GUIDE_ACCURACY: "办事指南精确度",
    Dimension.CONVENIENCE: "办事便捷度",
}


class RectificationStatus(enum.StrEnum):
    OPEN = "OPEN"  # 整改中: awaiting the callback
    CALLED_BACK = "CALLED_BACK"  # 已回访


class Step(enum.StrEnum):
    CALL_BACK = "CALL_BACK"  # 回访


# (status now, step) -> status after; a pair not listed is refused
TRANSITIONS: dict[tuple[RectificationStatus, Step], RectificationStatus] = {
    (RectificationStatus.OPEN, Step.CALL_BACK): RectificationStatus.CALLED_BACK,
}


class RatingError(ValueError):
    """A rating or a callback refused; `code` is stable, `field` names the input at fault."""

    code = "RATING_ERROR"
    field: str | None = None


class InvalidRatingCode(RatingError):
    code = "INVALID_RATING_CODE"
    field = "ratingCode"

    def __init__(self) -> None:
        super().__init__("this rating code is not the case's (check both)")


class NotDecided(RatingError):
    code = "NOT_DECIDED"
    field = "caseNumber"

    def __init__(self, state: CaseState) -> None:
        super().__init__("the case is not decided yet: it can be rated once it is")
        self.state = state


class AlreadyRated(RatingError):
    code = "ALREADY_RATED"
    field = "caseNumber"

    def __init__(self, rated_at: datetime | None) -> None:
        super().__init__("the case has been rated already; a rating is final")
        self.rated_at = rated_at


class InvalidRating(RatingError):
    def __init__(self, code: str, message: str, field: str | None) -> None:
        super().__init__(message)
        self.code = code
        self.field = field


class RatingNotFound(RatingError):
    code = "RATING_NOT_FOUND"
    field = "id"

    def __init__(self, rating_id: int) -> None:
        super().__init__(f"no rating {rating_id} in your part of the tree")


class RectificationNotOpen(RatingError):
    code = "RECTIFICATION_NOT_OPEN"
    field = "id"

    def __init__(self, status: RectificationStatus | None) -> None:
        what = "opened no rectification" if status is None else f"is {status}"
        super().__init__(f"the rating {what}: there is nothing to call back")
        self.status = status


def opens_rectification(level: int) -> bool:
    """Whether a rating of this level is a 差评 that opens a rectification."""
    return level in BAD


def is_overdue(rating: Rating, now: datetime) -> bool:
    """An open rectification past its due time."""
    return (
        rating.rectification_status == RectificationStatus.OPEN
        and rating.rectification_due_at is not None
        and rating.rectification_due_at < now
    )


def rectification_due(rated_at: datetime, calendar: WorkCalendar) -> datetime:
    """The end of the 15th working day after the rating's day (Beijing), in UTC."""
    reading = read_clock(
        calendar=calendar,
        accepted_at=rated_at,
        limit_value=RECTIFICATION_WORKING_DAYS,
        limit_unit=DayUnit.WORKING_DAY,
        pauses=(),
        now=rated_at,
    )
    return reading.due_at.astimezone(UTC)


# ID card numbers (18 or 15 digits), mobile and fixed-line phone numbers in free text
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")


def masked_comment(text: str) -> str:
    """A comment with ID and phone numbers cut to their ends, as kept and shown."""
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(1)) or "", text)
    return _PHONE.sub(lambda m: mask_phone(m.group(1)) or "", text)


def _level(value: int, field: str) -> RatingLevel:
    try:
        return RatingLevel(int(value))
    except (TypeError, ValueError):
        raise InvalidRating("INVALID_LEVEL", f"{field}: a level from 1 to 5", field) from None


def _dimensions(
    given: Mapping[str, int] | Iterable[tuple[str, int]], level: RatingLevel
) -> dict[str, int]:
    """The dimensions rated, checked: known ones, each once, each with a level."""
    rated: dict[str, int] = {}
    for name, value in given.items() if isinstance(given, Mapping) else given:
        try:
            dimension = Dimension(name)
        except ValueError:
            raise InvalidRating(
                "UNKNOWN_DIMENSION", f"dimensions: no dimension {name!r}", "dimensions"
            ) from None
        if dimension.value in rated:
            raise InvalidRating(
                "DUPLICATE_DIMENSION", f"dimensions: {dimension} rated twice", "dimensions"
            )
        rated[dimension.value] = int(_level(value, "dimensions"))
    if level in BAD and not any(v in BAD for v in rated.values()):
        # the rectification must know what went wrong (GB/T 39734 附录A: 差评评价内容)
        raise InvalidRating(
            "DIMENSION_REQUIRED",
            "dimensions: a bad rating names at least one dimension rated 不满意 or below",
            "dimensions",
        )
    return rated


def _comment(text: str | None) -> str:
    comment = (text or "").strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidRating("TOO_LONG", f"comment: at most {MAX_COMMENT} characters", "comment")
    return masked_comment(comment)


def _message(rating: Rating, step: str, at: datetime, actor: str | None = None) -> OutboxMessage:
    due = rating.rectification_due_at
    return OutboxMessage(
        topic=TOPIC,
        division_code=rating.division_code,
        payload={
            "ratingId": rating.id,
            "caseNumber": rating.case_number,
            "divisionCode": rating.division_code,
            "departmentCode": rating.department_code,
            "level": rating.level,
            "rectificationStatus": rating.rectification_status,
            "rectificationDueAt": due.isoformat() if due is not None else None,
            "step": step,
            "actor": actor,
            "at": at.isoformat(),
        },
    )


async def rate_case(
    *,
    session: AsyncSession,
    secret: bytes,
    case_number: str,
    code: str,
    level: int,
    dimensions: Mapping[str, int] | Iterable[tuple[str, int]] | None = None,
    comment: str | None = None,
    now: datetime | None = None,
    calendar: WorkCalendar | None = None,
) -> Rating:
    """Rate a decided case by its rating code; a bad rating opens a rectification. The
    caller commits (an AlreadyRated raised at flush leaves the session to roll back)."""
    now = now or datetime.now(UTC)
    number = (case_number or "").strip()
    if not number or len(number) > MAX_CASE_NUMBER or not code_matches(number, code, secret):
        raise InvalidRatingCode()
    chosen = _level(level, "level")
    rated = _dimensions(dimensions or {}, chosen)
    text = _comment(comment)
    row = (
        await session.execute(
            select(Case.division_code, Case.state, Department.code)
            .join(Department, Department.id == Case.department_id)
            .where(Case.number == number)
        )
    ).first()
    if row is None:
        raise InvalidRatingCode()  # a code made for a case that is not here: the same answer
    division_code, state, department_code = row
    if state not in DECIDED:
        raise NotDecided(state)
    earlier = await session.scalar(select(Rating.rated_at).where(Rating.case_number == number))
    if earlier is not None:
        raise AlreadyRated(earlier)
    rating = Rating(
        case_number=number,
        division_code=division_code,
        department_code=department_code,
        level=int(chosen),
        dimensions=rated,
        comment=text,
        rated_at=now,
    )
    if opens_rectification(chosen):
        calendar = calendar or await current_calendar(session=session)
        rating.rectification_due_at = rectification_due(now, calendar)
        rating.rectification_status = RectificationStatus.OPEN.value
    session.add(rating)
    try:
        await session.flush()  # two ratings at once: the unique case number keeps one
    except IntegrityError:
        raise AlreadyRated(None) from None
    session.add(_message(rating, "RATE", now))
    await session.flush()
    return rating


async def rating_division(*, session: AsyncSession, rating_id: int, scope: Scope) -> str | None:
    """The division of a rating inside `scope`; None when there is none there."""
    query = select(Rating.division_code).where(Rating.id == rating_id)
    if (inside := scope.clause(Rating.division_code)) is not None:
        query = query.where(inside)
    return await session.scalar(query)


async def record_callback(
    *,
    session: AsyncSession,
    rating_id: int,
    actor: str,
    note: str,
    scope: Scope,
    now: datetime | None = None,
) -> Rating:
    """回访: the department called the applicant back; the rectification is closed. The
    caller commits."""
    now = now or datetime.now(UTC)
    text = (note or "").strip()
    if not text:
        raise InvalidRating("NOTE_REQUIRED", "note: say what the callback found", "note")
    if len(text) > MAX_NOTE:
        raise InvalidRating("TOO_LONG", f"note: at most {MAX_NOTE} characters", "note")
    query = (
        select(Rating)
        .where(Rating.id == rating_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if (inside := scope.clause(Rating.division_code)) is not None:
        query = query.where(inside)
    rating = await session.scalar(query)
    if rating is None:
        raise RatingNotFound(rating_id)
    status = (
        RectificationStatus(rating.rectification_status) if rating.rectification_status else None
    )
    after = TRANSITIONS.get((status, Step.CALL_BACK)) if status is not None else None
    if after is None:
        raise RectificationNotOpen(status)
    rating.rectification_status = after.value
    rating.callback_at = now
    rating.callback_by = actor
    rating.callback_note = masked_comment(text)
    session.add(_message(rating, Step.CALL_BACK.value, now, actor))
    await session.flush()
    return rating
