"""grantRole / revokeRole: admins hand out roles within their subtree, at once in force."""

from uuid import uuid4

GRANT_ROLE = """
mutation($input: GrantRoleInput!) {
  grantRole(input: $input) {
    __typename
    ... on GrantRolePayload { grant { subject role divisionCode division { name } } }
    ... on UserError { code message field }
  }
}
"""

REVOKE_ROLE = """
mutation($subject: String!, $role: Role!, $divisionCode: String!) {
  revokeRole(subject: $subject, role: $role, divisionCode: $divisionCode) {
    __typename
    ... on RevokeRolePayload { subject role divisionCode }
    ... on UserError { code message field }
  }
}
"""

ME = """{ me { subject grants { role divisionCode division { name } } } }"""

OFFICERS = """
query($divisionCode: String) {
  officers(divisionCode: $divisionCode, first: 100) { totalCount nodes { divisionCode } }
}
"""

ADMIN = "demo-admin"  # admin at the city 370200000000
INSPECTOR = "demo-inspector"  # inspector at 市南区 370202000000
SHIBEI = "370203000000"  # 市北区
# 市北区: 24 offices × 3 + 22 towns × (6 × 2 + 8 villages × 3 × 1) officers.
SHIBEI_OFFICERS = 72 + 22 * 36


def new_subject() -> str:
    return f"t-{uuid4().hex[:8]}"


async def grant(gql, as_, subject, role="INSPECTOR", division_code=SHIBEI) -> dict:
    body = await gql(
        GRANT_ROLE,
        {"input": {"subject": subject, "role": role, "divisionCode": division_code}},
        as_=as_,
    )
    assert "errors" not in body, body["errors"]
    return body["data"]["grantRole"]


async def revoke(gql, as_, subject, role="INSPECTOR", division_code=SHIBEI) -> dict:
    body = await gql(
        REVOKE_ROLE,
        {"subject": subject, "role": role, "divisionCode": division_code},
        as_=as_,
    )
    assert "errors" not in body, body["errors"]
    return body["data"]["revokeRole"]


async def grants_of(gql, subject) -> list[dict]:
    body = await gql(ME, as_=subject)
    assert body["data"]["me"]["subject"] == subject
    return body["data"]["me"]["grants"]


async def test_an_admin_grants_a_new_subject_a_role(gql):
    subject = new_subject()

    result = await grant(gql, ADMIN, subject)

    assert result == {
        "__typename": "GrantRolePayload",
        "grant": {
            "subject": subject,
            "role": "INSPECTOR",
            "divisionCode": SHIBEI,
            "division": {"name": "市北区"},
        },
    }


async def test_a_grant_is_in_force_at_once(gql):
    subject = new_subject()
    before = await gql(OFFICERS, {"divisionCode": SHIBEI}, as_=subject)
    assert before["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    await grant(gql, ADMIN, subject)

    assert await grants_of(gql, subject) == [
        {"role": "INSPECTOR", "divisionCode": SHIBEI, "division": {"name": "市北区"}}
    ]
    body = await gql(OFFICERS, {"divisionCode": SHIBEI}, as_=subject)
    assert "errors" not in body
    assert body["data"]["officers"]["totalCount"] == SHIBEI_OFFICERS
    assert all(n["divisionCode"].startswith("370203") for n in body["data"]["officers"]["nodes"])
    # Without a division the new scope applies too: 市北区 and nothing else.
    everything = await gql(OFFICERS, as_=subject)
    assert everything["data"]["officers"]["totalCount"] == SHIBEI_OFFICERS


async def test_a_non_admin_may_not_grant(gql):
    subject = new_subject()

    result = await grant(gql, INSPECTOR, subject, division_code="370202001000")

    assert result["__typename"] == "NotPermitted"
    assert result["code"] == "NOT_PERMITTED"
    assert await grants_of(gql, subject) == []


async def test_an_anonymous_caller_may_not_grant(gql):
    subject = new_subject()

    result = await grant(gql, None, subject)

    assert result["__typename"] == "NotPermitted"
    assert result["code"] == "NOT_PERMITTED"
    assert await grants_of(gql, subject) == []


async def test_granting_at_a_valid_code_no_division_has_answers_unknown_division(gql):
    subject = new_subject()

    result = await grant(gql, ADMIN, subject, division_code="370299000000")

    assert result["__typename"] == "UnknownDivision"
    assert result["code"] == "UNKNOWN_DIVISION"
    assert result["field"] == "divisionCode"
    assert await grants_of(gql, subject) == []


async def test_granting_at_an_invalid_code_answers_invalid_input(gql):
    subject = new_subject()

    result = await grant(gql, ADMIN, subject, division_code="37020300000X")

    assert result["__typename"] == "InvalidInput"
    assert result["code"] == "INVALID_DIVISION_CODE"
    # The field is named as the schema names it, as UnknownDivision does.
    assert result["field"] == "divisionCode"
    assert await grants_of(gql, subject) == []


async def test_the_public_role_is_never_granted(gql):
    subject = new_subject()

    result = await grant(gql, ADMIN, subject, role="PUBLIC")

    assert result["__typename"] == "InvalidInput"
    assert result["code"] == "UNKNOWN_ROLE"
    assert result["field"] == "role"
    assert await grants_of(gql, subject) == []


async def test_a_blank_subject_answers_invalid_input(gql):
    result = await grant(gql, ADMIN, "   ")

    assert result["__typename"] == "InvalidInput"
    assert result["code"] == "INVALID_SUBJECT"
    assert result["field"] == "subject"


async def test_granting_twice_is_idempotent(gql):
    subject = new_subject()

    first = await grant(gql, ADMIN, subject)
    second = await grant(gql, ADMIN, subject)

    assert first["__typename"] == second["__typename"] == "GrantRolePayload"
    assert second == first
    assert await grants_of(gql, subject) == [
        {"role": "INSPECTOR", "divisionCode": SHIBEI, "division": {"name": "市北区"}}
    ]


async def test_revoking_a_grant_takes_the_access_away_at_once(gql):
    subject = new_subject()
    await grant(gql, ADMIN, subject)
    assert "errors" not in await gql(OFFICERS, {"divisionCode": SHIBEI}, as_=subject)

    result = await revoke(gql, ADMIN, subject)

    assert result == {
        "__typename": "RevokeRolePayload",
        "subject": subject,
        "role": "INSPECTOR",
        "divisionCode": SHIBEI,
    }
    assert await grants_of(gql, subject) == []
    body = await gql(OFFICERS, {"divisionCode": SHIBEI}, as_=subject)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["data"] is None


async def test_revoking_a_grant_nobody_holds_answers_not_found(gql):
    subject = new_subject()

    result = await revoke(gql, ADMIN, subject)

    assert result["__typename"] == "NotFound"
    assert result["code"] == "GRANT_NOT_FOUND"


async def test_revoking_only_one_role_keeps_the_others(gql):
    subject = new_subject()
    await grant(gql, ADMIN, subject, role="OFFICER", division_code="370203005000")
    await grant(gql, ADMIN, subject)

    await revoke(gql, ADMIN, subject)

    assert await grants_of(gql, subject) == [
        {"role": "OFFICER", "divisionCode": "370203005000", "division": {"name": "辽宁路街道"}}
    ]


async def test_a_non_admin_may_not_revoke(gql):
    subject = new_subject()
    await grant(gql, ADMIN, subject, division_code="370202001000")

    result = await revoke(gql, INSPECTOR, subject, division_code="370202001000")

    assert result["__typename"] == "NotPermitted"
    assert result["code"] == "NOT_PERMITTED"
    assert len(await grants_of(gql, subject)) == 1


async def test_revoking_at_an_invalid_code_answers_invalid_input(gql):
    result = await revoke(gql, ADMIN, new_subject(), division_code="12345")

    assert result["__typename"] == "InvalidInput"
    assert result["code"] == "INVALID_DIVISION_CODE"
    # The argument is named as the schema names it.
    assert result["field"] == "divisionCode"


async def post(client, query: str, variables: dict, bearer: str) -> dict:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {bearer}"},
    )
    return response.json()


async def test_a_district_admin_grants_only_inside_their_district(gql, client, token):
    district_admin = new_subject()
    made = await grant(gql, ADMIN, district_admin, role="ADMIN", division_code="370202000000")
    assert made["__typename"] == "GrantRolePayload"
    bearer = token(district_admin)
    grantee = new_subject()

    def grant_input(division_code: str) -> dict:
        return {"input": {"subject": grantee, "role": "OFFICER", "divisionCode": division_code}}

    sibling = await post(client, GRANT_ROLE, grant_input(SHIBEI), bearer)
    above = await post(client, GRANT_ROLE, grant_input("370200000000"), bearer)
    inside = await post(client, GRANT_ROLE, grant_input("370202001000"), bearer)

    assert sibling["data"]["grantRole"]["__typename"] == "NotPermitted"
    assert sibling["data"]["grantRole"]["code"] == "NOT_PERMITTED"
    assert above["data"]["grantRole"]["code"] == "NOT_PERMITTED"
    assert inside["data"]["grantRole"] == {
        "__typename": "GrantRolePayload",
        "grant": {
            "subject": grantee,
            "role": "OFFICER",
            "divisionCode": "370202001000",
            "division": {"name": "香港中路街道"},
        },
    }
    assert await grants_of(gql, grantee) == [
        {"role": "OFFICER", "divisionCode": "370202001000", "division": {"name": "香港中路街道"}}
    ]
