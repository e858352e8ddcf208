"""Ingest on PostgreSQL: events per second through report_events against raw COPY.

Creates a scratch database beside the one YANGGUANG_DATABASE_URL names, loads the demo
city and catalogue, builds ~20,000 events of demo cases, and takes them in as the API
does: batches of 500 in time order, one transaction each, as the app role. Then the
same ledger rows are written by COPY (asyncpg copy_records_to_table, as the owner) into
`ledger_copy`, a table made LIKE the ledger with its indexes: the baseline.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncpg  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from api.migrate import upgrade  # noqa: E402
from supervision import demo_data  # noqa: E402
from supervision.cases.demo import REPORTER, demo_powers, demo_reports  # noqa: E402
from supervision.cases.ingest import report_events  # noqa: E402
from supervision.cases.reports import MAX_BATCH  # noqa: E402
from supervision.catalogue.demo import seed_demo_catalogue  # noqa: E402
from supervision.seed import seed_demo  # noqa: E402
from tenancy.db import Database  # noqa: E402
from tenancy.scope import Scope  # noqa: E402

EVENTS = 20_000
COLUMNS = [
    "chain",
    "seq",
    "event_id",
    "case_number",
    "division_code",
    "action",
    "occurred_at",
    "recorded_at",
    "reporter",
    "body",
    "body_hash",
    "prev_hash",
    "hash",
]


def _dsn(url) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


async def _load(url: str) -> None:
    """The demo city and catalogue, written as the owner (as `yangguang seed --demo` does)."""
    database = Database(url)
    async with database.session(Scope.bypass("bench load")) as session:
        await seed_demo(session=session)
        await seed_demo_catalogue(session=session)
        await session.commit()
    await database.dispose()


async def _reports(database: Database, now: datetime) -> list:
    """Whole demo cases, ~EVENTS events, in the order they happened."""
    async with database.session(Scope.bypass("bench build")) as session:
        powers = await demo_powers(session=session)
    reports = demo_reports(powers=powers, count=EVENTS // 4, now=now)
    cut = next(
        i
        for i in range(EVENTS, len(reports))
        if reports[i].case_number != reports[i - 1].case_number
    )
    return sorted(reports[:cut], key=lambda r: (r.occurred_at, r.event_id))


async def _ingest(database: Database, reports: list, now: datetime) -> list[float]:
    """Seconds per batch: report_events and commit, one transaction per batch of 500."""
    scope = Scope.of([demo_data.CITY[0]])  # a city-wide reporting grant
    timings = []
    for start in range(0, len(reports), MAX_BATCH):
        batch = reports[start : start + MAX_BATCH]
        began = time.perf_counter()
        async with database.session(scope) as session:
            results = await report_events(
                session=session, reports=batch, reporter=REPORTER, scope=scope, now=now
            )
            await session.commit()
        timings.append(time.perf_counter() - began)
        refused = [r for r in results if r.status != "ACCEPTED"]
        assert not refused, refused[:3]
    return timings


async def _copy(connection: asyncpg.Connection, rows: list, batch: int) -> float:
    """Seconds to COPY the rows into an empty ledger_copy, one transaction per batch."""
    await connection.execute("TRUNCATE ledger_copy")
    began = time.perf_counter()
    for start in range(0, len(rows), batch):
        async with connection.transaction():
            await connection.copy_records_to_table(
                "ledger_copy", records=rows[start : start + batch], columns=COLUMNS
            )
    return time.perf_counter() - began


async def main() -> None:
    base = make_url(
        os.environ.get("YANGGUANG_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    )
    if base.get_backend_name() != "postgresql":
        sys.exit("this benchmark needs PostgreSQL: set YANGGUANG_DATABASE_URL=postgresql://…")
    name = f"yg_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(_dsn(base))
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        await asyncio.to_thread(upgrade, url)
        await _load(url)
        database = Database(url, app_role="yangguang_app")
        owner = await asyncpg.connect(_dsn(make_url(url)))
        await owner.execute("ANALYZE")  # as the owner: the app role may not
        now = datetime.now(UTC)
        began = time.perf_counter()
        reports = await _reports(database, now)
        built = time.perf_counter() - began
        cases = len({r.case_number for r in reports})
        print(f"{len(reports)} events of {cases} demo cases, built in {built:.2f} s")

        timings = await _ingest(database, reports, now)
        ingest = len(reports) / sum(timings)
        tenth = max(1, len(timings) // 10)
        first, last = timings[:tenth], timings[-tenth:]
        print(
            f"report_events, batches of {MAX_BATCH}: {sum(timings):.2f} s, {ingest:,.0f} events/s"
            f" (batch median {statistics.median(timings) * 1000:.0f} ms;"
            f" first tenth {statistics.mean(first) * 1000:.0f} ms,"
            f" last tenth {statistics.mean(last) * 1000:.0f} ms)"
        )

        rows = await owner.fetch(f"SELECT {', '.join(COLUMNS)} FROM ledger ORDER BY id")
        assert len(rows) == len(reports)
        await owner.execute("CREATE TABLE ledger_copy (LIKE ledger INCLUDING ALL)")
        copied = len(rows) / await _copy(owner, rows, MAX_BATCH)
        copied_once = len(rows) / await _copy(owner, rows, len(rows))
        print(f"COPY into ledger_copy, batches of {MAX_BATCH}: {copied:,.0f} rows/s")
        print(f"COPY into ledger_copy, one COPY of all rows: {copied_once:,.0f} rows/s")
        print(f"ratio ingest / COPY (batches of {MAX_BATCH}): {ingest / copied:.3f}x")
        print(f"ratio ingest / COPY (one COPY): {ingest / copied_once:.3f}x")
        print(f"target: >= 20,000 events/s and >= 0.25x COPY; measured {ingest:,.0f} events/s")
        await owner.close()
        await database.dispose()
    finally:
        admin = await asyncpg.connect(_dsn(base))
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
