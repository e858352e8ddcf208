"""GraphQL over WebSocket (graphql-transport-ws): the token travels in connection_init.

Sync tests: TestClient runs a fresh app, lifespan included, on its own event loop.
"""

import json
import time
from dataclasses import replace
from unittest.mock import ANY

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from api.app import create_app
from api.auth import issue_dev_token

PROTOCOL = "graphql-transport-ws"
ME = "{ me { subject kind anonymous } }"
DIVISION = """query($code: String!) { division(code: $code) { name children { code } } }"""
OFFICERS = (
    """{ officers(first: 100) { totalCount nodes { department { name } posts { name } } } }"""
)

# (code, name, number of children) of districts, for operations that each read the database.
DISTRICTS = [
    ("370202000000", "市南区", 11),
    ("370203000000", "市北区", 22),
    ("370211000000", "黄岛区", 22),
]


@pytest.fixture
def app(settings):
    """A new app: TestClient starts its services on the client's own event loop."""
    return create_app(settings)


@pytest.fixture
def ws_client(app):
    with TestClient(app) as client:
        yield client


def connect(client: TestClient):
    return client.websocket_connect("/graphql", subprotocols=[PROTOCOL])


def init(ws, payload: dict) -> None:
    ws.send_json({"type": "connection_init", "payload": payload})


def subscribe(ws, id_: str, query: str, variables: dict | None = None) -> None:
    payload = {"query": query, "variables": variables or {}}
    ws.send_json({"id": id_, "type": "subscribe", "payload": payload})


def receive(ws, *, text_frames_only: bool = True) -> dict:
    """The next protocol message; the socket's close is raised as WebSocketDisconnect.

    graphql-transport-ws messages are JSON sent as text frames (the server itself
    closes with 4400 on a binary one). Tests about something else pass
    text_frames_only=False so they pin their own behaviour, not the framing.
    """
    message = ws.receive()
    if message["type"] == "websocket.close":
        raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))
    if text_frames_only:
        assert message.get("text") is not None, f"a binary frame, not a text one: {message!r}"
    return json.loads(message.get("text") or message["bytes"])


def assert_ack(message: dict) -> None:
    # The protocol makes the payload optional; strawberry sends null when there is none.
    assert message["type"] == "connection_ack", message
    assert message.get("payload") is None


def open_as(ws, bearer: str | None, *, text_frames_only: bool = True) -> None:
    init(ws, {"Authorization": f"Bearer {bearer}"} if bearer else {})
    assert_ack(receive(ws, text_frames_only=text_frames_only))


def test_a_query_over_websocket_runs_as_the_subject_of_the_init_token(ws_client, token):
    with connect(ws_client) as ws:
        assert ws.accepted_subprotocol == PROTOCOL
        open_as(ws, token("demo-inspector"))

        subscribe(ws, "1", ME)

        assert receive(ws) == {
            "id": "1",
            "type": "next",
            "payload": {
                "data": {"me": {"subject": "demo-inspector", "kind": "PERSON", "anonymous": False}},
                "extensions": {"cost": ANY},
            },
        }
        assert receive(ws) == {"id": "1", "type": "complete"}


def test_a_connection_without_a_token_is_anonymous(ws_client):
    with connect(ws_client) as ws:
        open_as(ws, None)

        subscribe(ws, "1", ME)

        assert receive(ws)["payload"] == {
            "data": {"me": {"subject": None, "kind": "ANONYMOUS", "anonymous": True}},
            "extensions": {"cost": ANY},
        }
        assert receive(ws) == {"id": "1", "type": "complete"}


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer not-a-token",
        "Token abc",  # not the Bearer scheme
    ],
)
def test_a_bad_token_in_connection_init_closes_the_socket_with_4403(ws_client, authorization):
    with connect(ws_client) as ws:
        init(ws, {"Authorization": authorization})

        with pytest.raises(WebSocketDisconnect) as closed:
            receive(ws)

    # strawberry closes every rejected connection_init with 4403 "Forbidden"; the
    # app's reason (malformed, bad_signature, ...) is not sent over this protocol.
    assert closed.value.code == 4403
    assert closed.value.reason == "Forbidden"


def test_a_token_signed_with_another_secret_closes_the_socket_with_4403(ws_client, settings):
    forged = issue_dev_token(
        replace(settings, jwt_secret="another-secret-" + "y" * 40), subject="demo-admin"
    )
    with connect(ws_client) as ws:
        init(ws, {"Authorization": f"Bearer {forged}"})

        with pytest.raises(WebSocketDisconnect) as closed:
            receive(ws)

    assert closed.value.code == 4403


def test_subscribing_before_connection_init_closes_the_socket_with_4401(ws_client):
    with connect(ws_client) as ws:
        subscribe(ws, "1", ME)

        with pytest.raises(WebSocketDisconnect) as closed:
            receive(ws)

    assert closed.value.code == 4401


def test_operations_one_after_another_on_one_connection_each_answer(ws_client, token):
    with connect(ws_client) as ws:
        open_as(ws, token("demo-inspector"), text_frames_only=False)

        for id_, (code, name, children) in enumerate(DISTRICTS):
            subscribe(ws, str(id_), DIVISION, {"code": code})
            message = receive(ws, text_frames_only=False)
            assert message["type"] == "next", message
            assert "errors" not in message["payload"], message["payload"]
            division = message["payload"]["data"]["division"]
            assert division["name"] == name
            assert len(division["children"]) == children
            assert receive(ws, text_frames_only=False) == {"id": str(id_), "type": "complete"}


def test_concurrent_operations_on_one_connection_each_answer(ws_client, token):
    with connect(ws_client) as ws:
        open_as(ws, token("demo-inspector"), text_frames_only=False)

        for id_ in "1234":
            subscribe(ws, id_, OFFICERS)
        messages = [receive(ws, text_frames_only=False) for _ in range(8)]

    nexts = {m["id"]: m["payload"] for m in messages if m["type"] == "next"}
    assert sorted(nexts) == ["1", "2", "3", "4"]
    for payload in nexts.values():
        assert "errors" not in payload, payload["errors"]
        assert payload["data"]["officers"]["totalCount"] == 468
    assert sorted(m["id"] for m in messages if m["type"] == "complete") == ["1", "2", "3", "4"]


def test_a_connection_gives_its_database_connections_back(app, ws_client, token):
    pool = app.state.services.database.engine.pool
    with connect(ws_client) as ws:
        open_as(ws, token("demo-inspector"), text_frames_only=False)
        for id_, (code, _, _) in enumerate(DISTRICTS):
            subscribe(ws, str(id_), DIVISION, {"code": code})
            assert receive(ws, text_frames_only=False)["type"] == "next"
            assert receive(ws, text_frames_only=False)["type"] == "complete"
            # Every operation ends by giving the database connection back.
            assert pool.checkedout() == 0, f"after operation {id_}"

    deadline = time.monotonic() + 2
    while pool.checkedout() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pool.checkedout() == 0
