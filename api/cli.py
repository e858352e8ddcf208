"""The `yangguang` command: serve, worker, migrate, seed, token, schema."""

from __future__ import annotations

import argparse
import asyncio
import sys

from api.ledger_commands import add_ledger_commands, ledger_keys_or_exit
from api.settings import Settings, SettingsError, load, rating_secret


def _settings() -> Settings:
    try:
        return load()
    except SettingsError as exc:
        print(f"yangguang: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_migrate(args: argparse.Namespace) -> None:
    from api import migrate

    settings = _settings()
    if args.down:
        migrate.downgrade(
            settings.database_url, app_role=settings.database_role, revision=args.down
        )
    else:
        migrate.upgrade(settings.database_url, app_role=settings.database_role)
    print("migrations: done")


async def _seed(settings: Settings, case_count: int = 20_000) -> None:
    from datetime import UTC, datetime

    from tqdm import tqdm

    from api.demo import seed_demo_grants
    from supervision.cases.demo import seed_demo_cases
    from supervision.catalogue.demo import demo_powers, seed_demo_catalogue
    from supervision.ratings.demo import seed_demo_ratings
    from supervision.rules.demo import seed_default_rules
    from supervision.rules.demo_handling import seed_demo_handling
    from supervision.seed import estimated_rows, seed_demo
    from tenancy.db import Database
    from tenancy.scope import Scope

    # an operator's command: it runs as the database owner, like migrations
    database = Database(settings.database_url)
    try:
        async with database.session(Scope.bypass("demo seed")) as session:
            with tqdm(total=estimated_rows(), unit="row", desc="demo city") as bar:
                summary = await seed_demo(session=session, progress=bar.update)
            with tqdm(total=demo_powers(), unit="power", desc="demo catalogue") as bar:
                powers = await seed_demo_catalogue(session=session, progress=bar.update)
            await seed_demo_grants(session=session)
            await seed_default_rules(session=session)
            await session.commit()
            with tqdm(total=None, unit="event", desc="demo cases") as bar:
                cases = await seed_demo_cases(
                    session=session, count=case_count, progress=bar.update
                )
            if cases:
                with tqdm(total=None, unit="warning", desc="demo handling") as bar:
                    handled = await seed_demo_handling(
                        session=session, now=datetime.now(UTC), progress=bar.update
                    )
                ratings = await seed_demo_ratings(session=session, now=datetime.now(UTC))
            await session.commit()
    finally:
        await database.dispose()
    if summary.skipped:
        print("demo city: already there")
    else:
        print(
            f"demo city: {summary.divisions} divisions, {summary.departments} departments, "
            f"{summary.posts} posts, {summary.officers} officers, {powers} powers"
        )
    if cases:
        print(f"demo cases: {cases}; warnings handled: {handled}; ratings: {ratings}")


def cmd_seed(args: argparse.Namespace) -> None:
    if not args.demo:
        print("yangguang: only the demo data can be seeded: use --demo", file=sys.stderr)
        raise SystemExit(2)
    settings = _settings()
    from api import migrate

    migrate.upgrade(settings.database_url, app_role=settings.database_role)
    asyncio.run(_seed(settings, args.cases))


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from api.app import create_app
    from api.services import Services
    from supervision.rules.worker import Worker

    settings = _settings()
    if args.demo:
        cmd_seed(argparse.Namespace(demo=True, cases=args.cases))
    ledger_keys_or_exit(settings)  # prod: the record's keys are required, checked at start
    try:
        rating_secret(settings)  # prod: the key of rating codes is required, checked at start
    except SettingsError as exc:
        print(f"yangguang: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    services = Services.create(settings)
    # the embedded default (SQLite) runs the time-driven rules in this very process;
    # on PostgreSQL they run in `yangguang worker` processes unless --worker is given
    in_process = not services.database.is_postgres if args.worker is None else args.worker
    if in_process:
        services.worker = Worker(
            database=services.database,
            outside=worker_outside(settings, services.ledger_keys),
        )
    url = f"http://{args.host}:{args.port}/graphql"
    if not settings.is_prod:
        print(f"GraphiQL: {url}")
        print("a token: yangguang token --sub demo-inspector (see README, Tokens)")
    uvicorn.run(create_app(services=services), host=args.host, port=args.port, log_level="info")


async def _worker(settings: Settings, args: argparse.Namespace) -> dict[str, int] | None:
    import signal
    from datetime import UTC, datetime

    from supervision.cases.calendar import current_calendar
    from supervision.rules import worker
    from tenancy.db import Database

    database = Database(settings.database_url, app_role=settings.database_role)
    outside = worker_outside(settings)
    try:
        if args.once:
            async with database.session(worker.SCOPE, read_only=True) as session:
                calendar = await current_calendar(session=session)
            return await worker.run_once(
                database=database,
                calendar=calendar,
                now=datetime.now(UTC),
                division_code=args.division,
                outside=outside,
            )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)  # finish the pass, then leave
        await worker.run(
            database=database,
            interval=args.interval,
            stop=stop,
            division_code=args.division,
            outside=outside,
        )
        return None
    finally:
        await outside.http.aclose()
        await database.dispose()


def worker_outside(settings: Settings, keys=None):
    """What the worker sends through: the SMS provider, one HTTP client, the record's keys."""
    import httpx

    from supervision.notify.providers import sms_provider
    from supervision.rules.worker import Outside

    return Outside(
        sms=sms_provider(settings.sms_provider),
        http=httpx.AsyncClient(timeout=10.0),
        ledger_keys=keys or ledger_keys_or_exit(settings),
    )


def cmd_worker(args: argparse.Namespace) -> None:
    import logging

    from tenancy.codes import InvalidDivisionCode, tier_of

    settings = _settings()
    if args.interval <= 0:
        print("yangguang: --interval must be above 0 seconds", file=sys.stderr)
        raise SystemExit(2)
    if args.division is not None:
        try:
            tier_of(args.division)
        except InvalidDivisionCode as exc:
            print(f"yangguang: {exc}", file=sys.stderr)
            raise SystemExit(2) from None
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    counts = asyncio.run(_worker(settings, args))
    if counts is not None:
        print(
            f"worker: {counts['raised']} warnings raised, {counts['escalated']} escalated, "
            f"{counts['delivered']} notifications sent, {counts['checkpoints']} chains signed"
        )


async def _token(settings: Settings, args: argparse.Namespace) -> str:
    from api.auth import issue_dev_token
    from policies import grants
    from policies.models import AccountKind
    from tenancy.db import Database
    from tenancy.scope import Scope

    kind = AccountKind.SERVICE if args.service else AccountKind.PERSON
    database = Database(settings.database_url, app_role=settings.database_role)
    try:
        async with database.session(Scope.bypass("dev token grant")) as session:
            await grants.ensure_account(
                session=session, subject=args.sub, kind=kind, display_name=args.sub
            )
            if args.role:
                await grants.grant_role(
                    session=session,
                    subject=args.sub,
                    role=args.role,
                    division_code=args.division,
                )
            await session.commit()
    finally:
        await database.dispose()
    return issue_dev_token(settings, subject=args.sub, kind=kind.value, ttl_seconds=args.ttl)


def cmd_token(args: argparse.Namespace) -> None:
    from policies.grants import GrantError
    from tenancy.codes import InvalidDivisionCode

    settings = _settings()
    if settings.is_prod:
        print("yangguang: dev tokens are refused when YANGGUANG_ENV=prod", file=sys.stderr)
        raise SystemExit(2)
    if bool(args.role) != bool(args.division):
        print("yangguang: --role and --division go together", file=sys.stderr)
        raise SystemExit(2)
    from api import migrate

    migrate.upgrade(settings.database_url, app_role=settings.database_role)
    try:
        print(asyncio.run(_token(settings, args)))
    except (GrantError, InvalidDivisionCode) as exc:
        print(f"yangguang: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


async def _catalogue_import(settings: Settings, args: argparse.Namespace) -> int:
    from pathlib import Path

    from supervision.catalogue.importer import import_rows
    from supervision.catalogue.spreadsheet import RowError, read
    from tenancy.db import Database
    from tenancy.scope import Scope

    try:
        rows = list(read(Path(args.file)))
    except (RowError, OSError) as exc:
        print(f"yangguang: {exc}", file=sys.stderr)
        return 2
    database = Database(settings.database_url, app_role=settings.database_role)
    try:
        async with database.session(Scope.bypass("catalogue import (operator)")) as session:
            outcomes = await import_rows(
                session=session, rows=rows, actor=args.actor, publish=args.publish
            )
            if args.dry_run:
                await session.rollback()
            else:
                await session.commit()
    finally:
        await database.dispose()
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.outcome] = counts.get(outcome.outcome, 0) + 1
        if outcome.outcome == "error":
            print(f"row {outcome.row}: {outcome.error_code}: {outcome.reason}")
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "no rows"
    print(("dry run, nothing saved: " if args.dry_run else "") + summary)
    return 1 if counts.get("error") else 0


async def _catalogue_export(settings: Settings, args: argparse.Namespace) -> None:
    from pathlib import Path

    from supervision.catalogue.importer import export_rows
    from supervision.catalogue.spreadsheet import write
    from tenancy.db import Database
    from tenancy.scope import Scope

    database = Database(settings.database_url, app_role=settings.database_role)
    try:
        async with database.session(Scope.bypass("catalogue export (operator)")) as session:
            rows = await export_rows(session=session, division_code=args.division)
    finally:
        await database.dispose()
    print(f"{write(Path(args.file), rows)} powers written to {args.file}")


def cmd_catalogue(args: argparse.Namespace) -> None:
    from pathlib import Path

    from api import migrate
    from supervision.catalogue.spreadsheet import RowError, template_rows, write

    if args.action == "template":
        try:
            write(Path(args.file), template_rows())
        except RowError as exc:
            print(f"yangguang: {exc}", file=sys.stderr)
            raise SystemExit(2) from None
        print(f"template written to {args.file}")
        return
    settings = _settings()
    migrate.upgrade(settings.database_url, app_role=settings.database_role)
    if args.action == "import":
        raise SystemExit(asyncio.run(_catalogue_import(settings, args)))
    try:
        asyncio.run(_catalogue_export(settings, args))
    except RowError as exc:
        print(f"yangguang: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _dates(text: str | None) -> list:
    from datetime import date

    return [date.fromisoformat(part.strip()) for part in (text or "").split(",") if part.strip()]


async def _calendar_load(settings: Settings, args: argparse.Namespace) -> str:
    from datetime import UTC, datetime

    from supervision.cases.calendar import load_year, recompute_provisional
    from tenancy.db import Database
    from tenancy.scope import Scope

    database = Database(settings.database_url)
    try:
        async with database.session(Scope.bypass("calendar load (operator)")) as session:
            working = await load_year(
                session=session,
                year=args.year,
                holidays=_dates(args.holidays),
                workdays=_dates(args.workdays),
                loaded_by="yangguang calendar load",
            )
            recomputed = await recompute_provisional(session=session, now=datetime.now(UTC))
            await session.commit()
    finally:
        await database.dispose()
    return f"{args.year}: {working} working days; {recomputed} provisional cases recomputed"


def cmd_calendar(args: argparse.Namespace) -> None:
    from api import migrate
    from supervision.cases.calendar import CalendarError

    settings = _settings()
    try:
        _dates(args.holidays), _dates(args.workdays)
    except ValueError as exc:
        print(f"yangguang: dates are YYYY-MM-DD, comma-separated: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    migrate.upgrade(settings.database_url, app_role=settings.database_role)
    try:
        print(asyncio.run(_calendar_load(settings, args)))
    except CalendarError as exc:
        print(f"yangguang: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_schema(_args: argparse.Namespace) -> None:
    from schema.schema import build_schema

    print(build_schema().as_str())


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="yangguang", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the GraphQL service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo", action="store_true", help="migrate and seed the demo city first")
    serve.add_argument("--cases", type=int, default=20_000, help="demo cases to seed")
    serve.add_argument(
        "--worker",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="run the time-driven rules in this process (default: on SQLite only)",
    )
    serve.set_defaults(func=cmd_serve)

    worker = commands.add_parser(
        "worker", help="run time-driven rules and escalation (several may run at once)"
    )
    worker.add_argument("--once", action="store_true", help="one pass, print counts, exit")
    worker.add_argument(
        "--interval", type=float, default=60.0, help="seconds between passes (default 60)"
    )
    worker.add_argument("--division", help="only this division and below (default: all)")
    worker.set_defaults(func=cmd_worker)

    migrate = commands.add_parser("migrate", help="bring the database schema up to date")
    migrate.add_argument("--down", metavar="REVISION", help="downgrade to REVISION (base: all)")
    migrate.set_defaults(func=cmd_migrate)

    seed = commands.add_parser("seed", help="load data")
    seed.add_argument("--demo", action="store_true", help="the demo city (Qingdao)")
    seed.add_argument("--cases", type=int, default=20_000, help="demo cases (default 20,000)")
    seed.set_defaults(func=cmd_seed)

    token = commands.add_parser("token", help="print a dev token (refused in prod)")
    token.add_argument("--sub", required=True, help="the subject")
    token.add_argument("--role", help="grant this role too")
    token.add_argument("--division", help="at this division (12-digit code)")
    token.add_argument("--service", action="store_true", help="a service account")
    token.add_argument("--ttl", type=int, default=86400, help="seconds (default a day)")
    token.set_defaults(func=cmd_token)

    catalogue = commands.add_parser("catalogue", help="the catalogue of powers in spreadsheets")
    actions = catalogue.add_subparsers(dest="action", required=True)
    importing = actions.add_parser("import", help="create or revise powers from a .xlsx/.csv")
    importing.add_argument("file")
    importing.add_argument("--dry-run", action="store_true", help="check every row, save nothing")
    importing.add_argument("--publish", action="store_true", help="publish what is imported")
    importing.add_argument("--as", dest="actor", default="catalogue-import", help="recorded author")
    exporting = actions.add_parser("export", help="write the current powers to a .xlsx/.csv")
    exporting.add_argument("file")
    exporting.add_argument("--division", help="only this division and below")
    template = actions.add_parser("template", help="write an empty sheet with one example row")
    template.add_argument("file")
    catalogue.set_defaults(func=cmd_catalogue)

    calendar = commands.add_parser("calendar", help="the official working-day calendar")
    calendar_actions = calendar.add_subparsers(dest="action", required=True)
    load = calendar_actions.add_parser(
        "load", help="load a year chinesecalendar does not know (e.g. 2027)"
    )
    load.add_argument("--year", type=int, required=True)
    load.add_argument("--holidays", help="weekdays off, YYYY-MM-DD,YYYY-MM-DD,…")
    load.add_argument("--workdays", help="weekend days worked instead (调休), YYYY-MM-DD,…")
    calendar.set_defaults(func=cmd_calendar)

    add_ledger_commands(commands)  # checkpoint, proof, verify

    schema = commands.add_parser("schema", help="print the GraphQL SDL")
    schema.set_defaults(func=cmd_schema)
    return root


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
