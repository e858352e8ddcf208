"""publicStats for the whole demo city over a year: SQL aggregates against a row-by-row baseline.

Creates a scratch database (beside the PostgreSQL one YANGGUANG_DATABASE_URL names, or a
temporary SQLite file when it names SQLite), loads the demo city, catalogue and default rules
and 20,000 demo cases through the reporting path (as `yangguang seed --demo` does: minutes),
then times, for the whole city over the last 12 whole Beijing months:

- `public_stats`, the service (8 statements: SQL aggregates, one pass for the clock),
- the `publicStats` operation executed by the schema, anonymously (the service plus every
  department's figures as GraphQL fields),
- the baseline, in the same process: every case, warning, card and rating of the window
  loaded as ORM rows and counted in Python, the working days read by `read_clock` case by
  case. Its figures must equal the service's.

`--reuse URL` times an already seeded database instead (nothing is created or dropped);
`--keep` keeps the scratch PostgreSQL database for that.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dateutil.relativedelta import relativedelta  # noqa: E402
from sqlalchemy import and_, or_, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from api.migrate import upgrade  # noqa: E402
from supervision.cases.calendar import current_calendar  # noqa: E402
from supervision.cases.clock import TZ  # noqa: E402
from supervision.cases.demo import seed_demo_cases  # noqa: E402
from supervision.cases.derive import clock_of  # noqa: E402
from supervision.cases.models import Case  # noqa: E402
from supervision.catalogue.demo import seed_demo_catalogue  # noqa: E402
from supervision.catalogue.models import PowerVersion  # noqa: E402
from supervision.publication import stats as stats_module  # noqa: E402
from supervision.publication.stats import Figures, public_stats  # noqa: E402
from supervision.ratings.models import Rating  # noqa: E402
from supervision.rules.demo import seed_default_rules  # noqa: E402
from supervision.rules.models import Card, CardLevel, Warning, WarningStatus  # noqa: E402
from supervision.seed import seed_demo  # noqa: E402
from tenancy.db import Database  # noqa: E402
from tenancy.scope import Scope, subtree  # noqa: E402

CASES = 20_000
CITY = "370200000000"
SCOPE = Scope.bypass("bench: public statistics")
QUERY = """
query($divisionCode: String!, $from: DateTime!, $to: DateTime!) {
  publicStats(divisionCode: $divisionCode, from: $from, to: $to) {
    totals { ...figures }
    byDepartment { department { code name } figures { ...figures } }
    byMonth { month figures { ...figures } }
  }
}
fragment figures on PublicFigures {
  accepted decided decidedOnTime decidedLate onTimeRate
  promisedCasesDecided decidedEarly earlyCompletionRate
  onTheSpotAccepted onTheSpotDecidedSameDay onTheSpotRate decidedSameDay sameDayRate
  averageWorkingDays averagePromisedWorkingDays
  warningsRaised warningsHandled warningHandlingRate yellowCards redCards
  ratings satisfiedRatings dissatisfiedRatings satisfactionRate
}
"""


async def _seed(url: str) -> None:
    database = Database(url)
    async with database.session(Scope.bypass("bench load")) as session:
        await seed_demo(session=session)
        await seed_demo_catalogue(session=session)
        await seed_default_rules(session=session)
        await session.commit()
        began = time.perf_counter()
        cases = await seed_demo_cases(session=session, count=CASES)
        await session.commit()
    print(f"{cases} demo cases reported in {time.perf_counter() - began:.0f} s")
    await database.dispose()


def _month(moment: datetime) -> str:
    return f"{moment.astimezone(TZ):%Y-%m}"


def _day(moment: datetime):
    return moment.astimezone(TZ).date()


async def _baseline(session, start: datetime, end: datetime) -> tuple[Figures, dict]:
    """The same figures from every row, counted in Python; the clock read case by case."""
    calendar = await current_calendar(session=session)
    totals, months = Figures(), defaultdict(Figures)

    def both(moment: datetime) -> tuple[Figures, Figures]:
        return totals, months[_month(moment)]

    def inside(moment: datetime | None) -> bool:
        return moment is not None and start <= moment < end

    rows = await session.execute(
        select(Case, PowerVersion.on_the_spot)
        .outerjoin(PowerVersion, PowerVersion.id == Case.power_version_id)
        .where(
            subtree(Case.division_code, CITY),
            or_(
                and_(Case.accepted_at >= start, Case.accepted_at < end),
                and_(Case.decided_at >= start, Case.decided_at < end),
            ),
        )
    )
    for case, on_the_spot in rows:
        same_day = case.decided_at is not None and _day(case.decided_at) <= _day(case.accepted_at)
        if inside(case.accepted_at):
            for f in both(case.accepted_at):
                f.accepted += 1
                f.on_the_spot_accepted += bool(on_the_spot)
                f.on_the_spot_same_day += bool(on_the_spot) and same_day
                f.decided_same_day += same_day
        if inside(case.decided_at):
            timed = case.promised_due_at is not None
            promised = timed and case.promised_value >= 1
            reading = clock_of(case, "promised", calendar=calendar, now=case.decided_at)
            for f in both(case.decided_at):
                f.decided += 1
                f.on_time += timed and not case.decided_late
                f.late += timed and case.decided_late
                f.promised_decided += promised
                f.early += promised and _day(case.decided_at) < _day(case.promised_due_at)
                if timed:
                    f.working_days_used += reading.elapsed_working_days
                    f.working_days_promised += (
                        reading.elapsed_working_days
                        - reading.overdue_by
                        + reading.remaining_working_days
                    )
    for warning in await session.scalars(
        select(Warning).where(
            subtree(Warning.division_code, CITY),
            Warning.raised_at >= start,
            Warning.raised_at < end,
        )
    ):
        for f in both(warning.raised_at):
            f.warnings_raised += 1
            f.warnings_handled += warning.status != WarningStatus.OPEN
    for card in await session.scalars(
        select(Card).where(
            subtree(Card.division_code, CITY), Card.issued_at >= start, Card.issued_at < end
        )
    ):
        for f in both(card.issued_at):
            f.yellow_cards += card.level == CardLevel.YELLOW
            f.red_cards += card.level == CardLevel.RED
    for rating in await session.scalars(
        select(Rating).where(
            subtree(Rating.division_code, CITY), Rating.rated_at >= start, Rating.rated_at < end
        )
    ):
        for f in both(rating.rated_at):
            f.ratings += 1
            f.satisfied += rating.level >= 4
            f.dissatisfied += rating.level <= 2
    return totals, dict(months)


async def _timed(run, rounds: int) -> tuple[float, object]:
    """Median milliseconds of `rounds` runs, and the last result."""
    timings, result = [], None
    for _ in range(rounds):
        began = time.perf_counter()
        result = await run()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings), result


async def _measure(url: str, rounds: int) -> None:
    from policies.sync import PolicySync
    from schema.context import Caller, Context
    from schema.schema import build_schema

    database = Database(url)
    this_month = datetime.now(TZ).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    start, end = this_month - relativedelta(months=12), this_month
    async with database.session(SCOPE, read_only=True) as session:
        counted = await session.scalar(
            select(Case.id).where(Case.decided_at >= start, Case.decided_at < end).limit(1)
        )
        assert counted is not None, "no demo cases decided in the window"

    async def service():
        async with database.session(SCOPE, read_only=True) as session:
            return await public_stats(session=session, division_code=CITY, start=start, end=end)

    async def clock_pass():
        async with database.session(SCOPE, read_only=True) as session:
            calendar = await current_calendar(session=session)
            await stats_module._working_days(
                session, stats_module._Tally(), CITY, start, end, calendar
            )

    async def baseline():
        async with database.session(SCOPE, read_only=True) as session:
            return await _baseline(session, start, end)

    policy = PolicySync(database=database, redis=None, channel="bench", poll_seconds=3600)
    await policy.start()
    schema = build_schema()
    variables = {"divisionCode": CITY, "from": start.isoformat(), "to": end.isoformat()}

    async def operation():
        context = Context(caller=Caller(None, "ANONYMOUS"), database=database, policy=policy)
        result = await schema.execute(QUERY, variable_values=variables, context_value=context)
        assert result.errors is None, result.errors
        return result.data

    await service()  # warm up: plans, the calendar library
    service_ms, stats = await _timed(service, rounds)
    clock_ms, _ = await _timed(clock_pass, rounds)
    graphql_ms, data = await _timed(operation, rounds)
    baseline_ms, (totals, months) = await _timed(baseline, max(1, rounds // 3))
    await policy.stop()
    await database.dispose()

    assert stats.totals == totals, (stats.totals, totals)
    assert {m: f for m, f in stats.by_month if f != Figures()} == months
    t = stats.totals
    print(
        f"city {CITY}, {start:%Y-%m} to {end - relativedelta(months=1):%Y-%m}: "
        f"{t.accepted} accepted, {t.decided} decided, {len(stats.by_department)} departments, "
        f"{t.warnings_raised} warnings; on time {t.on_time_rate:.3f}, "
        f"early {t.early_completion_rate:.3f}, on the spot {t.on_the_spot_rate:.3f}, "
        f"{t.average_working_days:.2f} of {t.average_promised_working_days:.2f} working days"
    )
    fields = sum(len(d["figures"]) + 2 for d in data["publicStats"]["byDepartment"])
    print(f"public_stats (service), median of {rounds}: {service_ms:.1f} ms")
    print(f"  of which the working days (one query, the clock in Python): {clock_ms:.1f} ms")
    print(
        f"publicStats (schema.execute, ~{fields:,} fields), median of {rounds}: {graphql_ms:.1f} ms"
    )
    print(f"baseline (ORM rows, read_clock per case): {baseline_ms:.1f} ms")
    print(f"ratio baseline / service: {baseline_ms / service_ms:.1f}x")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", help="an already seeded database URL: nothing is created")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--keep", action="store_true", help="keep the scratch PostgreSQL database")
    args = parser.parse_args()
    if args.reuse:
        await _measure(args.reuse, args.rounds)
        return
    base = make_url(os.environ.get("YANGGUANG_DATABASE_URL", "sqlite:///yangguang.db"))
    if base.get_backend_name() == "sqlite":
        with tempfile.TemporaryDirectory() as scratch:
            url = f"sqlite:///{scratch}/bench.db"
            await asyncio.to_thread(upgrade, url)
            await _seed(url)
            await _measure(url, args.rounds)
        return
    import asyncpg

    dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"yg_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        await asyncio.to_thread(upgrade, url)
        await _seed(url)
        owner_dsn = make_url(url).set(drivername="postgresql")
        owner = await asyncpg.connect(owner_dsn.render_as_string(hide_password=False))
        await owner.execute("ANALYZE")
        await owner.close()
        await _measure(url, args.rounds)
    finally:
        if args.keep:
            print(f"kept: --reuse {url}")
        else:
            admin = await asyncpg.connect(dsn)
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
