"""Catalogue search on PostgreSQL: indexed (trigram, pattern) against a sequential scan.

Creates a scratch database beside the one YANGGUANG_DATABASE_URL names, loads the demo
city and 50,000 powers, and times the service's own search query (total count and a
page of 50) both ways: as the planner chooses, and with index scans switched off.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncpg  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from api.migrate import upgrade  # noqa: E402
from supervision import demo_data  # noqa: E402
from supervision.catalogue.models import Power, PowerStatus, PowerVersion  # noqa: E402
from supervision.catalogue.queries import PowerFilter, Readership, list_powers  # noqa: E402
from supervision.catalogue.spec import Category  # noqa: E402
from supervision.organisation import Department  # noqa: E402
from supervision.seed import seed_demo  # noqa: E402
from tenancy.db import Database  # noqa: E402
from tenancy.scope import Scope  # noqa: E402

POWERS = 50_000
WORDS = [
    "食品",
    "药品",
    "建设",
    "工程",
    "规划",
    "许可",
    "登记",
    "备案",
    "审批",
    "核发",
    "变更",
    "注销",
    "排水",
    "燃气",
    "供热",
    "广告",
    "设置",
    "占用",
    "挖掘",
    "道路",
]
ACTIONS = ["许可", "登记", "审批", "核发", "备案", "确认", "处罚", "检查", "征收", "奖励"]
SEARCHES = [
    ("name, common: 建设工程", "建设工程"),
    ("name, rare: 燃气广告设置", "燃气广告设置"),
    ("name, absent: 食品经营", "食品经营"),
    ("code prefix: 0200", "0200"),
]


def _dsn(url) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


async def _load(database: Database) -> None:
    rng = random.Random(1)
    async with database.session(Scope.bypass("bench load")) as session:
        await seed_demo(session=session)
        departments = (
            await session.execute(select(Department.id, Department.code, Department.division_code))
        ).all()
        now = datetime.now(UTC)
        powers, versions = [], []
        for i in range(POWERS):
            dept_id, dept_code, division = rng.choice(departments)
            category = rng.choice(list(Category))
            code = f"{category.number}{i:04d}001000{division}{dept_code}"
            # varied names: a two-character place or trade word, two terms and an action
            name = (
                "".join(rng.sample(demo_data.GIVEN_NAME_CHARS, 2))
                + "".join(rng.sample(WORDS, 2))
                + rng.choice(ACTIONS)
            )
            powers.append(
                {
                    "code": code,
                    "name": name,
                    "category": category,
                    "status": PowerStatus.PUBLISHED,
                    "division_code": division,
                    "department_id": dept_id,
                    "latest_version": 1,
                    "published_version": 1,
                    "updated_at": now,
                }
            )
        ids = (
            await session.scalars(
                insert(Power).returning(Power.id, sort_by_parameter_order=True), powers
            )
        ).all()
        for power_id, power in zip(ids, powers, strict=True):
            versions.append(
                {
                    "power_id": power_id,
                    "code": power["code"],
                    "version": 1,
                    "status": PowerStatus.PUBLISHED,
                    "change_kind": "ADD",
                    "change_note": "",
                    "related_codes": [],
                    "name": power["name"],
                    "category": power["category"],
                    "division_code": power["division_code"],
                    "department_id": power["department_id"],
                    "legal_basis": [],
                    "conditions": [],
                    "materials": [],
                    "fees": [],
                    "discretion": [],
                    "statutory_value": 20,
                    "statutory_unit": "WORKING_DAY",
                    "promised_value": 10,
                    "promised_unit": "WORKING_DAY",
                    "on_the_spot": False,
                    "created_by": "bench",
                    "effective_from": now,
                }
            )
        version_ids = (
            await session.scalars(
                insert(PowerVersion).returning(PowerVersion.id, sort_by_parameter_order=True),
                versions,
            )
        ).all()
        await session.execute(
            text(
                "UPDATE powers SET current_version_id = v.id"
                " FROM power_versions v WHERE v.power_id = powers.id"
            )
        )
        assert len(version_ids) == POWERS
        await session.commit()


async def _time(
    database: Database, search: str, *, sequential: bool, rounds: int = 30
) -> list[float]:
    timings = []
    for _ in range(rounds):
        async with database.session(Scope()) as session:
            if sequential:
                await session.execute(text("SET LOCAL enable_indexscan = off"))
                await session.execute(text("SET LOCAL enable_bitmapscan = off"))
            start = time.perf_counter()
            await list_powers(
                session=session,
                readership=Readership(),
                flt=PowerFilter(search=search),
                after_id=None,
                limit=51,
            )
            timings.append((time.perf_counter() - start) * 1000)
    return timings


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
        owner = Database(url)  # loading is the operator's job: as the owner
        await _load(owner)
        await owner.dispose()
        database = Database(url, app_role="yangguang_app")
        owner = await asyncpg.connect(_dsn(make_url(url)))
        await owner.execute("ANALYZE")  # as the owner: the app role may not
        await owner.close()
        print(f"{POWERS} published powers; page of 50 with total count, median of 30 runs")
        print(f"{'search':28} {'indexed ms':>11} {'seq scan ms':>12} {'ratio':>7}")
        async with database.session(Scope()) as session:
            plan = await session.execute(
                text("EXPLAIN SELECT count(*) FROM powers WHERE name LIKE '%建设工程%'")
            )
            print("plan:", " / ".join(r[0].strip() for r in plan.all()[:2]))
        for label, search in SEARCHES:
            indexed = statistics.median(await _time(database, search, sequential=False))
            scanned = statistics.median(await _time(database, search, sequential=True))
            print(f"{label:28} {indexed:11.2f} {scanned:12.2f} {scanned / indexed:6.1f}x")
        await database.dispose()
    finally:
        admin = await asyncpg.connect(_dsn(base))
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
