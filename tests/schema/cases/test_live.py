"""Live case updates over WebSocket: committed facts reach subscribers, resumable by cursor.

Sync tests: each runs new apps under starlette's TestClient (lifespan included, so the outbox
relay runs), reports over HTTP and subscribes over graphql-transport-ws. The relay publishes
after commit (kicked by the mutation, else every second): every wait below is bounded.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import replace

import anyio
import pytest
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from api.app import create_app
from tenancy.db import Database
from tests import databases
from tests.conftest import make_settings
from tests.schema.cases.support import (
    ADMIN,
    INSPECTOR,
    REPORT,
    SHIBEI,
    SHINAN,
    SYSTEM,
    case_number,
    fact,
    find_power,
    recent_past,
)

PROTOCOL = "graphql-transport-ws"
CASE_EVENTS = """
subscription($code: String!, $after: String) {
  caseEvents(divisionCode: $code, after: $after) {
    cursor caseNumber divisionCode eventId action state occurredAt
  }
}
"""
CASE_UPDATED = """
subscription($number: String!, $after: String) {
  caseUpdated(number: $number, after: $after) { cursor caseNumber divisionCode eventId action }
}
"""

WAIT = 10.0  # seconds a published fact may take to arrive: the relay ticks every second
QUIET = 2.0  # seconds of silence that show nothing more is coming
SETTLE = 0.5  # a subscription without `after` starts from the stream's end when it starts


@pytest.fixture(scope="module")
def live_database_url(database_url, tmp_path_factory) -> str:
    """The database the apps of these tests use.

    On SQLite, a copy of the session database of their own. The session's own app keeps
    background tasks (policy polling, outbox relay) on the test event loop, which stands
    still while a sync test runs: caught inside a transaction, one holds SQLite's write lock
    until the next async test, and every write here would wait for it. On PostgreSQL a
    stalled transaction blocks no one, and the session database is used.
    """
    if databases.on_postgres():
        return database_url
    target = tmp_path_factory.mktemp("live") / "live.db"
    with (
        contextlib.closing(sqlite3.connect(make_url(database_url).database)) as source,
        contextlib.closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)
    return f"sqlite:///{target}"


@pytest.fixture(scope="module")
async def homes(live_database_url) -> dict[str, dict]:
    """A published power of 市南区 and one of 市北区, looked up through the database."""
    database = Database(live_database_url)
    try:
        return {code: await find_power(database, division_code=code) for code in (SHINAN, SHIBEI)}
    finally:
        await database.dispose()


# --- talking to an app ---


def post_report(client: TestClient, token, events: list[dict]) -> None:
    response = client.post(
        "/graphql",
        json={"query": REPORT, "variables": {"events": events}},
        headers={"Authorization": f"Bearer {token(SYSTEM)}"},
    )
    payload = response.json()["data"]["reportCaseEvents"]
    assert payload["accepted"] == len(events), payload


@contextlib.contextmanager
def subscription(client: TestClient, bearer: str, query: str, variables: dict) -> Iterator:
    """A WebSocket with one subscription open on it, as the bearer's subject."""
    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        ws.send_json({"type": "connection_init", "payload": {"Authorization": f"Bearer {bearer}"}})
        assert receive(ws)["type"] == "connection_ack"
        ws.send_json(
            {"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}}
        )
        yield ws


def receive(ws, timeout: float = WAIT) -> dict:
    """The next protocol message, or TimeoutError after `timeout` seconds.

    WebSocketTestSession.receive() waits forever; this reads the same channel with a bound.
    """

    async def within() -> dict:
        with anyio.fail_after(timeout):
            return await ws._send_rx.receive()

    message = ws.portal.call(within)
    assert message["type"] == "websocket.send", message
    return json.loads(message["text"])


def next_event(ws, timeout: float = WAIT) -> dict:
    message = receive(ws, timeout)
    assert message["type"] == "next", message
    assert "errors" not in message["payload"], message["payload"]
    (event,) = message["payload"]["data"].values()
    return event


def events_until(ws, wanted: set[str], timeout: float = WAIT) -> list[dict]:
    """Every event received until each of the `wanted` event ids has come (bounded)."""
    deadline = time.monotonic() + timeout
    received: list[dict] = []
    while not wanted <= {e["eventId"] for e in received}:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"still waiting for {wanted}; received {received}")
        received.append(next_event(ws, left))
    return received


def assert_quiet(ws, seconds: float = QUIET) -> None:
    with pytest.raises(TimeoutError):
        message = receive(ws, seconds)
        raise AssertionError(f"nothing more was expected, got {message}")


def ids_of(events: list[dict], case: str) -> list[str]:
    return [e["eventId"] for e in events if e["caseNumber"] == case]


# --- in this process (no Redis) ---


@pytest.fixture
def live(live_database_url) -> Iterator[TestClient]:
    """An app whose live updates stay in this process, whatever YANGGUANG_REDIS_URL says."""
    settings = replace(make_settings(live_database_url), redis_url=None)
    with TestClient(create_app(settings)) as client:
        yield client


def test_a_subscriber_gets_each_fact_once_and_after_reconnecting_exactly_what_it_missed(
    live, token, homes
):
    home, number = homes[SHINAN], case_number("live")
    accept = fact(home, number, "ACCEPT", recent_past(hours=5))
    advance = fact(home, number, "ADVANCE", recent_past(hours=4), node="审查")
    suspend = fact(home, number, "SUSPEND", recent_past(hours=3), reason="专家评审")
    variables = {"code": SHINAN}

    with subscription(live, token(INSPECTOR), CASE_EVENTS, variables) as ws:
        time.sleep(SETTLE)
        post_report(live, token, [accept])
        received = events_until(ws, {accept["eventId"]})
    (first,) = [e for e in received if e["caseNumber"] == number]
    assert (first["eventId"], first["action"], first["state"]) == (
        accept["eventId"],
        "ACCEPT",
        "ACCEPTED",
    )
    assert first["divisionCode"] == SHINAN
    assert first["cursor"]

    # while disconnected
    post_report(live, token, [advance])
    post_report(live, token, [suspend])

    with subscription(
        live, token(INSPECTOR), CASE_EVENTS, {**variables, "after": first["cursor"]}
    ) as ws:
        missed = events_until(ws, {advance["eventId"], suspend["eventId"]})
        assert_quiet(ws)
    assert ids_of(missed, number) == [advance["eventId"], suspend["eventId"]]
    assert [e["state"] for e in missed if e["caseNumber"] == number] == [
        "IN_PROGRESS",
        "SUSPENDED",
    ]
    cursors = [first["cursor"], *(e["cursor"] for e in missed)]
    assert len(set(cursors)) == len(cursors)


def test_case_updated_receives_only_that_cases_facts(live, token, homes):
    home = homes[SHINAN]
    watched, other = case_number("watched"), case_number("other")
    other_accept = fact(home, other, "ACCEPT", recent_past(hours=5))
    watched_accept = fact(home, watched, "ACCEPT", recent_past(hours=5))
    other_advance = fact(home, other, "ADVANCE", recent_past(hours=4), node="审查")

    with subscription(live, token(INSPECTOR), CASE_UPDATED, {"number": watched}) as ws:
        time.sleep(SETTLE)
        post_report(live, token, [other_accept])
        post_report(live, token, [watched_accept])
        post_report(live, token, [other_advance])
        received = next_event(ws)
        assert_quiet(ws)

    assert (received["caseNumber"], received["eventId"]) == (watched, watched_accept["eventId"])


@pytest.mark.parametrize("subscriber", [INSPECTOR, ADMIN])
def test_a_subscriber_at_shinan_never_receives_a_fact_of_shibei(live, token, homes, subscriber):
    shibei, shinan = case_number("shibei"), case_number("shinan")
    shibei_accept = fact(homes[SHIBEI], shibei, "ACCEPT", recent_past(hours=5))
    shinan_accept = fact(homes[SHINAN], shinan, "ACCEPT", recent_past(hours=5))

    with subscription(live, token(subscriber), CASE_EVENTS, {"code": SHINAN}) as ws:
        time.sleep(SETTLE)
        post_report(live, token, [shibei_accept])
        post_report(live, token, [shinan_accept])
        received = events_until(ws, {shinan_accept["eventId"]})
        assert_quiet(ws)

    assert ids_of(received, shibei) == []
    assert all(e["divisionCode"].startswith("370202") for e in received), received


def test_an_inspector_may_not_follow_another_district(live, token):
    with subscription(live, token(INSPECTOR), CASE_EVENTS, {"code": SHIBEI}) as ws:
        message = receive(ws)

    assert message["type"] == "error", message
    assert message["payload"][0]["extensions"]["code"] == "FORBIDDEN"


# --- Redis, two API processes ---


@pytest.mark.skipif(
    not (os.environ.get("YANGGUANG_REDIS_URL") and databases.on_postgres()),
    reason="needs Redis and PostgreSQL; CI runs it",
)
def test_a_subscriber_of_another_process_reconnects_and_misses_nothing(database_url, token, homes):
    settings = make_settings(database_url)  # one Redis prefix, shared by both processes
    home, number = homes[SHINAN], case_number("redis")
    accept = fact(home, number, "ACCEPT", recent_past(hours=5))
    advance = fact(home, number, "ADVANCE", recent_past(hours=4), node="审查")
    approve = fact(home, number, "APPROVE", recent_past(hours=3))

    with TestClient(create_app(settings)) as a, TestClient(create_app(settings)) as b:
        with subscription(b, token(INSPECTOR), CASE_EVENTS, {"code": SHINAN}) as ws:
            time.sleep(SETTLE)
            post_report(a, token, [accept])
            received = events_until(ws, {accept["eventId"]})
        (first,) = [e for e in received if e["caseNumber"] == number]
        assert re.fullmatch(r"\d+-\d+", first["cursor"]), first["cursor"]

        post_report(a, token, [advance])
        post_report(a, token, [approve])

        after = {"code": SHINAN, "after": first["cursor"]}
        with subscription(b, token(INSPECTOR), CASE_EVENTS, after) as ws:
            missed = events_until(ws, {advance["eventId"], approve["eventId"]})
            assert_quiet(ws)

    assert sorted(ids_of(missed, number)) == sorted([advance["eventId"], approve["eventId"]])
    assert accept["eventId"] not in {e["eventId"] for e in missed}
