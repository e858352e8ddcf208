"""The worker (`yangguang worker`): time-driven rules and escalation, for every tenant.

Time-driven rules run from the next-check index (`cases.next_check_at`, kept by the engine
on every judgement), never from a scan of every case: a pass claims the cases whose moment
has come, oldest first, judges them again and so moves their moment on. Escalation works the
same way from `warnings.escalate_at`. On PostgreSQL both claim with FOR UPDATE SKIP LOCKED,
so several workers share the work and never judge one case at once; on SQLite writers are
serialised anyway (BEGIN IMMEDIATE). A warning is raised at most once per rule and case
(the engine checks, a unique index guards), so a rescan or a retry adds nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.cases.calendar import current_calendar
from supervision.cases.clock import WorkCalendar
from supervision.cases.models import Case, OutboxMessage
from supervision.cases.states import CLOSED
from supervision.catalogue.models import PowerVersion
from supervision.complaints.deadline import check_due_complaints
from supervision.notify.delivery import deliver_due
from supervision.notify.outbox import WARNING_ESCALATED, record_warnings
from supervision.notify.providers import SmsProvider
from supervision.organisation import Department
from supervision.publication.checkpoints import checkpoint_all
from supervision.publication.signing import LedgerKeys
from supervision.ratings.watch import check_unrectified_ratings
from supervision.rules.engine import AGAIN, evaluate_cases
from supervision.rules.models import MonitoringPoint, Rule, Warning, WarningLevel, WarningStatus
from tenancy.codes import parent_of
from tenancy.db import Database
from tenancy.scope import Scope, subtree

log = logging.getLogger("yangguang.worker")

SCOPE = Scope.bypass("time-driven rules")
BATCH = 500
INTERVAL = 60.0  # seconds between passes of `run`
CHECKPOINT_EVERY = timedelta(minutes=5)  # a chain that grew is signed at most this often
RETRY = timedelta(hours=1)  # a case that cannot be judged is tried again this much later
_UP = {WarningLevel.BLUE: WarningLevel.YELLOW, WarningLevel.YELLOW: WarningLevel.RED}


def _claim(query, database: Database):
    """Rows another worker holds are skipped, not waited for (PostgreSQL)."""
    return query.with_for_update(skip_locked=True) if database.is_postgres else query


def _inside(query, column, division_code: str | None):
    return query if division_code is None else query.where(subtree(column, division_code))


async def _anything(database: Database, query) -> bool:
    """Look first without taking a writer's lock (SQLite has one for the whole file)."""
    async with database.session(SCOPE, read_only=True) as session:
        return await session.scalar(query.limit(1)) is not None


async def check_due_cases(
    *,
    database: Database,
    calendar: WorkCalendar,
    now: datetime,
    batch: int = BATCH,
    division_code: str | None = None,
) -> int:
    """Judge every case whose next check is due by `now`; the number of warnings raised.

    One transaction per batch of claimed cases; `division_code` keeps the worker to one
    subtree (a worker per district), by default it serves every tenant.
    """
    due = _inside(
        select(Case.number).where(Case.next_check_at <= now), Case.division_code, division_code
    )
    raised = 0
    seen: set[str] = set()
    while await _anything(database, due):
        claim = _claim(due.order_by(Case.next_check_at, Case.id).limit(batch), database)
        numbers: list[str] = []
        try:
            async with database.session(SCOPE) as session:
                numbers = list(await session.scalars(claim))
                if not numbers or seen.intersection(numbers):
                    break  # nothing left, or (never expected) a judged case still due
                seen.update(numbers)
                raised += await evaluate_cases(
                    session=session, case_numbers=numbers, calendar=calendar, now=now
                )
                await session.commit()
        except Exception:
            if not numbers:
                raise
            log.exception("judging %d due cases failed; judging them one by one", len(numbers))
            raised += await _one_by_one(database, due, numbers, calendar, now)
        if len(numbers) < batch:
            break
    return raised


async def _one_by_one(
    database: Database, due, numbers: list[str], calendar: WorkCalendar, now: datetime
) -> int:
    """A batch that failed, case by case: a case that fails alone is put off for an hour
    (and logged), so it never holds up the others."""
    raised = 0
    for number in numbers:
        try:
            async with database.session(SCOPE) as session:
                if await session.scalar(_claim(due.where(Case.number == number), database)):
                    raised += await evaluate_cases(
                        session=session, case_numbers=[number], calendar=calendar, now=now
                    )
                    await session.commit()
        except Exception:
            log.exception("judging case %s failed; trying again in an hour", number)
            async with database.session(SCOPE) as session:
                await session.execute(
                    update(Case)
                    .where(Case.number == number)
                    .values(next_check_at=now + RETRY)
                    .execution_options(synchronize_session=False)
                )
                await session.commit()
    return raised


async def escalate_due(
    *,
    database: Database,
    now: datetime,
    batch: int = BATCH,
    division_code: str | None = None,
) -> int:
    """Raise every unhandled (OPEN) warning whose time is up; how many rose.

    One level up (BLUE → YELLOW → RED), shown to the division above (the city keeps it),
    and timed again by its rule's `escalate_after_hours` while below RED, never after.
    Announced through the outbox like a new warning, marked `escalated`. A handled warning
    (any status but OPEN) never rises.
    """
    due = _inside(
        select(Warning.id).where(Warning.status == WarningStatus.OPEN, Warning.escalate_at <= now),
        Warning.division_code,
        division_code,
    )
    escalated = 0
    while await _anything(database, due):
        async with database.session(SCOPE) as session:
            mine = _claim(due.order_by(Warning.escalate_at, Warning.id).limit(batch), database)
            rows = (
                await session.execute(
                    select(Warning, Rule.escalate_after_hours)
                    .join(Rule, Rule.id == Warning.rule_id)
                    .where(Warning.id.in_(mine))
                    .execution_options(populate_existing=True)
                )
            ).all()
            if rows:
                await _escalate(session, rows, now)
            await session.commit()
        escalated += len(rows)
        if len(rows) < batch:
            break
    return escalated


async def _escalate(session: AsyncSession, rows, now: datetime) -> None:
    """One step up for each (warning, its rule's hours), in one statement, and the news."""
    changes, messages = [], []
    for warning, hours in rows:
        level = _UP.get(warning.level, WarningLevel.RED)
        attention = warning.attention_code or warning.division_code
        attention = parent_of(attention) or attention
        again = None
        if level is not WarningLevel.RED and hours is not None:
            again = now + max(timedelta(hours=hours), AGAIN)  # never twice in one pass
        escalations = warning.escalations + 1
        changes.append(
            {
                "_id": warning.id,
                "_level": level,
                "_attention": attention,
                "_again": again,
                "_escalations": escalations,
            }
        )
        messages.append(
            {
                "topic": "warning",
                "division_code": warning.division_code,
                "payload": {
                    "warningId": warning.id,
                    "caseNumber": warning.case_number,
                    "divisionCode": warning.division_code,
                    "kind": warning.kind,
                    "level": level.value,
                    "detail": warning.detail,
                    "raisedAt": warning.raised_at.isoformat(),
                    "escalated": True,
                    "escalations": escalations,
                    "attentionCode": attention,
                    "escalatedAt": now.isoformat(),
                },
            }
        )
    table = Warning.__table__
    await session.execute(
        update(table)
        .where(table.c.id == bindparam("_id"))
        .values(
            level=bindparam("_level"),
            attention_code=bindparam("_attention"),
            escalate_at=bindparam("_again"),
            escalations=bindparam("_escalations"),
        ),
        changes,
    )
    await session.execute(insert(OutboxMessage), messages)
    # the officer in charge and the webhooks that asked for it are told too
    await record_warnings(
        session=session,
        warnings=[
            {
                "id": warning.id,
                "case_number": warning.case_number,
                "division_code": warning.division_code,
                "department_code": warning.department_code,
                "officer": warning.officer,
                "kind": warning.kind,
                "level": change["_level"],
                "status": warning.status,
                "detail": warning.detail,
                "raised_at": warning.raised_at,
            }
            for (warning, _), change in zip(rows, changes, strict=True)
        ],
        now=now,
        topic=WARNING_ESCALATED,
    )


async def reschedule(*, session: AsyncSession, point: MonitoringPoint, now: datetime) -> int:
    """Make the open cases a point applies to due now, so a new or changed rule on it is
    applied to them by the next worker pass; how many were made due.

    One UPDATE, inside the session's scope; a case already due keeps its moment.
    """
    query = (
        update(Case)
        .where(
            subtree(Case.division_code, point.division_code),
            Case.state.not_in(CLOSED),
            (Case.next_check_at.is_(None)) | (Case.next_check_at > now),
        )
        .values(next_check_at=now)
        .execution_options(synchronize_session=False)
    )
    if point.power_code is not None:
        query = query.where(Case.power_code == point.power_code)
    if point.category is not None:
        query = query.where(
            Case.power_version_id.in_(
                select(PowerVersion.id).where(PowerVersion.category == point.category)
            )
        )
    if point.department_code is not None:
        query = query.where(
            Case.department_id.in_(
                select(Department.id).where(Department.code == point.department_code)
            )
        )
    return (await session.execute(query)).rowcount


async def recheck(*, session: AsyncSession, case_numbers: list[str], now: datetime) -> int:
    """Make these cases due now (their facts or their clock changed outside ingest, or a
    warning on them was closed); how many were made due."""
    if not case_numbers:
        return 0
    result = await session.execute(
        update(Case)
        .where(
            Case.number.in_(case_numbers),
            (Case.next_check_at.is_(None)) | (Case.next_check_at > now),
        )
        .values(next_check_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


@dataclass
class Outside:
    """What a pass reaches beyond the database: texts, webhooks, and the record's keys."""

    sms: SmsProvider
    http: httpx.AsyncClient
    ledger_keys: LedgerKeys | None = None  # None: checkpoints are signed elsewhere


async def run_once(
    *,
    database: Database,
    calendar: WorkCalendar,
    now: datetime,
    division_code: str | None = None,
    outside: Outside | None = None,
) -> dict[str, int]:
    """One pass: the cases due, the complaints and bad ratings past due (all counted as
    raised), the warnings due to rise; then, with `outside`, the notifications due (what
    was just raised included) and a signed checkpoint of every chain that grew."""
    raised = await check_due_cases(
        database=database, calendar=calendar, now=now, division_code=division_code
    )
    raised += await check_due_complaints(database=database, now=now, division_code=division_code)
    # bad ratings not called back in time (RATING_NOT_RECTIFIED), counted as raised
    raised += await check_unrectified_ratings(
        database=database, now=now, division_code=division_code
    )
    escalated = await escalate_due(database=database, now=now, division_code=division_code)
    counts = {"raised": raised, "escalated": escalated}
    if outside is not None:
        delivery = await deliver_due(
            database=database, now=now, sms=outside.sms, http_client=outside.http
        )
        counts |= {"delivered": delivery["sent"], "dead": delivery["dead"]}
        if outside.ledger_keys is not None:
            signed = await checkpoint_all(
                database=database, keys=outside.ledger_keys, now=now, every=CHECKPOINT_EVERY
            )
            counts["checkpoints"] = len(signed)
    return counts


async def run(
    *,
    database: Database,
    interval: float = INTERVAL,
    stop: asyncio.Event | None = None,
    division_code: str | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    outside: Outside | None = None,
) -> None:
    """Pass after pass, `interval` seconds apart, until `stop` is set; a failed pass is
    logged and the next one retries (nothing is half-done: each batch is one transaction)."""
    if stop is None:
        stop = asyncio.Event()
    while not stop.is_set():
        try:
            async with database.session(SCOPE, read_only=True) as session:
                calendar = await current_calendar(session=session)
            counts = await run_once(
                database=database,
                calendar=calendar,
                now=clock(),
                division_code=division_code,
                outside=outside,
            )
            if any(counts.values()):
                log.info("worker pass: %s", counts)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("worker pass failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)


class Worker:
    """The worker loop as a background task of a process that serves the API."""

    def __init__(
        self,
        *,
        database: Database,
        interval: float = INTERVAL,
        division_code: str | None = None,
        outside: Outside | None = None,
    ) -> None:
        self.database = database
        self.interval = interval
        self.division_code = division_code
        self.outside = outside
        self._stop = asyncio.Event()
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._stop.clear()
        self._task = asyncio.create_task(
            run(
                database=self.database,
                interval=self.interval,
                stop=self._stop,
                division_code=self.division_code,
                outside=self.outside,
            )
        )

    async def stop(self) -> None:
        if self._task is not None:
            self._stop.set()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.outside is not None:
            await self.outside.http.aclose()
