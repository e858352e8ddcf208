"""A flood from one address is throttled with a clear error while others are served."""

from __future__ import annotations

import time
import uuid
from dataclasses import replace

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from api.app import create_app
from api.ratelimit import ClientAddress
from tests.api.portal import clear_of_the_minute_boundary, client_at, portal_app

DIVISION = """
query Division($code: String!) { division(code: $code) { code name } }
"""

LIMIT = 5
AUTHENTICATED_LIMIT = 8


@pytest.fixture(scope="module")
async def app(database_url):
    async with portal_app(
        database_url,
        YANGGUANG_RATE_LIMIT_PER_MINUTE=str(LIMIT),
        YANGGUANG_RATE_LIMIT_AUTHENTICATED_PER_MINUTE=str(AUTHENTICATED_LIMIT),
        YANGGUANG_TRUSTED_PROXIES="10.0.0.0/8",
    ) as app:
        yield app


async def ask(client, headers: dict | None = None):
    return await client.post(
        "/graphql", json={"query": DIVISION, "variables": {"code": "370202000000"}}, headers=headers
    )


async def test_a_flood_from_one_address_is_throttled_while_others_are_served(app):
    await clear_of_the_minute_boundary()
    async with client_at(app, "198.51.100.7") as flooder, client_at(app, "198.51.100.8") as other:
        answers = [await ask(flooder) for _ in range(LIMIT + 3)]
        assert [a.status_code for a in answers] == [200] * LIMIT + [429] * 3

        refused = answers[-1]
        error = refused.json()["errors"][0]
        assert refused.json()["data"] is None
        assert error["extensions"]["code"] == "RATE_LIMITED"
        assert "too many requests from 198.51.100.7" in error["message"]
        assert refused.headers["ratelimit-limit"] == str(LIMIT)
        assert refused.headers["ratelimit-remaining"] == "0"
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert refused.headers["retry-after"] == refused.headers["ratelimit-reset"]

        served = await ask(other)
        assert served.status_code == 200
        assert served.json()["data"]["division"]["code"] == "370202000000"


async def test_every_answer_says_where_the_caller_stands(app):
    await clear_of_the_minute_boundary()
    async with client_at(app, "198.51.100.20") as client:
        first, second = await ask(client), await ask(client)
    assert first.headers["ratelimit-limit"] == str(LIMIT)
    assert first.headers["ratelimit-remaining"] == str(LIMIT - 1)
    assert second.headers["ratelimit-remaining"] == str(LIMIT - 2)
    assert 1 <= int(first.headers["ratelimit-reset"]) <= 60
    assert first.headers["ratelimit-policy"] == f"{LIMIT};w=60"
    assert "retry-after" not in first.headers


async def test_health_checks_are_never_limited(app):
    async with client_at(app, "198.51.100.30") as client:
        for _ in range(LIMIT + 2):
            assert (await client.get("/healthz")).status_code == 200
        ready = await client.get("/readyz")
        assert ready.status_code == 200
        assert "ratelimit-limit" not in ready.headers


async def test_an_authenticated_caller_is_counted_by_subject_with_its_own_limit(app, token):
    await clear_of_the_minute_boundary()
    headers = {"Authorization": f"Bearer {token('demo-officer')}"}
    async with client_at(app, "198.51.100.40") as one, client_at(app, "198.51.100.41") as two:
        answers = [await ask(one if n % 2 else two, headers) for n in range(AUTHENTICATED_LIMIT)]
        assert all(a.status_code == 200 for a in answers)
        assert answers[-1].headers["ratelimit-limit"] == str(AUTHENTICATED_LIMIT)
        refused = await ask(one, headers)
        assert refused.status_code == 429
        assert "demo-officer" in refused.json()["errors"][0]["message"]
        # the address itself is still free for anonymous requests
        assert (await ask(one)).status_code == 200


async def test_bad_tokens_are_counted_against_the_address(app):
    await clear_of_the_minute_boundary()
    async with client_at(app, "198.51.100.50") as client:
        bad = {"Authorization": "Bearer not-a-token"}
        statuses = [(await ask(client, bad)).status_code for _ in range(LIMIT + 1)]
    assert statuses == [401] * LIMIT + [429]


async def test_forwarded_for_counts_the_client_behind_a_trusted_proxy(app):
    await clear_of_the_minute_boundary()
    async with client_at(app, "10.1.2.3") as proxy:
        behind = {"X-Forwarded-For": "203.0.113.9, 10.0.0.5"}
        for _ in range(LIMIT):
            assert (await ask(proxy, behind)).status_code == 200
        assert (await ask(proxy, behind)).status_code == 429
        # another client behind the same proxy is another address
        assert (await ask(proxy, {"X-Forwarded-For": "203.0.113.10"})).status_code == 200


def scope(peer: str, forwarded: str | None = None) -> dict:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return {"type": "http", "client": (peer, 1234), "headers": headers}


def test_forwarded_for_is_ignored_from_an_untrusted_peer():
    addresses = ClientAddress(("10.0.0.0/8",))
    assert addresses.of(scope("198.51.100.1", "203.0.113.9")) == "198.51.100.1"
    assert ClientAddress().of(scope("10.0.0.1", "203.0.113.9")) == "10.0.0.1"


def test_the_client_is_the_last_address_no_trusted_proxy_added():
    addresses = ClientAddress(("10.0.0.0/8", "192.168.0.0/16"))
    # a client may send any X-Forwarded-For; only what the proxies appended is believed
    forged = "1.1.1.1, 203.0.113.9, 192.168.1.1"
    assert addresses.of(scope("10.0.0.1", forged)) == "203.0.113.9"


def test_an_ipv6_client_is_counted_by_its_64():
    addresses = ClientAddress()
    assert addresses.of(scope("2001:db8:1:2::1")) == addresses.of(scope("2001:db8:1:2:ffff::9"))
    assert addresses.of(scope("2001:db8:1:2::1")) != addresses.of(scope("2001:db8:1:3::1"))
    assert addresses.of(scope("::ffff:198.51.100.1")) == "198.51.100.1"


def test_websocket_handshakes_count_against_the_address(settings):
    # sync: TestClient runs the app, lifespan included, on its own event loop
    fresh = f"{settings.redis_prefix}-ws-{uuid.uuid4().hex[:8]}"  # counters of its own
    app = create_app(replace(settings, rate_limit_per_minute=2, redis_prefix=fresh))
    if 60 - time.time() % 60 < 3:  # clear of the minute's end, when counts start again
        time.sleep(3)
    with TestClient(app) as client:
        for _ in range(2):
            with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]):
                pass
        with (
            pytest.raises(WebSocketDisconnect) as refused,
            client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]),
        ):
            pass
    assert refused.value.code == 1008


def test_operations_over_one_websocket_count_too(settings):
    # one socket is no way around the limit: each operation started on it counts
    # its own counters: with Redis, other tests' sockets from this address share a minute
    fresh = f"{settings.redis_prefix}-ws-{uuid.uuid4().hex[:8]}"
    app = create_app(replace(settings, rate_limit_per_minute=4, redis_prefix=fresh))
    if 60 - time.time() % 60 < 3:
        time.sleep(3)
    with (
        TestClient(app) as client,
        client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):  # the handshake is the first of the four
        ws.send_json({"type": "connection_init", "payload": {}})
        assert ws.receive_json()["type"] == "connection_ack"
        for n in range(3):
            payload = {"query": DIVISION, "variables": {"code": "370200000000"}}
            ws.send_json({"id": str(n), "type": "subscribe", "payload": payload})
            answer = ws.receive_json()
            assert answer["payload"]["data"]["division"]["code"] == "370200000000"
            assert ws.receive_json()["type"] == "complete"
        ws.send_json({"id": "over", "type": "subscribe", "payload": {"query": DIVISION}})
        with pytest.raises(WebSocketDisconnect) as refused:
            ws.receive_json()
    assert refused.value.code == 4429
