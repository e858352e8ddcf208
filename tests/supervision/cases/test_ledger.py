"""留痕: facts are appended to one hash chain per district, and verify() finds any change.

Reports go through report_events on the session database, in a session that sees every
tenant (Scope.bypass); each test rolls its facts back unless it needs them committed.
"""

import json
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.cases import ledger
from supervision.cases.clock import TZ
from supervision.cases.ingest import report_events
from supervision.cases.models import ChainHead, LedgerEntry
from supervision.cases.reports import EventReport
from supervision.catalogue.models import Power, PowerStatus
from supervision.organisation import Department
from tenancy.db import Database
from tenancy.scope import Scope
from tests import databases

REPORTER = "test-ledger-system"
SHINAN = "370202000000"  # 市南区
SHIBEI = "370203000000"  # 市北区
HONG_KONG_ROAD = "370202001000"  # 香港中路街道, a town of 市南区
ALL = Scope.bypass("test: the ledger across districts")


async def _home(session: AsyncSession, division_code: str) -> dict:
    row = (
        await session.execute(
            select(Power.code, Department.code)
            .join(Department, Department.id == Power.department_id)
            .where(Power.status == PowerStatus.PUBLISHED, Power.division_code == division_code)
            .order_by(Power.id)
            .limit(1)
        )
    ).one()
    return {"power_code": row[0], "department_code": row[1], "division_code": division_code}


@pytest.fixture(scope="module")
async def homes(database) -> dict[str, dict]:
    """A published power and its department, for each division the tests report in."""
    async with database.session(Scope.bypass("test: pick powers")) as session:
        return {code: await _home(session, code) for code in (SHINAN, SHIBEI, HONG_KONG_ROAD)}


@pytest.fixture
async def session(database) -> AsyncIterator[AsyncSession]:
    """A session seeing every tenant; what a test does not commit is rolled back."""
    async with database.session(ALL) as session:
        yield session
        await session.rollback()


def case_number() -> str:
    return f"T-ledger-{uuid.uuid4().hex[:12]}"


def fact(home: dict, case: str, action: str, hours_ago: int, **fields) -> EventReport:
    return EventReport(
        event_id=f"t-{uuid.uuid4().hex}",
        case_number=case,
        action=action,
        occurred_at=datetime.now(TZ) - timedelta(hours=hours_ago),
        **home,
        **fields,
    )


def three_facts(home: dict) -> list[EventReport]:
    case = case_number()
    return [
        fact(home, case, "ACCEPT", 30, officer="王伟", post="窗口受理岗"),
        fact(home, case, "ADVANCE", 20, node="审查", opinion="材料齐全"),
        fact(home, case, "APPROVE", 10, opinion="准予许可"),
    ]


async def report(session: AsyncSession, reports: list[EventReport]) -> list[LedgerEntry]:
    """Report the facts (all must be accepted); their ledger entries, in the reports' order."""
    results = await report_events(session=session, reports=reports, reporter=REPORTER, scope=ALL)
    assert [r.status for r in results] == ["ACCEPTED"] * len(reports), results
    rows = await session.scalars(
        select(LedgerEntry).where(
            LedgerEntry.reporter == REPORTER,
            LedgerEntry.event_id.in_([r.event_id for r in reports]),
        )
    )
    by_event = {row.event_id: row for row in rows}
    return [by_event[r.event_id] for r in reports]


async def hash_before(session: AsyncSession, entry: LedgerEntry) -> str:
    """The hash of the entry before this one in its chain (genesis for the first)."""
    if entry.seq == 1:
        return ledger.GENESIS
    return await session.scalar(
        select(LedgerEntry.hash).where(
            LedgerEntry.chain == entry.chain, LedgerEntry.seq == entry.seq - 1
        )
    )


def assert_linked(entries: list[LedgerEntry]) -> None:
    """Consecutive entries of one chain, each hash covering its place and predecessor."""
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.chain == before.chain
        assert after.seq == before.seq + 1
        assert after.prev_hash == before.hash
    for entry in entries:
        assert entry.body_hash == ledger.sha256(entry.body)
        assert entry.hash == ledger.link_hash(
            chain=entry.chain, seq=entry.seq, prev_hash=entry.prev_hash, body_hash=entry.body_hash
        )


# --- chaining ---


async def test_facts_of_one_district_are_chained_one_after_another(session, homes):
    entries = await report(session, three_facts(homes[SHINAN]))

    assert {e.chain for e in entries} == {SHINAN}
    assert_linked(entries)
    assert entries[0].prev_hash == await hash_before(session, entries[0])
    head = await session.get(ChainHead, SHINAN)
    assert (head.seq, head.hash) == (entries[-1].seq, entries[-1].hash)


async def test_a_later_batch_continues_the_chain_where_the_last_one_ended(session, homes):
    first = await report(session, three_facts(homes[SHINAN]))
    second = await report(session, three_facts(homes[SHINAN]))

    assert_linked(first + second)
    assert second[0].seq == first[-1].seq + 1
    assert second[0].prev_hash == first[-1].hash


async def test_a_towns_facts_go_to_its_districts_chain(session, homes):
    district, town = three_facts(homes[SHINAN]), three_facts(homes[HONG_KONG_ROAD])

    entries = await report(session, [district[0], town[0], district[1], town[1]])

    assert {e.chain for e in entries} == {SHINAN}
    assert entries[1].division_code == HONG_KONG_ROAD
    assert_linked(entries)


async def test_two_districts_get_separate_chains(session, homes):
    shinan, shibei = three_facts(homes[SHINAN]), three_facts(homes[SHIBEI])
    interleaved = [x for pair in zip(shinan, shibei, strict=True) for x in pair]

    entries = await report(session, interleaved)

    shinan_entries = [e for e in entries if e.division_code == SHINAN]
    shibei_entries = [e for e in entries if e.division_code == SHIBEI]
    assert {e.chain for e in shinan_entries} == {SHINAN}
    assert {e.chain for e in shibei_entries} == {SHIBEI}
    assert_linked(shinan_entries)
    assert_linked(shibei_entries)
    assert shibei_entries[0].prev_hash == await hash_before(session, shibei_entries[0])


# --- verification ---


async def test_verify_answers_ok_for_an_untouched_ledger(session, homes):
    entries = await report(session, three_facts(homes[SHINAN]) + three_facts(homes[SHIBEI]))

    district = await ledger.verify(session=session, division_code=SHINAN)
    city = await ledger.verify(session=session, division_code="370200000000")

    assert district.ok, district
    assert district.checked >= 3
    assert (district.chain, district.seq, district.event_id, district.reason) == (None,) * 4
    assert city.ok, city
    assert city.checked >= district.checked + 3
    assert city.checked >= len(entries)


async def test_verify_narrowed_to_a_period_counts_only_its_entries(session, homes):
    await report(session, three_facts(homes[SHINAN]))
    # far in the past: no fact was reported then, yet the whole chain is walked
    start = datetime(2001, 1, 1, tzinfo=TZ)

    result = await ledger.verify(
        session=session,
        division_code=SHINAN,
        occurred_from=start,
        occurred_to=start + timedelta(days=1),
    )

    assert result.ok
    assert result.checked == 0


@pytest.mark.skipif(
    databases.on_postgres(), reason="SQLite only: PostgreSQL refuses UPDATE on the ledger"
)
async def test_a_changed_body_is_found_with_its_chain_seq_and_event(session, homes):
    entries = await report(session, three_facts(homes[SHINAN]))
    changed = entries[1]
    forged = ledger.canonical({**json.loads(changed.body), "opinion": "材料不全"})
    await session.execute(
        text("UPDATE ledger SET body = :body WHERE id = :id"), {"body": forged, "id": changed.id}
    )
    session.expire_all()  # read the rows again, not the copies this session already holds

    result = await ledger.verify(session=session, division_code=SHINAN)

    assert not result.ok
    assert (result.chain, result.seq, result.event_id, result.reason) == (
        SHINAN,
        changed.seq,
        changed.event_id,
        "its content was changed",
    )


@pytest.mark.skipif(
    databases.on_postgres(), reason="SQLite only: PostgreSQL refuses DELETE on the ledger"
)
async def test_a_deleted_middle_entry_is_found_missing(session, homes):
    entries = await report(session, three_facts(homes[SHINAN]))
    removed_seq, following = entries[1].seq, (entries[2].seq, entries[2].event_id)
    await session.execute(text("DELETE FROM ledger WHERE id = :id"), {"id": entries[1].id})
    session.expire_all()

    result = await ledger.verify(session=session, division_code=SHINAN)

    assert not result.ok
    assert result.reason == f"entry {removed_seq} is missing"
    # reported at the first link that no longer follows: the entry after the gap
    assert (result.chain, result.seq, result.event_id) == (SHINAN, *following)


@pytest.mark.skipif(
    databases.on_postgres(), reason="SQLite only: PostgreSQL refuses DELETE on the ledger"
)
async def test_a_deleted_last_entry_is_found_missing_against_the_chain_head(session, homes):
    entries = await report(session, three_facts(homes[SHINAN]))
    await session.execute(text("DELETE FROM ledger WHERE id = :id"), {"id": entries[-1].id})
    session.expire_all()

    result = await ledger.verify(session=session, division_code=SHINAN)

    assert not result.ok
    assert result.chain == SHINAN
    assert "missing" in result.reason


# --- PostgreSQL: the database itself refuses to change the ledger ---


@pytest.fixture
async def owner_session(database_url) -> AsyncIterator[AsyncSession]:
    """A session as the tables' owner (the superuser that ran the migrations), no app role."""
    owner = Database(database_url)
    try:
        async with owner.session(Scope.bypass("test: act as the owner")) as session:
            yield session
            await session.rollback()
    finally:
        await owner.dispose()


POSTGRES_ONLY = pytest.mark.skipif(
    not databases.on_postgres(),
    reason="PostgreSQL-only: the append-only triggers exist there; SQLite has none",
)


@POSTGRES_ONLY
async def test_updating_the_ledger_is_refused_even_to_the_owner(owner_session, homes):
    entries = await report(owner_session, three_facts(homes[SHINAN]))

    with pytest.raises(DBAPIError, match="append-only"):
        await owner_session.execute(
            text("UPDATE ledger SET body = body WHERE id = :id"), {"id": entries[0].id}
        )


@POSTGRES_ONLY
async def test_deleting_from_the_ledger_is_refused_even_to_the_owner(owner_session, homes):
    entries = await report(owner_session, three_facts(homes[SHINAN]))

    with pytest.raises(DBAPIError, match="append-only"):
        await owner_session.execute(
            text("DELETE FROM ledger WHERE id = :id"), {"id": entries[1].id}
        )


@POSTGRES_ONLY
async def test_truncating_the_ledger_is_refused_even_to_the_owner(owner_session, homes):
    await report(owner_session, three_facts(homes[SHINAN]))

    with pytest.raises(DBAPIError, match="append-only"):
        await owner_session.execute(text("TRUNCATE ledger"))


@POSTGRES_ONLY
async def test_the_refusing_session_acts_as_the_ledgers_owner(owner_session):
    # The refusals above would prove little if they came from a lack of privilege.
    owner = await owner_session.scalar(
        text("SELECT tableowner = current_user FROM pg_tables WHERE tablename = 'ledger'")
    )
    assert owner is True
