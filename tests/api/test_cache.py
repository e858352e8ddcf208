"""Anonymous answers are kept by query, variables and data version; a change drops them."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import select

from supervision.catalogue import codes
from supervision.catalogue.spec import Category
from supervision.organisation import Department
from tenancy.scope import Scope
from tests.api.portal import client_at, portal_app
from tests.schema.cases.support import REPORT, SHINAN, SYSTEM, case_number, find_power, recent_past

DIVISION = """
query Division($code: String!) { division(code: $code) { code name tier } }
"""

POWER = """
query Power($code: String!) { power(code: $code) { code name status } }
"""

CREATE_POWER = """
mutation Create($code: String!, $input: PowerInput!) {
  createPower(code: $code, input: $input) { __typename ... on UserError { code message } }
}
"""

PUBLISH_POWER = """
mutation Publish($code: String!) {
  publishPower(code: $code) { __typename ... on UserError { code message } }
}
"""

GRANT = """
mutation($input: GrantRoleInput!) { grantRole(input: $input) { __typename } }
"""
PUBLISHED_RESULTS = """
query Published($filter: PublishedResultFilter, $first: Int) {
  publishedResults(filter: $filter, first: $first) { totalCount nodes { caseNumber decision } }
}
"""

BAD_CURSOR = """
query { powers(first: 1, after: "not a cursor") { totalCount } }
"""

ADMIN = "demo-admin"


@pytest.fixture(scope="module")
async def app(database_url):
    async with portal_app(database_url, relay=False, YANGGUANG_RATE_LIMIT_PER_MINUTE="0") as app:
        yield app


@pytest.fixture
async def client(app):
    async with client_at(app) as client:
        yield client


@pytest.fixture
async def ask(client, token):
    """ask(query, variables, as_=None) -> the response."""

    async def post(query: str, variables: dict | None = None, as_: str | None = None):
        headers = {"Authorization": f"Bearer {token(as_)}"} if as_ else {}
        return await client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )

    return post


async def test_repeating_an_anonymous_query_is_answered_from_the_cache(ask):
    variables = {"code": SHINAN}
    first = await ask(DIVISION, variables)
    second = await ask(DIVISION, variables)
    assert first.headers["x-cache"] == "MISS"
    assert second.headers["x-cache"] == "HIT"
    assert second.content == first.content
    assert second.json()["data"]["division"]["code"] == SHINAN


async def test_other_variables_are_kept_apart(ask):
    await ask(DIVISION, {"code": SHINAN})
    other = await ask(DIVISION, {"code": "370203000000"})
    assert other.json()["data"]["division"]["code"] == "370203000000"
    assert (await ask(DIVISION, {"code": SHINAN})).json()["data"]["division"]["code"] == SHINAN


async def test_an_authenticated_query_is_never_cached(ask):
    for _ in range(2):
        response = await ask(DIVISION, {"code": SHINAN}, as_="demo-inspector")
        assert response.headers["x-cache"] == "BYPASS"
        assert response.json()["data"]["division"]["code"] == SHINAN


async def test_an_answer_with_errors_is_not_kept(ask):
    for _ in range(2):
        response = await ask(BAD_CURSOR)
        assert response.headers["x-cache"] == "MISS"
        assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_CURSOR"


async def test_a_new_decision_shows_at_once_in_the_published_results(ask, database):
    power = await find_power(database, division_code=SHINAN)
    variables = {"filter": {"powerCode": power["powerCode"]}, "first": 100}
    before = await ask(PUBLISHED_RESULTS, variables)
    assert before.headers["x-cache"] == "MISS"
    kept = await ask(PUBLISHED_RESULTS, variables)
    assert kept.headers["x-cache"] == "HIT"

    number = case_number("cache")
    events = [
        {
            "eventId": f"{number}-{action}",
            "caseNumber": number,
            "action": action,
            "occurredAt": recent_past(hours=hours).isoformat(),
            **power,
        }
        for action, hours in (("ACCEPT", 3), ("APPROVE", 2), ("PUBLISH", 1))
    ]
    reported = await ask(REPORT, {"events": events}, as_=SYSTEM)
    assert reported.json()["data"]["reportCaseEvents"]["accepted"] == 3
    assert reported.headers["x-cache"] == "BYPASS"

    # the mutation itself dropped the kept answers, before it answered (no relay runs here)
    after = await ask(PUBLISHED_RESULTS, variables)
    assert after.headers["x-cache"] == "MISS"
    results = after.json()["data"]["publishedResults"]
    old = kept.json()["data"]["publishedResults"]
    assert results["totalCount"] == old["totalCount"] + 1
    assert {"caseNumber": number, "decision": "APPROVED"} in results["nodes"]
    assert (await ask(PUBLISHED_RESULTS, variables)).headers["x-cache"] == "HIT"


async def test_a_power_published_shows_at_once_to_the_public(ask, database):
    async with database.session(Scope.bypass("test: a department")) as session:
        department = await session.scalar(
            select(Department.code).where(
                Department.kind == "market_regulation", Department.division_code == SHINAN
            )
        )
    code = codes.make(
        category=Category.LICENSING,
        main=9990,
        sub=1,
        division_code=SHINAN,
        department_code=department,
    )
    power_input = {
        "name": "缓存测试许可事项",
        "category": "LICENSING",
        "departmentCode": department,
        "legalBasis": [{"law": "《中华人民共和国行政许可法》", "article": "第二十九条"}],
        "statutoryLimit": {"value": 20, "unit": "WORKING_DAY"},
        "promisedLimit": {"value": 10, "unit": "WORKING_DAY"},
    }
    created = await ask(CREATE_POWER, {"code": code, "input": power_input}, as_=ADMIN)
    assert created.json()["data"]["createPower"]["__typename"] == "PowerPayload", created.text

    unpublished = await ask(POWER, {"code": code})
    assert unpublished.json()["data"]["power"] is None
    assert (await ask(POWER, {"code": code})).headers["x-cache"] == "HIT"

    published = await ask(PUBLISH_POWER, {"code": code}, as_=ADMIN)
    assert published.json()["data"]["publishPower"]["__typename"] == "PowerPayload"

    now = await ask(POWER, {"code": code})
    assert now.headers["x-cache"] == "MISS"
    assert now.json()["data"]["power"] == {
        "code": code,
        "name": "缓存测试许可事项",
        "status": "PUBLISHED",
    }


async def test_an_outbox_batch_relayed_drops_the_kept_answers(app, ask):
    # What a worker or another process commits reaches the public through the relay,
    # which calls this after each batch (tests/supervision/test_live.py: that it does).
    await ask(DIVISION, {"code": "370211000000"})
    assert (await ask(DIVISION, {"code": "370211000000"})).headers["x-cache"] == "HIT"
    await app.state.services.relay.published()
    assert (await ask(DIVISION, {"code": "370211000000"})).headers["x-cache"] == "MISS"


async def test_no_answer_is_kept_when_the_cache_is_off(database_url):
    async with (
        portal_app(database_url, YANGGUANG_RESPONSE_CACHE_SECONDS="0") as app,
        client_at(app) as client,
    ):
        for _ in range(2):
            response = await client.post(
                "/graphql", json={"query": DIVISION, "variables": {"code": SHINAN}}
            )
            assert response.headers["x-cache"] == "BYPASS"


async def test_a_get_answer_may_be_kept_by_a_cdn_when_configured(database_url):
    async with (
        portal_app(database_url, YANGGUANG_PUBLIC_MAX_AGE="60") as app,
        client_at(app) as client,
    ):
        params = {"query": DIVISION, "variables": '{"code": "370202000000"}'}
        answer = await client.get("/graphql", params=params)
        assert answer.headers["cache-control"] == "public, max-age=60"
        assert answer.headers["vary"] == "Authorization"
        posted = await client.post(
            "/graphql", json={"query": DIVISION, "variables": {"code": SHINAN}}
        )
        assert "cache-control" not in posted.headers


@pytest.mark.skipif(not os.environ.get("YANGGUANG_REDIS_URL"), reason="processes share Redis")
async def test_processes_sharing_redis_share_answers_and_their_invalidation(database_url, token):
    prefix = f"yangguang-test-{uuid.uuid4().hex[:8]}"
    async with (
        portal_app(database_url, relay=False, YANGGUANG_REDIS_PREFIX=prefix) as one,
        portal_app(database_url, relay=False, YANGGUANG_REDIS_PREFIX=prefix) as two,
        client_at(one) as first,
        client_at(two) as second,
    ):
        query = {"query": DIVISION, "variables": {"code": "370212000000"}}
        assert (await first.post("/graphql", json=query)).headers["x-cache"] == "MISS"
        assert (await second.post("/graphql", json=query)).headers["x-cache"] == "HIT"
        # a refused mutation through one process leaves the kept answers alone ...
        admin = {"Authorization": f"Bearer {token(ADMIN)}"}
        await first.post(
            "/graphql", json={"query": PUBLISH_POWER, "variables": {"code": "-"}}, headers=admin
        )
        assert (await second.post("/graphql", json=query)).headers["x-cache"] == "HIT"
        # ... one that commits a write drops what the other would answer from
        grant = {"subject": f"cache-{prefix}", "role": "OFFICER", "divisionCode": "370212000000"}
        granted = await first.post(
            "/graphql", json={"query": GRANT, "variables": {"input": grant}}, headers=admin
        )
        assert granted.json()["data"]["grantRole"]["__typename"] == "GrantRolePayload"
        assert (await second.post("/graphql", json=query)).headers["x-cache"] == "MISS"


async def test_a_number_too_large_for_the_key_is_answered_not_kept(ask):
    answer = await ask("query($n: Int) { __typename }", {"n": 2**70})
    assert answer.status_code < 500
    assert answer.headers["x-cache"] != "HIT"


async def test_a_refused_mutation_keeps_the_kept_answers(ask):
    # a flood of wrong rating codes must not keep the portal's cache cold
    variables = {"code": "370203000000"}
    await ask(DIVISION, variables)
    assert (await ask(DIVISION, variables)).headers["x-cache"] == "HIT"
    rate = """
    mutation {
      rateCase(input: {caseNumber: "370203-2025-999999", ratingCode: "AAAA-AAAA",
                       level: SATISFIED, dimensions: []}) { __typename }
    }
    """
    refused = await ask(rate)
    assert refused.json()["data"]["rateCase"]["__typename"] == "InvalidRatingCode"
    assert (await ask(DIVISION, variables)).headers["x-cache"] == "HIT"
