"""The demo city (`yangguang seed --demo`): Qingdao's tree, departments, posts, officers.

Deterministic: the same run gives the same rows, codes and names every time.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision import credit_code, demo_data
from supervision.organisation import Department, Officer, Post, officer_posts
from tenancy.codes import Tier, parent_of, tier_of
from tenancy.models import Division

OFFICERS_PER_DEPARTMENT = {
    Tier.CITY: 4,
    Tier.DISTRICT: 3,
    Tier.TOWN: 2,
    Tier.VILLAGE: 1,
}
_BATCH = 2000


@dataclass
class SeedSummary:
    divisions: int = 0
    departments: int = 0
    posts: int = 0
    officers: int = 0
    skipped: bool = False


def demo_divisions() -> list[tuple[str, str]]:
    """(code, name) of every division of the demo city, parents before children."""
    rows = [demo_data.CITY, *demo_data.DISTRICTS]
    for district_code, _ in demo_data.DISTRICTS:
        for town_code, town_name in demo_data.TOWNS[district_code]:
            rows.append((town_code, town_name))
            rows.extend(demo_data.villages(town_code, town_name))
    return rows


def _department_names(code: str, name: str) -> list[tuple[str, str]]:
    tier = tier_of(code)
    if tier is Tier.CITY:
        return list(demo_data.CITY_DEPARTMENTS)
    if tier is Tier.DISTRICT:
        return [(k, t.format(d=name)) for k, t in demo_data.DISTRICT_DEPARTMENTS]
    if tier is Tier.TOWN:
        return [(k, t.format(t=name)) for k, t in demo_data.TOWN_DEPARTMENTS]
    return [
        (k, demo_data.village_department_name(t, name)) for k, t in demo_data.VILLAGE_DEPARTMENTS
    ]


def demo_departments() -> list[tuple[str, str, str, str]]:
    """(division code, kind, name, credit code) of every demo department, in seed order."""
    rows = []
    for division_code, division_name in demo_divisions():
        for kind, name in _department_names(division_code, division_name):
            code = credit_code.make(division6=division_code[:6], serial=len(rows) + 1)
            rows.append((division_code, kind, name, code))
    return rows


def demo_department_code(division_code: str, kind: str) -> str:
    """The credit code the demo gives the department of `kind` in a division."""
    for division, department_kind, _, code in demo_departments():
        if division == division_code and department_kind == kind:
            return code
    raise KeyError((division_code, kind))


async def _insert(session: AsyncSession, model, rows: list[dict], progress) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(rows), _BATCH):
        chunk = rows[start : start + _BATCH]
        if hasattr(model, "id"):
            result = await session.scalars(
                insert(model).returning(model.id, sort_by_parameter_order=True), chunk
            )
            ids.extend(result.all())
        else:
            await session.execute(insert(model), chunk)
        progress(len(chunk))
    return ids


async def seed_demo(
    *, session: AsyncSession, progress: Callable[[int], None] = lambda _n: None
) -> SeedSummary:
    """Insert the demo city unless it is there already; the caller commits."""
    city_code = demo_data.CITY[0]
    if await session.get(Division, city_code) is not None:
        return SeedSummary(skipped=True)
    rng = random.Random(int(city_code))
    summary = SeedSummary()

    divisions = demo_divisions()
    await _insert(
        session,
        Division,
        [
            {"code": c, "name": n, "tier": tier_of(c), "parent_code": parent_of(c)}
            for c, n in divisions
        ],
        progress,
    )
    summary.divisions = len(divisions)

    department_rows = [
        {"code": code, "name": name, "kind": kind, "division_code": division_code}
        for division_code, kind, name, code in demo_departments()
    ]
    department_ids = await _insert(session, Department, department_rows, progress)
    summary.departments = len(department_ids)

    post_rows = []
    for department_id, department in zip(department_ids, department_rows, strict=True):
        for post_name in demo_data.POSTS.get(department["kind"], demo_data.DEFAULT_POSTS):
            post_rows.append(
                {
                    "department_id": department_id,
                    "name": post_name,
                    "division_code": department["division_code"],
                }
            )
    post_ids = await _insert(session, Post, post_rows, progress)
    summary.posts = len(post_ids)
    posts_of: dict[int, list[int]] = {}
    for post_id, post in zip(post_ids, post_rows, strict=True):
        posts_of.setdefault(post["department_id"], []).append(post_id)

    officer_rows, holdings = [], []
    for department_id, department in zip(department_ids, department_rows, strict=True):
        division_code = department["division_code"]
        for _ in range(OFFICERS_PER_DEPARTMENT[tier_of(division_code)]):
            name = rng.choice(demo_data.SURNAMES) + "".join(
                rng.choices(demo_data.GIVEN_NAME_CHARS, k=rng.choice((1, 2, 2)))
            )
            officer_rows.append(
                {
                    "staff_number": f"{division_code[:9]}{len(officer_rows) + 1:06d}",
                    "name": name,
                    "phone": f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
                    "department_id": department_id,
                    "division_code": division_code,
                }
            )
            holdings.append(rng.sample(posts_of[department_id], k=1 + rng.randrange(2)))
    officer_ids = await _insert(session, Officer, officer_rows, progress)
    summary.officers = len(officer_ids)
    await _insert(
        session,
        officer_posts,
        [
            {"officer_id": officer_id, "post_id": post_id}
            for officer_id, post_ids_held in zip(officer_ids, holdings, strict=True)
            for post_id in post_ids_held
        ],
        lambda _n: None,  # link rows are not counted by estimated_rows()
    )
    return summary


def estimated_rows() -> int:
    """How many divisions, departments, posts and officers seed_demo writes."""
    total = 0
    for code, name in demo_divisions():
        total += 1
        for kind, _ in _department_names(code, name):
            posts = demo_data.POSTS.get(kind, demo_data.DEFAULT_POSTS)
            total += 1 + len(posts) + OFFICERS_PER_DEPARTMENT[tier_of(code)]
    return total


async def demo_is_seeded(*, session: AsyncSession) -> bool:
    return (
        await session.scalar(select(Division.code).where(Division.code == demo_data.CITY[0]))
        is not None
    )
