"""公示: publishedResults and publishedResult, read anonymously.

The cases are seeded once (conftest.py) in 崂山区, decided in May 2024; every query keeps to
that window and power, so whatever else the session reports does not matter.
"""

import base64

from tests.schema.publication.conftest import LAOSHAN, WINDOW

PAGE = """
query($filter: PublishedResultFilter, $first: Int, $after: String) {
  publishedResults(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { caseNumber decision decidedAt onTime }
  }
}
"""

FULL_PAGE = """
query($filter: PublishedResultFilter, $first: Int) {
  publishedResults(filter: $filter, first: $first) {
    totalCount
    nodes {
      id caseNumber divisionCode departmentCode departmentName powerCode powerName
      decision decidedAt publishedAt onTime
      applicant { kind name idNumber creditCode phone }
      department { code name }
      division { code name }
    }
  }
}
"""

ONE = """
query($caseNumber: String!) {
  publishedResult(caseNumber: $caseNumber) {
    id caseNumber decision onTime powerName departmentName
    applicant { kind name idNumber creditCode phone }
  }
}
"""

NODE = """
query($id: ID!) {
  node(id: $id) {
    __typename
    ... on PublishedResult { caseNumber applicant { name } }
    ... on Case { number }
  }
}
"""


def window(seeded, **more) -> dict:
    return {
        "divisionCode": LAOSHAN,
        "powerCode": seeded.home["power_code"],
        "decidedFrom": WINDOW[0].isoformat(),
        "decidedTo": WINDOW[1].isoformat(),
        **more,
    }


def global_id(type_name: str, key: str) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


async def test_anonymous_callers_page_through_every_published_result_latest_first(gql, seeded):
    seen, after = [], None
    while True:
        body = await gql(PAGE, {"filter": window(seeded), "first": 20, "after": after})
        page = body["data"]["publishedResults"]
        assert page["totalCount"] == len(seeded.published)
        seen += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert [n["caseNumber"] for n in seen] == seeded.published
    assert [n["decidedAt"] for n in seen] == sorted((n["decidedAt"] for n in seen), reverse=True)


async def test_a_person_applicant_is_masked(gql, seeded):
    number = seeded.persons[0]

    result = (await gql(ONE, {"caseNumber": number}))["data"]["publishedResult"]

    n = int(number.rsplit("-", 1)[1])
    assert result["applicant"] == {
        "kind": "PERSON",
        "name": "欧阳**",
        "idNumber": f"3702**********{n % 1000:03d}X",
        "creditCode": None,
        "phone": "139****" + f"{n:08d}"[-4:],
    }


async def test_a_person_with_a_malformed_credit_code_stays_a_masked_person(gql, seeded):
    number = next(p for p in seeded.persons if int(p.rsplit("-", 1)[1]) % 4 == 2)

    applicant = (await gql(ONE, {"caseNumber": number}))["data"]["publishedResult"]["applicant"]

    assert (applicant["kind"], applicant["name"], applicant["creditCode"]) == (
        "PERSON",
        "欧阳**",
        None,
    )


async def test_a_company_is_shown_by_name_and_credit_code_its_phone_masked(gql, seeded):
    number, (name, code) = next(iter(seeded.companies.items()))

    applicant = (await gql(ONE, {"caseNumber": number}))["data"]["publishedResult"]["applicant"]

    assert applicant["kind"] == "COMPANY"
    assert (applicant["name"], applicant["creditCode"]) == (name, code)
    assert applicant["idNumber"] is None
    assert applicant["phone"].startswith("137****")


async def test_a_result_shows_power_department_decision_and_whether_on_time(gql, seeded):
    body = await gql(FULL_PAGE, {"filter": window(seeded), "first": 100})

    nodes = {n["caseNumber"]: n for n in body["data"]["publishedResults"]["nodes"]}
    assert {n["powerName"] for n in nodes.values()} == {seeded.power_name}
    assert {n["departmentName"] for n in nodes.values()} == {seeded.department_name}
    assert {n["department"]["code"] for n in nodes.values()} == {seeded.home["department_code"]}
    assert {n["division"]["name"] for n in nodes.values()} == {"崂山区"}
    assert {n["decision"] for n in nodes.values()} == {"APPROVED", "REJECTED"}
    assert [k for k, n in nodes.items() if not n["onTime"]] == sorted(seeded.late, reverse=True)
    assert all(n["publishedAt"] > n["decidedAt"] for n in nodes.values())


async def test_filters_narrow_by_department_division_and_decision_day(gql, seeded):
    other_department = window(seeded, departmentCode="91370200000000000X")
    other_district = window(seeded, divisionCode="370203000000")
    first_day = window(seeded, decidedTo="2024-05-07T00:00:00+08:00")

    same_department = window(seeded, departmentCode=seeded.home["department_code"])

    counts = [
        (await gql(PAGE, {"filter": flt}))["data"]["publishedResults"]["totalCount"]
        for flt in (same_department, other_department, other_district, first_day)
    ]

    # decided from 2024-05-06 10:00, one every 7 hours: 10:00 and 17:00 on the first day
    assert counts == [len(seeded.published), 0, 0, 2]


async def test_a_case_never_published_is_no_published_result(gql, seeded):
    for number in seeded.unpublished:
        assert (await gql(ONE, {"caseNumber": number}))["data"]["publishedResult"] is None


async def test_published_results_leave_out_every_unpublished_case(gql, seeded):
    body = await gql(PAGE, {"filter": {"divisionCode": LAOSHAN}, "first": 100})

    numbers = {n["caseNumber"] for n in body["data"]["publishedResults"]["nodes"]}
    assert not numbers & set(seeded.unpublished)


async def test_a_published_result_id_resolves_through_node(gql, seeded):
    number = seeded.persons[0]
    result = (await gql(ONE, {"caseNumber": number}))["data"]["publishedResult"]
    assert result["id"] == global_id("PublishedResult", number)

    body = await gql(NODE, {"id": result["id"]})

    assert body["data"]["node"] == {
        "__typename": "PublishedResult",
        "caseNumber": number,
        "applicant": {"name": "欧阳**"},
    }


async def test_node_answers_nothing_for_an_unpublished_result_id(gql, seeded):
    for number in seeded.unpublished:
        body = await gql(NODE, {"id": global_id("PublishedResult", number)})
        assert "errors" not in body and body["data"] == {"node": None}


async def test_node_answers_nothing_to_anonymous_callers_for_a_case_id(gql, seeded):
    for number in (seeded.published[0], seeded.unpublished[0]):
        body = await gql(NODE, {"id": global_id("Case", number)})
        assert "errors" not in body and body["data"] == {"node": None}


async def test_an_inspector_sees_when_a_case_was_published(gql, seeded):
    case = """query($number: String!) { case(number: $number) { publishedAt decidedAt } }"""
    number = seeded.published[0]

    found = (await gql(case, {"number": number}, as_="demo-supervisor"))["data"]["case"]

    assert found["publishedAt"] > found["decidedAt"]


async def test_a_bad_division_code_is_refused_with_its_code(gql, seeded):
    body = await gql(PAGE, {"filter": {"divisionCode": "3702"}})

    assert body["errors"][0]["extensions"]["code"] == "INVALID_DIVISION_CODE"


async def test_a_cursor_this_server_did_not_make_is_refused(gql, seeded):
    body = await gql(PAGE, {"filter": window(seeded), "after": "bm9wZQ=="})

    assert body["errors"][0]["extensions"]["code"] == "INVALID_CURSOR"


async def test_a_page_of_50_costs_four_statements(gql, seeded, sql):
    sql.statements.clear()
    body = await gql(FULL_PAGE, {"filter": window(seeded), "first": 50})

    assert len(body["data"]["publishedResults"]["nodes"]) == 50
    # the total, the page (department and power names joined in), then one batch each
    # for the departments and the divisions asked for
    statements = [s for s in sql.statements if "outbox" not in s]
    assert len(statements) == 4, "\n\n".join(statements)
