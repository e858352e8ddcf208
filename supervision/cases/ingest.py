"""监察数据采集: taking reported facts into the ledger and re-deriving their cases.

One batch is one transaction: each report is checked on its own and answered on
its own (ACCEPTED, DUPLICATE or REJECTED with a code); what is accepted is
appended to the ledger, its cases are re-derived from all their facts (so facts
arriving out of order land in place), and a live update for each goes to the
outbox. Facts that break the rules are accepted: they become anomalies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.cases import ledger
from supervision.cases.calendar import current_calendar
from supervision.cases.derive import derive_cases
from supervision.cases.models import Attachment, Case, LedgerEntry, OutboxMessage
from supervision.cases.reports import EventReport, Refusal, check_report
from supervision.catalogue.models import Power
from supervision.organisation import Department
from supervision.rules.engine import evaluate_cases
from tenancy.scope import Scope

_CUSTOM_PLANS = text("SET LOCAL plan_cache_mode = force_custom_plan")


@dataclass(frozen=True)
class ReportResult:
    event_id: str
    status: str  # ACCEPTED, DUPLICATE or REJECTED
    code: str | None = None
    message: str | None = None
    case_number: str | None = None


def _rejected(report: EventReport, refusal: Refusal) -> ReportResult:
    return ReportResult(report.event_id, "REJECTED", refusal.code, str(refusal), report.case_number)


async def report_events(
    *,
    session: AsyncSession,
    reports: Sequence[EventReport],
    reporter: str,
    scope: Scope,
    now: datetime | None = None,
) -> list[ReportResult]:
    """Take a batch of reports; the caller commits. Results are in the reports' order."""
    now = now or datetime.now(UTC)
    try:
        async with session.begin_nested():
            return await _take(session, reports, reporter, scope, now)
    except IntegrityError:
        # Rare: a case number or event id taken where this caller cannot see it.
        # Take the reports one by one so only the culprits are refused.
        results = []
        for report in reports:
            try:
                async with session.begin_nested():
                    results.extend(await _take(session, [report], reporter, scope, now))
            except IntegrityError:
                results.append(
                    _rejected(
                        report,
                        Refusal("CONFLICT", "the case number or event id is taken elsewhere"),
                    )
                )
        return results


async def _take(
    session: AsyncSession,
    reports: Sequence[EventReport],
    reporter: str,
    scope: Scope,
    now: datetime,
) -> list[ReportResult]:
    if session.bind.dialect.name == "postgresql":
        # lookups by 500 ids at a time: a cached generic plan would scan the ledger
        await session.execute(_CUSTOM_PLANS)
    results: dict[int, ReportResult] = {}
    candidates: list[tuple[int, EventReport, str, str]] = []  # index, report, body, body hash
    powers = await _powers(session, {r.power_code for r in reports})
    departments = await _departments(session, {r.department_code for r in reports})
    for index, report in enumerate(reports):
        try:
            check_report(report, now=now)
            if not scope.allows(report.division_code):
                raise Refusal(
                    "OUTSIDE_SUBTREE", f"{report.division_code} is outside your part of the tree"
                )
            if report.power_code not in powers:
                raise Refusal("UNKNOWN_POWER", f"no power with code {report.power_code}")
            department = departments.get(report.department_code)
            if department is None:
                raise Refusal("UNKNOWN_DEPARTMENT", f"no department {report.department_code}")
            if department.division_code != report.division_code:
                raise Refusal("DEPARTMENT_MISMATCH", "the department is not of the division given")
        except Refusal as refusal:
            results[index] = _rejected(report, refusal)
            continue
        body = ledger.canonical(report.body())
        candidates.append((index, report, body, ledger.sha256(body)))

    known = await _known_events(session, reporter, [r.event_id for _, r, _, _ in candidates])
    cases = await _case_homes(session, {r.case_number for _, r, _, _ in candidates})
    accepted: list[tuple[int, EventReport, str, str]] = []
    for index, report, body, body_hash in candidates:
        seen = known.get(report.event_id)
        if seen is not None:
            if seen == body_hash:
                results[index] = ReportResult(
                    report.event_id, "DUPLICATE", case_number=report.case_number
                )
            else:
                results[index] = _rejected(
                    report,
                    Refusal("EVENT_ID_REUSED", "this eventId was reported with another body"),
                )
            continue
        home = cases.setdefault(report.case_number, (report.division_code, report.power_code))
        if home != (report.division_code, report.power_code):
            results[index] = _rejected(
                report,
                Refusal("CASE_MISMATCH", "the case was reported under another division or power"),
            )
            continue
        known[report.event_id] = body_hash
        accepted.append((index, report, body, body_hash))
        results[index] = ReportResult(report.event_id, "ACCEPTED", case_number=report.case_number)

    if accepted:
        await _append(session, accepted, reporter, now)
        await _lock_attachments(session, [r for _, r, _, _ in accepted], now)
        numbers = sorted({r.case_number for _, r, _, _ in accepted})
        calendar = await current_calendar(session=session)
        states = await derive_cases(
            session=session, case_numbers=numbers, calendar=calendar, now=now
        )
        # the rules judge the facts in the same transaction: a warning is never lost
        await evaluate_cases(session=session, case_numbers=numbers, calendar=calendar, now=now)
        await session.execute(
            insert(OutboxMessage),
            [
                {
                    "topic": "case",
                    "division_code": report.division_code,
                    "payload": {
                        "caseNumber": report.case_number,
                        "divisionCode": report.division_code,
                        "eventId": report.event_id,
                        "action": report.action,
                        "occurredAt": report.occurred_at.astimezone(UTC).isoformat(),
                        "state": states.get(report.case_number),
                    },
                }
                for _, report, _, _ in accepted
            ],
        )
    return [results[i] for i in range(len(reports))]


async def _powers(session: AsyncSession, codes: set[str]) -> dict[str, Power]:
    rows = await session.scalars(select(Power).where(Power.code.in_(codes)))
    return {p.code: p for p in rows}


async def _departments(session: AsyncSession, codes: set[str]) -> dict[str, Department]:
    rows = await session.scalars(select(Department).where(Department.code.in_(codes)))
    return {d.code: d for d in rows}


async def _known_events(
    session: AsyncSession, reporter: str, event_ids: list[str]
) -> dict[str, str]:
    if not event_ids:
        return {}
    rows = await session.execute(
        select(LedgerEntry.event_id, LedgerEntry.body_hash).where(
            LedgerEntry.reporter == reporter, LedgerEntry.event_id.in_(event_ids)
        )
    )
    return dict(rows.all())


async def _case_homes(session: AsyncSession, numbers: set[str]) -> dict[str, tuple[str, str]]:
    if not numbers:
        return {}
    rows = await session.execute(
        select(Case.number, Case.division_code, Case.power_code).where(Case.number.in_(numbers))
    )
    return {number: (division, power) for number, division, power in rows}


async def _append(session: AsyncSession, accepted, reporter: str, now: datetime) -> None:
    by_chain: dict[str, list] = defaultdict(list)
    for item in accepted:
        by_chain[ledger.chain_of(item[1].division_code)].append(item)
    heads = await ledger.lock_heads(session=session, chains=list(by_chain))
    rows = []
    for chain, items in by_chain.items():
        for _, report, body, body_hash in items:
            seq, prev_hash, digest = ledger.append(heads[chain], body_hash)
            rows.append(
                {
                    "chain": chain,
                    "seq": seq,
                    "event_id": report.event_id,
                    "case_number": report.case_number,
                    "division_code": report.division_code,
                    "action": report.action,
                    "occurred_at": report.occurred_at,
                    "recorded_at": now,
                    "reporter": reporter,
                    "body": body,
                    "body_hash": body_hash,
                    "prev_hash": prev_hash,
                    "hash": digest,
                }
            )
    await session.execute(insert(LedgerEntry), rows)
    await session.flush()


async def _lock_attachments(
    session: AsyncSession, reports: list[EventReport], now: datetime
) -> None:
    """Keep each attachment by hash: a new hash under a known name is a new version."""
    wanted = [(r, a) for r in reports for a in r.attachments]
    if not wanted:
        return
    numbers = {r.case_number for r, _ in wanted}
    existing = await session.execute(
        select(
            Attachment.case_number, Attachment.name, Attachment.sha256, Attachment.version
        ).where(Attachment.case_number.in_(numbers))
    )
    hashes: dict[tuple[str, str], set[str]] = defaultdict(set)
    versions: dict[tuple[str, str], int] = defaultdict(int)
    for number, name, digest, version in existing:
        hashes[(number, name)].add(digest)
        versions[(number, name)] = max(versions[(number, name)], version)
    rows = []
    for report, attachment in wanted:
        key = (report.case_number, attachment.name)
        if attachment.sha256 in hashes[key]:
            continue
        hashes[key].add(attachment.sha256)
        versions[key] += 1
        rows.append(
            {
                "case_number": report.case_number,
                "name": attachment.name,
                "version": versions[key],
                "sha256": attachment.sha256,
                "size": attachment.size,
                "media_type": attachment.media_type,
                "event_id": report.event_id,
                "division_code": report.division_code,
                "recorded_at": now,
            }
        )
    if rows:
        await session.execute(insert(Attachment), rows)


async def count_unpublished(*, session: AsyncSession) -> int:
    """Outbox messages not yet relayed."""
    return await session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.published_at.is_(None))
    )
