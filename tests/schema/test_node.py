"""Relay `node(id)`: global IDs taken from queries resolve back to their objects."""

import base64
from unittest.mock import ANY

import pytest

DIVISION_WITH_DEPARTMENTS = """
query($code: String!) {
  division(code: $code) { id code name departments { id code name kind divisionCode } }
}
"""

NODE = """
query($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on Division { code name tier }
    ... on Department { code name kind divisionCode division { code } }
  }
}
"""


def global_id(type_name: str, key: str) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


async def test_a_division_id_resolves_back_to_the_division(gql):
    division = (await gql(DIVISION_WITH_DEPARTMENTS, {"code": "370202000000"}))["data"]["division"]

    body = await gql(NODE, {"id": division["id"]})

    assert body == {
        "data": {
            "node": {
                "__typename": "Division",
                "id": division["id"],
                "code": "370202000000",
                "name": "市南区",
                "tier": "DISTRICT",
            }
        },
        "extensions": {"cost": ANY},
    }


async def test_a_department_id_resolves_back_to_the_department(gql):
    division = (await gql(DIVISION_WITH_DEPARTMENTS, {"code": "370202001000"}))["data"]["division"]
    department = next(d for d in division["departments"] if d["kind"] == "town_enforcement")

    body = await gql(NODE, {"id": department["id"]})

    assert body == {
        "data": {
            "node": {
                "__typename": "Department",
                "id": department["id"],
                "code": department["code"],
                "name": "香港中路街道综合行政执法中队",
                "kind": "town_enforcement",
                "divisionCode": "370202001000",
                "division": {"code": "370202001000"},
            }
        },
        "extensions": {"cost": ANY},
    }


async def test_division_and_department_ids_differ_and_name_their_type(gql):
    division = (await gql(DIVISION_WITH_DEPARTMENTS, {"code": "370202000000"}))["data"]["division"]
    ids = [division["id"], *(d["id"] for d in division["departments"])]

    assert len(set(ids)) == len(ids) == 25
    assert base64.b64decode(division["id"]).decode() == "Division:370202000000"
    assert {base64.b64decode(i).decode().split(":")[0] for i in ids[1:]} == {"Department"}


async def test_anonymous_callers_may_resolve_public_nodes(gql):
    body = await gql(NODE, {"id": global_id("Division", "370200000000")})

    assert body["data"]["node"]["name"] == "青岛市"


@pytest.mark.parametrize(
    "garbage",
    [
        "garbage",
        "",
        "!!!!",
        base64.b64encode(b"no separator").decode(),
    ],
)
async def test_an_id_that_is_not_a_global_id_is_an_invalid_id_error(gql, garbage):
    body = await gql(NODE, {"id": garbage})

    assert body["errors"][0]["extensions"]["code"] == "INVALID_ID"
    assert body["data"] == {"node": None}


@pytest.mark.parametrize(
    ("type_name", "key"),
    [
        ("Officer", "1"),  # a type that is not a Node
        ("Nothing", "370202000000"),
        ("Division", "370299000000"),  # a valid code no division has
        ("Division", "12345"),
        ("Department", "99999999"),
        ("Department", "not-a-number"),
    ],
)
async def test_a_well_formed_id_of_an_unknown_type_or_key_answers_null(gql, type_name, key):
    body = await gql(NODE, {"id": global_id(type_name, key)})

    assert body == {"data": {"node": None}, "extensions": {"cost": ANY}}
