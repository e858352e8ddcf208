"""Each operation's estimated cost is reported in `extensions.cost`; over the maximum it is
refused before any SQL."""

from __future__ import annotations

from graphql import parse

from schema.cost import MAX_COST, estimate
from schema.schema import build_schema
from tests.api.portal import client_at, portal_app

POWERS_PAGE = "{ powers(first: 5) { totalCount nodes { code } } }"

POWERS_BY_VARIABLE = """
query Powers($first: Int) { powers(first: $first) { nodes { code name } } }
"""

DIVISIONS_WITH_CHILDREN = """
{ divisions(first: 3) { nodes { ...Children } } }
fragment Children on Division { children { code } }
"""

HEAVY_POWER = """
powers(first: 100) {
  nodes {
    materials { name required } fees { name } legalBasis { law }
    nodes { name post } riskPoints { type level }
  }
}
"""
TOO_COSTLY = "{ a: " + HEAVY_POWER + " b: " + HEAVY_POWER + " }"

INTROSPECTION = "{ __schema { types { name fields { name args { name } } } } }"

SCHEMA = build_schema()._schema


def cost_of(query: str, variables: dict | None = None) -> int | None:
    return estimate(SCHEMA, parse(query), None, variables)


def test_a_connection_counts_its_items_once_per_page_entry():
    # powers 1 + totalCount 1 + nodes (1 + 5 × code 1)
    assert cost_of(POWERS_PAGE) == 8


def test_the_page_size_comes_from_a_variable_or_the_default_page():
    assert cost_of(POWERS_BY_VARIABLE, {"first": 20}) == 1 + 1 + 20 * 2
    assert cost_of(POWERS_BY_VARIABLE, {}) == 1 + 1 + 50 * 2


def test_a_list_without_a_page_size_counts_ten_items_through_fragments():
    # divisions 1 + nodes (1 + 3 × children (1 + 10 × code 1))
    assert cost_of(DIVISIONS_WITH_CHILDREN) == 1 + 1 + 3 * 11


def test_introspection_costs_one_per_meta_field():
    assert cost_of(INTROSPECTION) == 1


async def test_the_cost_is_reported_in_extensions(gql):
    body = await gql(POWERS_PAGE)
    assert body["data"]["powers"]["totalCount"] > 0
    assert body["extensions"]["cost"] == {"requested": 8, "maximum": MAX_COST}


async def test_an_operation_over_the_maximum_is_refused_before_any_sql(gql, sql):
    assert cost_of(TOO_COSTLY) > MAX_COST
    before = len(sql.statements)
    body = await gql(TOO_COSTLY)
    assert [s for s in sql.statements[before:] if "policy_version" not in s] == []
    assert body["data"] is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert error["extensions"]["maximum"] == MAX_COST
    assert body["extensions"]["cost"] == {"requested": cost_of(TOO_COSTLY), "maximum": MAX_COST}


async def test_the_maximum_comes_from_the_settings(database_url):
    async with (
        portal_app(database_url, YANGGUANG_MAX_QUERY_COST="7") as app,
        client_at(app) as client,
    ):
        body = (await client.post("/graphql", json={"query": POWERS_PAGE})).json()
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert body["extensions"]["cost"] == {"requested": 8, "maximum": 7}


STATS = (
    'publicStats(divisionCode: "370200000000", from: "2025-01-01", to: "2025-02-01")'
    " { totals { accepted } }"
)


def test_statistics_weigh_what_they_cost_not_what_they_select():
    # eight aggregates run whatever is selected: a few aliases reach the maximum
    assert cost_of("{ " + STATS + " }") >= 2_000
    aliased = "{ " + " ".join(f"a{n}: {STATS}" for n in range(6)) + " }"
    assert cost_of(aliased) > MAX_COST
