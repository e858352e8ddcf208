"""Limits on every operation: depth, aliases, tokens and page size, all before any SQL."""

from unittest.mock import ANY

import pytest

ALIASES_31 = "{ " + " ".join(f"a{i}: me {{ subject }}" for i in range(31)) + " }"
ALIASES_30 = "{ " + " ".join(f"a{i}: me {{ subject }}" for i in range(30)) + " }"

# `divisions(first: 1) { totalCount }` is 9 tokens; 222 of them inside `{ }` make 2000.
TOKENS_2000 = "{ " + " ".join(["divisions(first: 1) { totalCount }"] * 222) + " }"
TOKENS_2001 = "{ " + " ".join(["divisions(first: 1) { totalCount }"] * 222) + " __typename }"

DIVISIONS_FIRST_LITERAL = """{ divisions(first: %d) { totalCount } }"""
DIVISIONS_FIRST_VARIABLE = """
query($first: Int) { divisions(parentCode: "370200000000", first: $first) { totalCount } }
"""
OFFICERS_FIRST_VARIABLE = """query($first: Int) { officers(first: $first) { totalCount } }"""


def parents(levels: int) -> str:
    """`division` of a community with `levels` nested `parent`s, each asking its `code`.

    The root field sits at depth 0, so the innermost `code` sits at depth `levels + 1`.
    """
    inner = "code"
    for _ in range(levels):
        inner = f"code parent {{ {inner} }}"
    return f'{{ division(code: "370202001001") {{ {inner} }} }}'


DEPTH_10 = parents(9)
DEPTH_11 = parents(10)
# The shape from the brief: children and parent alternating, 12 levels of fields.
DEEP_CHILDREN = (
    '{ division(code: "370200000000") { children { children { parent { children { '
    "children { parent { children { children { parent { children { code } } } } } } } "
    "} } } } }"
)


def error_code(body: dict) -> str:
    return body["errors"][0]["extensions"]["code"]


def request_statements(sql) -> list[str]:
    # The session app's policy poll (every 0.2 s in tests) shares the engine; it may
    # land inside a request and is not the request's doing.
    return [s for s in sql.statements if "policy_version" not in s]


async def rejected(gql, sql, query, variables=None, as_=None) -> dict:
    """The body of a query that must not reach the database."""
    before = len(request_statements(sql))
    body = await gql(query, variables, as_=as_)
    assert request_statements(sql)[before:] == []
    assert body.get("data") is None
    return body


async def test_a_query_deeper_than_ten_levels_is_refused(gql, sql):
    body = await rejected(gql, sql, DEPTH_11)

    assert error_code(body) == "QUERY_TOO_DEEP"


async def test_deeply_nested_children_are_refused_before_any_sql(gql, sql):
    body = await rejected(gql, sql, DEEP_CHILDREN)

    assert error_code(body) == "QUERY_TOO_DEEP"


async def test_a_query_exactly_ten_levels_deep_runs(gql):
    body = await gql(DEPTH_10)

    assert "errors" not in body
    codes = []
    division = body["data"]["division"]
    while division is not None:
        codes.append(division["code"])
        division = division.get("parent")
    # community -> town -> district -> city; the city's parent is null.
    assert codes == ["370202001001", "370202001000", "370202000000", "370200000000"]


async def test_thirty_one_aliases_are_refused(gql, sql):
    body = await rejected(gql, sql, ALIASES_31, as_="demo-inspector")

    assert error_code(body) == "TOO_MANY_ALIASES"


async def test_thirty_aliases_run(gql):
    body = await gql(ALIASES_30, as_="demo-inspector")

    assert "errors" not in body
    assert len(body["data"]) == 30
    assert body["data"]["a29"] == {"subject": "demo-inspector"}


async def test_a_document_over_two_thousand_tokens_is_refused(gql, sql):
    body = await rejected(gql, sql, TOKENS_2001)

    assert error_code(body) == "TOO_MANY_TOKENS"


async def test_a_document_of_exactly_two_thousand_tokens_runs(gql):
    body = await gql(TOKENS_2000)

    assert body == {"data": {"divisions": {"totalCount": 1}}, "extensions": {"cost": ANY}}


@pytest.mark.parametrize("first", [101, -1, 1000])
async def test_a_literal_page_size_outside_zero_to_a_hundred_is_refused(gql, sql, first):
    body = await rejected(gql, sql, DIVISIONS_FIRST_LITERAL % first)

    assert error_code(body) == "PAGE_TOO_LARGE"
    assert body["errors"][0]["extensions"]["maximum"] == 100


@pytest.mark.parametrize("first", [101, -1])
async def test_a_page_size_variable_outside_zero_to_a_hundred_is_refused(gql, sql, first):
    body = await rejected(gql, sql, DIVISIONS_FIRST_VARIABLE, {"first": first})

    assert error_code(body) == "PAGE_TOO_LARGE"


async def test_a_page_size_too_large_for_officers_is_refused_before_any_sql(gql, sql):
    body = await rejected(gql, sql, OFFICERS_FIRST_VARIABLE, {"first": 101}, as_="demo-inspector")

    assert error_code(body) == "PAGE_TOO_LARGE"


async def test_a_page_of_a_hundred_runs(gql):
    body = await gql(OFFICERS_FIRST_VARIABLE, {"first": 100}, as_="demo-inspector")

    assert body == {"data": {"officers": {"totalCount": 468}}, "extensions": {"cost": ANY}}


async def test_a_literal_page_of_a_hundred_runs(gql):
    body = await gql(DIVISIONS_FIRST_LITERAL % 100)

    assert body == {"data": {"divisions": {"totalCount": 1}}, "extensions": {"cost": ANY}}
