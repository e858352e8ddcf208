"""Reading the catalogue: who sees which powers, the filters, pages and versions.

The powers read here are made by module fixtures through the service layer, with
names carrying a token no other power has and codes whose main item (9500 and up)
no demo power uses; every query filters on them, so whatever else the catalogue
holds does not matter.
"""

import itertools
from dataclasses import replace
from typing import NamedTuple
from uuid import uuid4

import pytest
from sqlalchemy import select

from supervision.catalogue import codes, service
from supervision.catalogue.spec import (
    Category,
    DayUnit,
    LegalBasis,
    Node,
    PowerSpec,
    RiskLevel,
    RiskPoint,
    RiskType,
    TimeLimit,
)
from supervision.organisation import Department
from tenancy.scope import Scope

POWERS = """
query($filter: PowerFilter, $first: Int, $after: String) {
  powers(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id code version name status divisionCode }
  }
}
"""

POWERS_WITH_RELATIONS = """
query($filter: PowerFilter, $first: Int) {
  powers(filter: $filter, first: $first) {
    totalCount
    nodes {
      code
      nodes { name post limit keyData }
      riskPoints { type level }
      department { name }
      division { name }
    }
  }
}
"""

POWER = """
query($code: String!, $version: Int) {
  power(code: $code, version: $version) { id code version name status }
}
"""

POWER_HISTORY = """
query($code: String!) {
  powerHistory(code: $code) { code version name status effectiveFrom effectiveTo }
}
"""

NODE = """
query($id: ID!) {
  node(id: $id) { __typename id ... on Power { code version status } }
}
"""

CATALOGUE = "demo-catalogue"  # catalogue_admin at the city 370200000000
INSPECTOR = "demo-inspector"  # inspector at 市南区 370202000000
PUBLIC = None

CITY = "370200000000"
SHINAN = "370202000000"  # 市南区
SHIBEI = "370203000000"  # 市北区
XIANGGANG_ROAD = "370202001000"  # 香港中路街道, in 市南区
ACTOR = "test-fixture"
LICENSING, PENALTY = Category.LICENSING, Category.PENALTY

# Main item numbers no demo power uses (the demo numbers its items from 1);
# 9500 and up here, 9000-9499 in test_power_mutations.
_mains = itertools.count(9500)


def chinese_token(length: int = 8) -> str:
    """A run of Chinese characters no other power's name holds."""
    chars = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳"
    return "".join(chars[int(digit, 16)] for digit in uuid4().hex[:length])


class Dept(NamedTuple):
    code: str  # the credit code
    division_code: str
    name: str


async def department(session, kind: str, division_code: str) -> Dept:
    row = (
        await session.execute(
            select(Department.code, Department.name).where(
                Department.kind == kind, Department.division_code == division_code
            )
        )
    ).one()
    return Dept(row.code, division_code, row.name)


def spec(dept: Dept, name: str, category: Category = Category.LICENSING) -> PowerSpec:
    return PowerSpec(
        name=name,
        category=category,
        department_code=dept.code,
        statutory_limit=TimeLimit(20, DayUnit.WORKING_DAY),
        promised_limit=TimeLimit(10, DayUnit.WORKING_DAY),
        legal_basis=(LegalBasis("《中华人民共和国行政许可法》", "第二十九条"),),
        nodes=(
            Node("受理", "窗口受理岗", 1, ("受理时间",)),
            Node("审查", "审核岗", 5),
            Node("决定", "分管领导", 2, ("决定文书号",)),
        ),
        risk_points=(
            RiskPoint(RiskType.TIME, RiskLevel.HIGH, "超期办理", "系统预警", "审查"),
            RiskPoint(RiskType.AUTHORITY, RiskLevel.LOW, "越权审批"),
        ),
    )


def code_for(dept: Dept, category: Category = Category.LICENSING, main=None, sub=1) -> str:
    return codes.make(
        category=category,
        main=next(_mains) if main is None else main,
        sub=sub,
        division_code=dept.division_code,
        department_code=dept.code,
    )


class Catalogue(NamedTuple):
    token: str  # in every name below, and in no other power's
    codes: dict[str, str]  # label -> code
    names: dict[str, str]  # label -> name (of the current version)
    departments: dict[str, Dept]


@pytest.fixture(scope="module")
async def catalogue(database) -> Catalogue:
    """Powers in every state, at the city, 市南区, 香港中路街道 and 市北区."""
    token = chinese_token()
    async with database.session(Scope.bypass("test")) as session:
        depts = {
            "city": await department(session, "market_regulation", CITY),
            "shinan": await department(session, "market_regulation", SHINAN),
            "shinan_health": await department(session, "health", SHINAN),
            "town": await department(session, "town_enforcement", XIANGGANG_ROAD),
            "shibei": await department(session, "market_regulation", SHIBEI),
        }
        family = next(_mains)  # two 市南区 powers share a main item: sub 1 and sub 2
        plan = {
            # label: (department, category, main item, sub-item, published?, name)
            "shinan_published": ("shinan", LICENSING, family, 1, True, "市南区食品经营许可"),
            "shinan_draft": ("shinan", LICENSING, family, 2, False, "市南区食品生产许可"),
            "shinan_penalty": ("shinan", PENALTY, None, 1, True, "市南区食品安全违法行为处罚"),
            "shinan_suspended": ("shinan_health", LICENSING, None, 1, True, "市南区医疗机构登记"),
            "shinan_revised": ("shinan", LICENSING, None, 1, True, "市南区药品零售许可"),
            "town_draft": ("town", LICENSING, None, 1, False, "香港中路街道占道经营审批"),
            "city_published": ("city", LICENSING, None, 1, True, "青岛市特种设备使用登记"),
            "shibei_published": ("shibei", LICENSING, None, 1, True, "市北区食品经营许可"),
            "shibei_draft": ("shibei", LICENSING, None, 1, False, "市北区食品生产许可"),
        }
        made, names = {}, {}
        for label, (key, category, main, sub, publish, what) in plan.items():
            dept = depts[key]
            code = code_for(dept, category, main, sub)
            name = f"{what}{token}"
            await service.create_power(
                session=session, code=code, spec=spec(dept, name, category), actor=ACTOR
            )
            if publish:
                await service.publish_power(session=session, code=code, actor=ACTOR)
            made[label], names[label] = code, name
        await service.suspend_power(
            session=session, code=made["shinan_suspended"], actor=ACTOR, reason="暂停"
        )
        revised = spec(depts["shinan"], f"变更草稿{token}")
        await service.revise_power(
            session=session, code=made["shinan_revised"], spec=revised, actor=ACTOR
        )
        await session.commit()
    return Catalogue(token, made, names, depts)


def by_search(text: str, **more) -> dict:
    return {"search": text, **more}


async def listed(gql, as_, flt: dict, first: int = 100) -> dict:
    body = await gql(POWERS, {"filter": flt, "first": first}, as_=as_)
    assert "errors" not in body, body["errors"]
    return body["data"]["powers"]


async def codes_listed(gql, as_, flt: dict) -> set[str]:
    connection = await listed(gql, as_, flt)
    assert connection["totalCount"] == len(connection["nodes"])
    assert not connection["pageInfo"]["hasNextPage"]
    return {node["code"] for node in connection["nodes"]}


def labels(catalogue: Catalogue, *wanted: str) -> set[str]:
    return {catalogue.codes[label] for label in wanted}


async def power(gql, code: str, as_=PUBLIC, version: int | None = None):
    body = await gql(POWER, {"code": code, "version": version}, as_=as_)
    assert "errors" not in body, body["errors"]
    return body["data"]["power"]


async def history(gql, code: str, as_=PUBLIC) -> list[dict]:
    body = await gql(POWER_HISTORY, {"code": code}, as_=as_)
    assert "errors" not in body, body["errors"]
    return body["data"]["powerHistory"]


async def node(gql, id_: str, as_=PUBLIC):
    body = await gql(NODE, {"id": id_}, as_=as_)
    assert "errors" not in body, body["errors"]
    return body["data"]["node"]


def error_code(body: dict) -> str:
    return body["errors"][0]["extensions"]["code"]


PUBLISHED = (
    "shinan_published",
    "shinan_penalty",
    "shinan_revised",
    "city_published",
    "shibei_published",
)


# --- visibility ----------------------------------------------------------------------------


async def test_the_public_lists_published_powers_and_nothing_else(gql, catalogue):
    connection = await listed(gql, PUBLIC, by_search(catalogue.token))

    assert {n["code"] for n in connection["nodes"]} == labels(catalogue, *PUBLISHED)
    assert connection["totalCount"] == len(PUBLISHED)
    assert {n["status"] for n in connection["nodes"]} == {"PUBLISHED"}


async def test_the_public_reads_a_published_power_by_code_and_by_id(gql, catalogue):
    code = catalogue.codes["shinan_published"]

    got = await power(gql, code)

    assert got["code"] == code
    assert (got["version"], got["status"]) == (1, "PUBLISHED")
    assert got["name"] == catalogue.names["shinan_published"]
    assert await node(gql, got["id"]) == {
        "__typename": "Power",
        "id": got["id"],
        "code": code,
        "version": 1,
        "status": "PUBLISHED",
    }


async def test_the_public_never_sees_a_draft(gql, catalogue):
    code = catalogue.codes["shinan_draft"]
    draft = await power(gql, code, as_=CATALOGUE)
    assert draft["status"] == "DRAFT"

    assert await power(gql, code) is None
    assert await power(gql, code, version=1) is None
    assert await node(gql, draft["id"]) is None
    assert await history(gql, code) == []
    assert code not in await codes_listed(gql, PUBLIC, by_search(catalogue.token))


async def test_the_public_history_lists_only_published_versions(gql, catalogue):
    code = catalogue.codes["shinan_revised"]

    public = await history(gql, code)
    inspector = await history(gql, code, as_=INSPECTOR)

    assert [(v["version"], v["status"]) for v in public] == [(1, "PUBLISHED")]
    assert [(v["version"], v["status"]) for v in inspector] == [(1, "PUBLISHED"), (2, "DRAFT")]
    # The public reads version 1, the one in force, and not the draft.
    assert (await power(gql, code))["version"] == 1
    assert await power(gql, code, version=2) is None


async def test_the_public_does_not_see_a_suspended_power(gql, catalogue):
    code = catalogue.codes["shinan_suspended"]

    assert await power(gql, code) is None
    assert code not in await codes_listed(gql, PUBLIC, by_search(catalogue.token))
    assert (await power(gql, code, as_=INSPECTOR))["status"] == "SUSPENDED"


async def test_an_inspector_sees_drafts_of_their_district_and_its_towns(gql, catalogue):
    seen = await codes_listed(gql, INSPECTOR, by_search(catalogue.token))

    assert labels(catalogue, "shinan_draft", "town_draft", "shinan_suspended") <= seen
    assert (await power(gql, catalogue.codes["town_draft"], as_=INSPECTOR))["status"] == "DRAFT"


async def test_an_inspector_does_not_see_drafts_of_another_district(gql, catalogue):
    code = catalogue.codes["shibei_draft"]
    draft = await power(gql, code, as_=CATALOGUE)

    assert code not in await codes_listed(gql, INSPECTOR, by_search(catalogue.token))
    assert await power(gql, code, as_=INSPECTOR) is None
    assert await node(gql, draft["id"], as_=INSPECTOR) is None
    assert await history(gql, code, as_=INSPECTOR) == []


async def test_an_inspector_sees_published_powers_of_another_district(gql, catalogue):
    seen = await codes_listed(gql, INSPECTOR, by_search(catalogue.token))

    assert seen == labels(catalogue, *PUBLISHED, "shinan_draft", "town_draft", "shinan_suspended")
    assert (await power(gql, catalogue.codes["shibei_published"], as_=INSPECTOR))[
        "status"
    ] == "PUBLISHED"


# --- filters -------------------------------------------------------------------------------


async def test_the_division_filter_takes_the_division_and_its_subtree(gql, catalogue):
    seen = await codes_listed(gql, CATALOGUE, by_search(catalogue.token, divisionCode=SHINAN))

    assert seen == labels(
        catalogue,
        "shinan_published",
        "shinan_draft",
        "shinan_penalty",
        "shinan_suspended",
        "shinan_revised",
        "town_draft",
    )


async def test_applicable_to_takes_the_division_and_those_above_it(gql, catalogue):
    flt = by_search(catalogue.token, applicableTo=XIANGGANG_ROAD)

    public = await codes_listed(gql, PUBLIC, flt)
    everything = await codes_listed(gql, CATALOGUE, flt)

    assert public == labels(
        catalogue, "city_published", "shinan_published", "shinan_penalty", "shinan_revised"
    )
    assert everything == public | labels(
        catalogue, "shinan_draft", "shinan_suspended", "town_draft"
    )
    assert catalogue.codes["shibei_published"] not in everything


async def test_the_department_filter_takes_that_departments_powers(gql, catalogue):
    flt = by_search(catalogue.token, departmentCode=catalogue.departments["shinan_health"].code)

    assert await codes_listed(gql, CATALOGUE, flt) == labels(catalogue, "shinan_suspended")


async def test_the_category_filter_takes_that_categorys_powers(gql, catalogue):
    flt = by_search(catalogue.token, category="PENALTY")

    assert await codes_listed(gql, PUBLIC, flt) == labels(catalogue, "shinan_penalty")


async def test_the_status_filter_takes_that_statuss_powers(gql, catalogue):
    drafts = by_search(catalogue.token, status="DRAFT")
    suspended = by_search(catalogue.token, status="SUSPENDED")

    assert await codes_listed(gql, CATALOGUE, drafts) == labels(
        catalogue, "shinan_draft", "town_draft", "shibei_draft"
    )
    assert await codes_listed(gql, INSPECTOR, drafts) == labels(
        catalogue, "shinan_draft", "town_draft"
    )
    assert await codes_listed(gql, CATALOGUE, suspended) == labels(catalogue, "shinan_suspended")
    assert await codes_listed(gql, PUBLIC, drafts) == set()


async def test_search_finds_a_fragment_of_a_chinese_name(gql, catalogue):
    token = catalogue.token

    licences = await codes_listed(gql, PUBLIC, by_search("食品经营许可" + token))
    penalties = await codes_listed(gql, PUBLIC, by_search("违法行为处罚" + token[:4]))
    everything = await codes_listed(gql, CATALOGUE, by_search(token[2:]))

    assert licences == labels(catalogue, "shinan_published", "shibei_published")
    assert penalties == labels(catalogue, "shinan_penalty")
    assert everything == set(catalogue.codes.values())


async def test_search_finds_powers_by_the_start_of_their_code(gql, catalogue):
    code = catalogue.codes["shinan_draft"]

    item = await codes_listed(gql, CATALOGUE, by_search(code[:6]))  # category and main item
    sub_item = await codes_listed(gql, CATALOGUE, by_search(code[:9]))  # and the sub-item
    whole = await codes_listed(gql, CATALOGUE, by_search(code))
    middle = await codes_listed(gql, CATALOGUE, by_search(code[1:9]))

    assert item == labels(catalogue, "shinan_published", "shinan_draft")
    assert sub_item == whole == {code}
    assert middle == set()  # the start of the code, not any part of it


@pytest.mark.parametrize("field", ["divisionCode", "applicableTo"])
async def test_an_invalid_division_code_in_the_filter_is_an_invalid_division_code_error(gql, field):
    body = await gql(POWERS, {"filter": {field: "37020200000X"}}, as_=INSPECTOR)

    assert error_code(body) == "INVALID_DIVISION_CODE"
    assert body["data"] is None


# --- versions ------------------------------------------------------------------------------


async def test_power_with_a_version_returns_that_version(gql, catalogue):
    code = catalogue.codes["shinan_revised"]

    first = await power(gql, code, as_=CATALOGUE, version=1)
    second = await power(gql, code, as_=CATALOGUE, version=2)
    missing = await power(gql, code, as_=CATALOGUE, version=3)

    assert (first["version"], first["status"]) == (1, "PUBLISHED")
    assert first["name"] == catalogue.names["shinan_revised"]
    assert (second["version"], second["status"]) == (2, "DRAFT")
    assert second["name"] == f"变更草稿{catalogue.token}"
    assert first["id"] != second["id"]
    assert missing is None


# --- pages ---------------------------------------------------------------------------------

MANY = 23


class Many(NamedTuple):
    prefix: str  # starts every name below, and no other power's
    codes: list[str]  # in the order they were made


@pytest.fixture(scope="module")
async def many(database) -> Many:
    """MANY published powers of 市南区 and its towns, spread over several departments."""
    prefix = f"批量{chinese_token()}"
    made = []
    async with database.session(Scope.bypass("test")) as session:
        depts = [
            await department(session, "market_regulation", SHINAN),
            await department(session, "health", SHINAN),
            await department(session, "town_enforcement", XIANGGANG_ROAD),
            await department(session, "town_affairs", "370202002000"),  # 八大峡街道
        ]
        main = next(_mains)
        for n in range(MANY):
            dept = depts[n % len(depts)]
            code = code_for(dept, main=main, sub=n + 1)
            base = spec(dept, f"{prefix}第{n + 1}项")
            if n % 3 == 0:  # not every power has the same procedure
                base = replace(base, nodes=base.nodes[:1], risk_points=())
            await service.create_power(session=session, code=code, spec=base, actor=ACTOR)
            await service.publish_power(session=session, code=code, actor=ACTOR)
            made.append(code)
        await session.commit()
    return Many(prefix, made)


async def test_pages_of_powers_follow_one_another_with_a_total_count(gql, many):
    seen, pages, after = [], 0, None
    while True:
        body = await gql(
            POWERS, {"filter": {"search": many.prefix}, "first": 10, "after": after}, as_=PUBLIC
        )
        assert "errors" not in body, body["errors"]
        connection = body["data"]["powers"]
        assert connection["totalCount"] == MANY
        seen.extend(node["code"] for node in connection["nodes"])
        pages += 1
        assert pages <= 5, "the cursor never ends"
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]

    assert pages == 3
    assert seen == many.codes  # in the order they were made, each once


async def test_an_invalid_power_cursor_is_an_invalid_cursor_error(gql):
    body = await gql(POWERS, {"after": "not a cursor"}, as_=PUBLIC)

    assert error_code(body) == "INVALID_CURSOR"
    assert body["data"] is None


async def test_sql_statements_for_powers_and_relations_do_not_grow_with_page_size(gql, sql, many):
    flt = {"search": many.prefix}

    before = sql.count
    twenty = await gql(POWERS_WITH_RELATIONS, {"filter": flt, "first": 20}, as_=INSPECTOR)
    for_twenty = sql.count - before

    before = sql.count
    three = await gql(POWERS_WITH_RELATIONS, {"filter": flt, "first": 3}, as_=INSPECTOR)
    for_three = sql.count - before

    assert "errors" not in twenty, twenty["errors"]
    assert "errors" not in three, three["errors"]
    nodes = twenty["data"]["powers"]["nodes"]
    assert [n["code"] for n in nodes] == many.codes[:20]
    assert three["data"]["powers"]["nodes"] == nodes[:3]
    assert {n["department"]["name"] for n in nodes} == {
        "市南区市场监督管理局",
        "市南区卫生健康局",
        "香港中路街道综合行政执法中队",
        "八大峡街道便民服务中心",
    }
    assert {n["division"]["name"] for n in nodes} == {"市南区", "香港中路街道", "八大峡街道"}
    assert [len(n["nodes"]) for n in nodes[:4]] == [1, 3, 3, 1]
    assert nodes[1]["nodes"][0] == {
        "name": "受理",
        "post": "窗口受理岗",
        "limit": 1,
        "keyData": ["受理时间"],
    }
    assert nodes[1]["riskPoints"] == [
        {"type": "TIME", "level": "HIGH"},
        {"type": "AUTHORITY", "level": "LOW"},
    ]
    assert for_twenty == for_three
    # The page costs two (the count and the rows); then one batched DataLoader query
    # each for the nodes, the risk points, the departments and the divisions.
    assert for_twenty == 6
