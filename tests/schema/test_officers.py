"""Officers through GraphQL: each caller sees its own part of the tree, and no more."""

OFFICERS = """
query($divisionCode: String, $first: Int, $after: String) {
  officers(divisionCode: $divisionCode, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id staffNumber divisionCode }
  }
}
"""

OFFICERS_WITH_RELATIONS = """
query($divisionCode: String, $first: Int) {
  officers(divisionCode: $divisionCode, first: $first) {
    nodes {
      id
      name
      divisionCode
      department { id name divisionCode }
      division { code name }
      posts { id name department { id } }
    }
  }
}
"""

INSPECTOR = "demo-inspector"  # inspector at 市南区 370202000000
OFFICER = "demo-officer"  # officer at 香港中路街道 370202001000

# Officers per department: district 3, town 2, village 1; a district has 24 departments,
# a town 6 and a village 3, and every town has 8 villages.
# 市南区: 24×3 + 11 towns × (6×2 + 8 villages × 3×1) = 72 + 11 × 36 = 468.
SHINAN_OFFICERS = 468
# 香港中路街道: 6×2 + 8 × 3×1 = 36.
XIANGGANG_ROAD_OFFICERS = 36


def error_code(body: dict) -> str:
    return body["errors"][0]["extensions"]["code"]


async def all_officers(gql, as_: str, division_code: str | None = None, first: int = 100):
    """Every officer the caller sees, page by page: (nodes, totalCount per page, pages)."""
    nodes: list[dict] = []
    totals: list[int] = []
    after = None
    pages = 0
    while True:
        body = await gql(
            OFFICERS,
            {"divisionCode": division_code, "first": first, "after": after},
            as_=as_,
        )
        assert "errors" not in body, body["errors"]
        connection = body["data"]["officers"]
        nodes.extend(connection["nodes"])
        totals.append(connection["totalCount"])
        pages += 1
        assert pages <= 50, "the cursor never ends"
        if not connection["pageInfo"]["hasNextPage"]:
            return nodes, totals, pages
        after = connection["pageInfo"]["endCursor"]


async def test_an_inspector_sees_only_officers_of_their_district(gql):
    nodes, totals, pages = await all_officers(gql, INSPECTOR)

    assert pages == 5
    assert set(totals) == {SHINAN_OFFICERS}
    assert len(nodes) == SHINAN_OFFICERS
    assert len({node["id"] for node in nodes}) == SHINAN_OFFICERS
    assert all(node["divisionCode"].startswith("370202") for node in nodes)
    ids = [node["id"] for node in nodes]
    assert ids == sorted(ids)


async def test_an_inspector_may_narrow_officers_to_a_town_of_their_district(gql):
    nodes, totals, pages = await all_officers(gql, INSPECTOR, "370202001000", first=20)

    assert pages == 2
    assert set(totals) == {XIANGGANG_ROAD_OFFICERS}
    assert len({node["id"] for node in nodes}) == XIANGGANG_ROAD_OFFICERS
    assert all(node["divisionCode"].startswith("370202001") for node in nodes)


async def test_an_inspector_asking_for_a_sibling_district_is_forbidden(gql):
    body = await gql(OFFICERS, {"divisionCode": "370203000000"}, as_=INSPECTOR)

    assert error_code(body) == "FORBIDDEN"
    assert body["data"] is None


async def test_an_inspector_asking_for_the_whole_city_is_forbidden(gql):
    body = await gql(OFFICERS, {"divisionCode": "370200000000"}, as_=INSPECTOR)

    assert error_code(body) == "FORBIDDEN"
    assert body["data"] is None


async def test_a_town_officer_sees_only_officers_of_their_town(gql):
    nodes, totals, pages = await all_officers(gql, OFFICER, first=10)

    assert pages == 4
    assert set(totals) == {XIANGGANG_ROAD_OFFICERS}
    assert len({node["id"] for node in nodes}) == XIANGGANG_ROAD_OFFICERS
    assert all(node["divisionCode"].startswith("370202001") for node in nodes)


async def test_a_town_officer_asking_for_their_district_is_forbidden(gql):
    body = await gql(OFFICERS, {"divisionCode": "370202000000"}, as_=OFFICER)

    assert error_code(body) == "FORBIDDEN"
    assert body["data"] is None


async def test_anonymous_callers_are_told_to_sign_in(gql):
    body = await gql(OFFICERS)

    assert error_code(body) == "UNAUTHENTICATED"
    assert body["data"] is None


async def test_officers_with_an_invalid_division_code_is_an_invalid_division_code_error(gql):
    body = await gql(OFFICERS, {"divisionCode": "37020200000X"}, as_=INSPECTOR)

    assert error_code(body) == "INVALID_DIVISION_CODE"
    assert body["data"] is None


async def test_an_invalid_officer_cursor_is_an_invalid_cursor_error(gql):
    body = await gql(OFFICERS, {"after": "not a cursor"}, as_=INSPECTOR)

    assert error_code(body) == "INVALID_CURSOR"
    assert body["data"] is None


async def test_an_officers_department_division_and_posts_resolve(gql):
    body = await gql(
        OFFICERS_WITH_RELATIONS, {"divisionCode": "370202001000", "first": 50}, as_=OFFICER
    )

    assert "errors" not in body
    nodes = body["data"]["officers"]["nodes"]
    assert len(nodes) == XIANGGANG_ROAD_OFFICERS
    town = [n for n in nodes if n["divisionCode"] == "370202001000"]
    assert len(town) == 12  # 6 offices × 2 officers
    assert {n["division"]["name"] for n in town} == {"香港中路街道"}
    assert {n["department"]["name"] for n in town} == {
        "香港中路街道党政办公室",
        "香港中路街道便民服务中心",
        "香港中路街道规划建设办公室",
        "香港中路街道社会事务办公室",
        "香港中路街道综合行政执法中队",
        "香港中路街道纪(工)委",
    }
    for node in nodes:
        assert node["division"]["code"] == node["divisionCode"]
        assert node["department"]["divisionCode"] == node["divisionCode"]
        assert 1 <= len(node["posts"]) <= 2
        assert {post["department"]["id"] for post in node["posts"]} == {node["department"]["id"]}


def request_statements(sql) -> list[str]:
    # The session app's policy poll (every 0.2 s in tests) shares the engine; it may
    # land inside a request and is not the request's doing.
    return [s for s in sql.statements if "policy_version" not in s]


async def test_sql_statements_for_officers_and_relations_do_not_grow_with_page_size(gql, sql):
    before = len(request_statements(sql))
    fifty = await gql(OFFICERS_WITH_RELATIONS, {"first": 50}, as_=INSPECTOR)
    for_fifty = len(request_statements(sql)) - before

    before = len(request_statements(sql))
    five = await gql(OFFICERS_WITH_RELATIONS, {"first": 5}, as_=INSPECTOR)
    for_five = len(request_statements(sql)) - before

    assert "errors" not in fifty and "errors" not in five
    assert len(fifty["data"]["officers"]["nodes"]) == 50
    assert five["data"]["officers"]["nodes"] == fifty["data"]["officers"]["nodes"][:5]
    assert for_fifty == for_five
    # The page costs two (the count and the rows); then one batched DataLoader query
    # each for departments, divisions and posts, whatever the page size.
    assert for_fifty == 5
