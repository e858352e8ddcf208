"""Inputs and combinations that once reached clients as internal errors or leaks."""

import base64
import uuid

import pytest
import strawberry
from sqlalchemy.exc import OperationalError
from strawberry.schema.config import StrawberryConfig

from schema.limits import ErrorCodes

TWO_ROOTS = "{ a: powers(first: 1) { totalCount } b: powers(first: 1) { totalCount } }"
MIXED_ROOTS = "{ divisions(first: 1) { totalCount } powers(first: 1) { totalCount } }"
DEFAULT_PAGE = "query($n: Int = 1000) { powers(first: $n) { totalCount } }"
POWERS_AFTER = "query($after: String) { powers(first: 1, after: $after) { totalCount } }"
OFFICERS = "{ officers(first: 1) { totalCount } }"
GRANT = """
mutation($input: GrantRoleInput!) {
  grantRole(input: $input) { __typename ... on UserError { code } }
}
"""


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(f"k:{text}".encode()).decode()


async def test_root_fields_sharing_one_session_all_answer(gql):
    for query in (TWO_ROOTS, MIXED_ROOTS):
        body = await gql(query)
        assert "errors" not in body, body


async def test_a_variable_default_cannot_lift_the_page_limit(gql):
    body = await gql(DEFAULT_PAGE)
    assert body["errors"][0]["extensions"]["code"] == "PAGE_TOO_LARGE"


async def test_cursors_with_odd_digits_or_huge_numbers_are_refused_cleanly(gql):
    for key in ("²", "9" * 30, "1" * 5000):
        body = await gql(POWERS_AFTER, {"after": _cursor(key)})
        assert body["errors"][0]["extensions"]["code"] == "INVALID_CURSOR", key


async def test_an_officer_grant_does_not_widen_what_another_role_may_read(gql):
    # catalogue_admin at the city may not read officers; officer at a village may, there
    subject = f"t-mixed-{uuid.uuid4().hex[:8]}"
    for role, division in (("CATALOGUE_ADMIN", "370200000000"), ("OFFICER", "370202001001")):
        body = await gql(
            GRANT,
            {"input": {"subject": subject, "role": role, "divisionCode": division}},
            as_="demo-admin",
        )
        assert body["data"]["grantRole"]["__typename"] == "GrantRolePayload"
    total = (await gql(OFFICERS, as_=subject))["data"]["officers"]["totalCount"]
    village = await gql(OFFICERS, as_="demo-admin")  # for reference: the whole city
    assert 0 < total < village["data"]["officers"]["totalCount"] / 100


@strawberry.type
class _Query:
    @strawberry.field
    def broken(self) -> int:
        raise OperationalError("SELECT secret FROM accounts WHERE id = 1", {}, Exception("x"))


async def test_production_masks_library_errors_that_carry_a_code():
    schema = strawberry.Schema(
        query=_Query,
        extensions=[lambda: ErrorCodes(mask=True)],
        config=StrawberryConfig(disable_field_suggestions=True),
    )
    result = await schema.execute("{ broken }")
    assert result.errors[0].message == "Unexpected error."
    assert result.errors[0].extensions == {"code": "INTERNAL_SERVER_ERROR"}


CASES_SINCE = "query($f: CaseFilter) { cases(filter: $f, first: 1) { totalCount } }"
WARNINGS_SINCE = "query($f: WarningFilter) { warnings(filter: $f, first: 1) { totalCount } }"


async def test_a_time_without_an_offset_is_read_as_beijing_time(gql):
    naive = await gql(CASES_SINCE, {"f": {"acceptedFrom": "2025-01-01T00:00:00"}}, as_="demo-admin")
    beijing = await gql(
        CASES_SINCE, {"f": {"acceptedFrom": "2025-01-01T00:00:00+08:00"}}, as_="demo-admin"
    )
    assert "errors" not in naive, naive
    assert naive == beijing
    warnings = await gql(
        WARNINGS_SINCE, {"f": {"raisedFrom": "2025-01-01T00:00:00"}}, as_="demo-admin"
    )
    assert "errors" not in warnings, warnings


async def test_a_malformed_time_is_refused_as_input(gql):
    body = await gql(CASES_SINCE, {"f": {"acceptedFrom": "yesterday"}}, as_="demo-admin")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00", "9999-12-31T23:00:00-10:00"])
async def test_a_time_at_the_edge_of_the_calendar_is_refused_as_input(gql, when):
    body = await gql(WARNINGS_SINCE, {"f": {"raisedFrom": when}}, as_="demo-admin")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert body["data"] is None


async def test_a_nul_character_is_refused_as_input(gql):
    query = "query($n: String!) { publishedResult(caseNumber: $n) { caseNumber } }"
    body = await gql(query, {"n": "370202-2025-\u0000"})
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    literal = await gql('{ publishedResult(caseNumber: "a\\u0000") { caseNumber } }')
    assert literal["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
