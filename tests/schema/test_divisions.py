"""The division tree through GraphQL: `divisions` (paged) and `division(code)`."""

from unittest.mock import ANY

import pytest

DIVISIONS = """
query($parentCode: String, $first: Int, $after: String) {
  divisions(parentCode: $parentCode, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { code name tier parentCode } }
  }
}
"""

DIVISION = """
query($code: String!) {
  division(code: $code) {
    code
    name
    tier
    parentCode
    parent { code name tier }
    children { code name tier }
    path
    tenantPath
    departments { name kind divisionCode }
  }
}
"""

DIVISION_NAME = """query($code: String!) { division(code: $code) { code name } }"""

DISTRICTS_WITH_RELATIONS = """
query($first: Int) {
  divisions(parentCode: "370200000000", first: $first) {
    nodes {
      code
      parent { name }
      children { code }
      departments { name }
    }
  }
}
"""

CITY = "370200000000"

# The ten 县级 divisions of Qingdao, real GB/T 2260 codes, in code order.
DISTRICTS = [
    ("370202000000", "市南区"),
    ("370203000000", "市北区"),
    ("370211000000", "黄岛区"),
    ("370212000000", "崂山区"),
    ("370213000000", "李沧区"),
    ("370214000000", "城阳区"),
    ("370215000000", "即墨区"),
    ("370281000000", "胶州市"),
    ("370283000000", "平度市"),
    ("370285000000", "莱西市"),
]

SHINAN_TOWNS = [
    ("370202001000", "香港中路街道"),
    ("370202002000", "八大峡街道"),
    ("370202004000", "云南路街道"),
    ("370202005000", "中山路街道"),
    ("370202007000", "江苏路街道"),
    ("370202009000", "八大关街道"),
    ("370202010000", "湛山街道"),
    ("370202011000", "金湖路街道"),
    ("370202012000", "八大湖街道"),
    ("370202013000", "金门路街道"),
    ("370202014000", "珠海路街道"),
]

# 香港中路街道's offices, ordered by name (code-point order).
XIANGGANG_ROAD_DEPARTMENTS = [
    ("香港中路街道便民服务中心", "town_affairs"),
    ("香港中路街道党政办公室", "town_office"),
    ("香港中路街道社会事务办公室", "town_social"),
    ("香港中路街道纪(工)委", "town_discipline"),
    ("香港中路街道综合行政执法中队", "town_enforcement"),
    ("香港中路街道规划建设办公室", "town_planning"),
]


def error_code(body: dict) -> str:
    return body["errors"][0]["extensions"]["code"]


async def test_divisions_without_a_parent_is_the_city_of_qingdao(gql):
    body = await gql(DIVISIONS)

    assert "errors" not in body
    connection = body["data"]["divisions"]
    assert connection["totalCount"] == 1
    assert [edge["node"] for edge in connection["edges"]] == [
        {"code": CITY, "name": "青岛市", "tier": "CITY", "parentCode": None}
    ]
    assert connection["pageInfo"] == {
        "hasNextPage": False,
        "endCursor": connection["edges"][0]["cursor"],
    }


async def test_divisions_of_the_city_are_its_ten_districts_in_code_order(gql):
    body = await gql(DIVISIONS, {"parentCode": CITY})

    assert "errors" not in body
    connection = body["data"]["divisions"]
    assert connection["totalCount"] == 10
    assert [(e["node"]["code"], e["node"]["name"]) for e in connection["edges"]] == DISTRICTS
    assert {e["node"]["tier"] for e in connection["edges"]} == {"DISTRICT"}
    assert {e["node"]["parentCode"] for e in connection["edges"]} == {CITY}
    assert connection["pageInfo"]["hasNextPage"] is False


async def test_paging_through_the_districts_returns_each_exactly_once_in_code_order(gql):
    seen: list[str] = []
    has_next_pages: list[bool] = []
    after = None
    for _ in range(10):  # at most: a guard against a cursor that never ends
        body = await gql(DIVISIONS, {"parentCode": CITY, "first": 3, "after": after})
        assert "errors" not in body
        connection = body["data"]["divisions"]
        assert connection["totalCount"] == 10  # every page counts all matches
        edges = connection["edges"]
        assert connection["pageInfo"]["endCursor"] == edges[-1]["cursor"]
        seen.extend(edge["node"]["code"] for edge in edges)
        has_next_pages.append(connection["pageInfo"]["hasNextPage"])
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]

    assert seen == [code for code, _ in DISTRICTS]
    assert has_next_pages == [True, True, True, False]


async def test_a_page_ending_exactly_at_the_last_district_has_no_next_page(gql):
    first = await gql(DIVISIONS, {"parentCode": CITY, "first": 5})
    second = await gql(
        DIVISIONS,
        {
            "parentCode": CITY,
            "first": 5,
            "after": first["data"]["divisions"]["pageInfo"]["endCursor"],
        },
    )

    assert first["data"]["divisions"]["pageInfo"]["hasNextPage"] is True
    page = second["data"]["divisions"]
    assert [e["node"]["code"] for e in page["edges"]] == [code for code, _ in DISTRICTS[5:]]
    assert page["pageInfo"]["hasNextPage"] is False


async def test_a_page_after_the_last_district_is_empty(gql):
    last = await gql(DIVISIONS, {"parentCode": CITY})
    cursor = last["data"]["divisions"]["pageInfo"]["endCursor"]

    body = await gql(DIVISIONS, {"parentCode": CITY, "after": cursor})

    assert body["data"]["divisions"] == {
        "totalCount": 10,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "edges": [],
    }


async def test_a_district_knows_its_place_in_the_tree(gql):
    body = await gql(DIVISION, {"code": "370202000000"})

    assert "errors" not in body
    division = body["data"]["division"]
    assert division["code"] == "370202000000"
    assert division["name"] == "市南区"
    assert division["tier"] == "DISTRICT"
    assert division["parentCode"] == CITY
    assert division["parent"] == {"code": CITY, "name": "青岛市", "tier": "CITY"}
    assert [(c["code"], c["name"]) for c in division["children"]] == SHINAN_TOWNS
    assert {c["tier"] for c in division["children"]} == {"TOWN"}
    assert division["path"] == [CITY, "370202000000"]
    assert division["tenantPath"] == "370200000000/370202000000/"
    departments = division["departments"]
    assert len(departments) == 24
    assert {d["divisionCode"] for d in departments} == {"370202000000"}
    names = [d["name"] for d in departments]
    assert names == sorted(names)
    assert "市南区纪委监委" in names
    assert "市南区市场监督管理局" in names


async def test_a_town_has_its_path_departments_and_eight_communities(gql):
    body = await gql(DIVISION, {"code": "370202001000"})

    assert "errors" not in body
    division = body["data"]["division"]
    assert division["name"] == "香港中路街道"
    assert division["tier"] == "TOWN"
    assert division["parent"] == {"code": "370202000000", "name": "市南区", "tier": "DISTRICT"}
    assert division["path"] == [CITY, "370202000000", "370202001000"]
    assert division["tenantPath"] == "370200000000/370202000000/370202001000/"
    # 市南区 is old urban core: its 街道 have communities only, numbered 001..008.
    assert [c["code"] for c in division["children"]] == [f"370202001{i:03d}" for i in range(1, 9)]
    assert {c["tier"] for c in division["children"]} == {"VILLAGE"}
    assert division["children"][0]["name"] == "香港中路社区居民委员会"
    assert [(d["name"], d["kind"]) for d in division["departments"]] == (XIANGGANG_ROAD_DEPARTMENTS)


async def test_the_city_has_no_parent_and_a_one_code_path(gql):
    body = await gql(DIVISION, {"code": CITY})

    division = body["data"]["division"]
    assert division["name"] == "青岛市"
    assert division["tier"] == "CITY"
    assert division["parentCode"] is None
    assert division["parent"] is None
    assert division["path"] == [CITY]
    assert division["tenantPath"] == "370200000000/"
    assert [(c["code"], c["name"]) for c in division["children"]] == DISTRICTS
    assert len(division["departments"]) == 42


async def test_a_village_has_no_children(gql):
    body = await gql(DIVISION, {"code": "370202001001"})

    division = body["data"]["division"]
    assert division["name"] == "香港中路社区居民委员会"
    assert division["tier"] == "VILLAGE"
    assert division["children"] == []
    assert division["path"] == [CITY, "370202000000", "370202001000", "370202001001"]
    assert division["tenantPath"] == ("370200000000/370202000000/370202001000/370202001001/")
    assert [d["name"] for d in division["departments"]] == [
        "中共香港中路社区支部委员会",
        "香港中路社区居务监督委员会",
        "香港中路社区居民委员会",
    ]


@pytest.mark.parametrize("code", ["12345", "37020200000X", "000000000000"])
async def test_division_with_an_invalid_code_is_an_invalid_division_code_error(gql, code):
    body = await gql(DIVISION_NAME, {"code": code})

    assert error_code(body) == "INVALID_DIVISION_CODE"
    assert body["errors"][0]["path"] == ["division"]
    assert body["data"] == {"division": None}


@pytest.mark.parametrize("code", ["12345", "37020200000X", "000000000000"])
async def test_divisions_under_an_invalid_parent_code_is_an_invalid_division_code_error(gql, code):
    body = await gql(DIVISIONS, {"parentCode": code})

    assert error_code(body) == "INVALID_DIVISION_CODE"
    assert body["data"] is None


async def test_an_unknown_but_valid_code_answers_null_without_errors(gql):
    body = await gql(DIVISION_NAME, {"code": "370299000000"})

    assert body == {"data": {"division": None}, "extensions": {"cost": ANY}}


async def test_divisions_under_an_unknown_but_valid_parent_is_empty(gql):
    body = await gql(DIVISIONS, {"parentCode": "370299000000"})

    assert body["data"]["divisions"] == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "edges": [],
    }


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor",
        "aGVsbG8=",  # base64 of "hello": decodes, but not a cursor of ours
        "",
    ],
)
async def test_a_cursor_this_server_did_not_make_is_an_invalid_cursor_error(gql, cursor):
    body = await gql(DIVISIONS, {"parentCode": CITY, "after": cursor})

    assert error_code(body) == "INVALID_CURSOR"
    assert body["data"] is None


async def test_anonymous_callers_may_read_divisions(gql):
    listing = await gql(DIVISIONS, {"parentCode": "370202000000", "first": 2})
    one = await gql(DIVISION_NAME, {"code": "370211000000"})

    assert "errors" not in listing
    assert listing["data"]["divisions"]["totalCount"] == 11
    assert one == {
        "data": {"division": {"code": "370211000000", "name": "黄岛区"}},
        "extensions": {"cost": ANY},
    }


def request_statements(sql) -> list[str]:
    # The session app's policy poll (every 0.2 s in tests) shares the engine; it may
    # land inside a request and is not the request's doing.
    return [s for s in sql.statements if "policy_version" not in s]


async def test_sql_statements_for_districts_and_relations_do_not_grow_with_page_size(gql, sql):
    before = len(request_statements(sql))
    ten = await gql(DISTRICTS_WITH_RELATIONS, {"first": 10})
    for_ten = len(request_statements(sql)) - before

    before = len(request_statements(sql))
    two = await gql(DISTRICTS_WITH_RELATIONS, {"first": 2})
    for_two = len(request_statements(sql)) - before

    assert "errors" not in ten and "errors" not in two
    nodes = ten["data"]["divisions"]["nodes"]
    assert len(nodes) == 10
    assert all(node["parent"] == {"name": "青岛市"} for node in nodes)
    assert [len(node["children"]) for node in nodes] == [11, 22, 22, 6, 11, 8, 15, 12, 17, 11]
    assert all(len(node["departments"]) == 24 for node in nodes)
    assert two["data"]["divisions"]["nodes"] == nodes[:2]
    assert for_ten == for_two
    # The page costs two (the count and the rows); then one batched DataLoader query
    # each for parent, children and departments, whatever the page size.
    assert for_ten == 5
