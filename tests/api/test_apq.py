"""Persisted queries (Apollo's protocol): a hash alone once the text is known, also over GET."""

from __future__ import annotations

import orjson
import pytest

from tests.api.portal import client_at, persisted, portal_app, sha256

DIVISION = """
query Division($code: String!) { division(code: $code) { code name tier } }
"""

GRANT = """
mutation Grant($input: GrantRoleInput!) { grantRole(input: $input) { __typename } }
"""

UNKNOWN_FIELD = "query { noSuchField }"

SHINAN = "370202000000"


@pytest.fixture(scope="module")
async def app(database_url):
    async with portal_app(database_url, YANGGUANG_RATE_LIMIT_PER_MINUTE="0") as app:
        yield app


@pytest.fixture
async def client(app):
    async with client_at(app) as client:
        yield client


def get_params(text_hash_of: str, variables: dict, query: str | None = None) -> dict:
    params = {
        "extensions": orjson.dumps(persisted(text_hash_of)).decode(),
        "variables": orjson.dumps(variables).decode(),
    }
    if query is not None:
        params["query"] = query
    return params


async def test_an_unknown_hash_answers_persisted_query_not_found(client):
    body = (
        await client.post(
            "/graphql",
            json={"extensions": persisted("query { never sent }"), "variables": {}},
        )
    ).json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert body["errors"][0]["message"] == "PersistedQueryNotFound"


async def test_the_hash_with_its_text_is_kept_then_the_hash_alone_runs(client):
    query = DIVISION + "# round trip"
    variables = {"code": SHINAN}
    first = await client.post(
        "/graphql", json={"extensions": persisted(query), "variables": variables}
    )
    assert first.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"

    sent = await client.post(
        "/graphql", json={"query": query, "extensions": persisted(query), "variables": variables}
    )
    assert sent.json()["data"]["division"]["code"] == SHINAN

    again = await client.post(
        "/graphql", json={"extensions": persisted(query), "variables": variables}
    )
    assert again.status_code == 200
    assert again.json()["data"] == sent.json()["data"]


async def test_a_kept_query_runs_over_get(client):
    query = DIVISION + "# over GET"
    variables = {"code": SHINAN}
    not_yet = await client.get("/graphql", params=get_params(query, variables))
    assert not_yet.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"

    sent = await client.get("/graphql", params=get_params(query, variables, query=query))
    assert sent.json()["data"]["division"]["name"]

    response = await client.get(
        "/graphql", params=get_params(query, variables), headers={"accept": "*/*"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json()["data"] == sent.json()["data"]


async def test_a_text_under_another_hash_answers_hash_mismatch(client):
    response = await client.post(
        "/graphql",
        json={
            "query": DIVISION,
            "extensions": persisted(DIVISION + "# something else"),
            "variables": {"code": SHINAN},
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"


async def test_another_protocol_version_is_refused(client):
    response = await client.post(
        "/graphql",
        json={"extensions": {"persistedQuery": {"version": 2, "sha256Hash": sha256(DIVISION)}}},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_SUPPORTED"


async def test_a_mutation_is_never_run_over_get(client, token):
    variables = {"input": {"subject": "nobody", "role": "INSPECTOR", "divisionCode": SHINAN}}
    # kept over POST, where it may run ...
    await client.post(
        "/graphql",
        json={"query": GRANT, "extensions": persisted(GRANT), "variables": variables},
        headers={"Authorization": f"Bearer {token('demo-inspector')}"},
    )
    # ... but its hash over GET does not run it
    response = await client.get(
        "/graphql",
        params=get_params(GRANT, variables),
        headers={"Authorization": f"Bearer {token('demo-admin')}"},
    )
    assert response.status_code == 400
    assert "mutations are not allowed" in response.text.lower()


async def test_a_text_that_does_not_validate_is_not_kept(client):
    await client.post(
        "/graphql", json={"query": UNKNOWN_FIELD, "extensions": persisted(UNKNOWN_FIELD)}
    )
    body = (await client.post("/graphql", json={"extensions": persisted(UNKNOWN_FIELD)})).json()
    assert body["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_huge_text_is_answered_but_never_kept(client):
    query = DIVISION + "#" + "x" * 20_000
    variables = {"code": SHINAN}
    sent = await client.post(
        "/graphql", json={"query": query, "extensions": persisted(query), "variables": variables}
    )
    assert sent.json()["data"]["division"]["code"] == SHINAN
    again = await client.post(
        "/graphql", json={"extensions": persisted(query), "variables": variables}
    )
    assert again.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
