"""registerWebhook, deactivateWebhook and webhooks: supervisors manage their subtree's endpoints."""

import uuid

from tests.supervision.notify.support import SHIBEI, SHINAN

REGISTER = """
mutation($divisionCode: String!, $url: String!, $topics: [String!]!) {
  registerWebhook(divisionCode: $divisionCode, url: $url, topics: $topics) {
    __typename
    ... on RegisterWebhookPayload { secret webhook { id divisionCode url topics active createdBy } }
    ... on UserError { code message field }
  }
}
"""
DEACTIVATE = """
mutation($id: Int!) {
  deactivateWebhook(id: $id) {
    __typename
    ... on DeactivateWebhookPayload { webhook { id active } }
    ... on UserError { code field }
  }
}
"""
WEBHOOKS = """
query($divisionCode: String!) { webhooks(divisionCode: $divisionCode) { id url topics active } }
"""
WEBHOOK_SECRETS = """
query($divisionCode: String!) { webhooks(divisionCode: $divisionCode) { id secret } }
"""
SUPERVISOR = "demo-supervisor"  # supervisor at the city


def _url(name: str = "hook") -> str:
    return f"https://{name}-{uuid.uuid4().hex[:6]}.example/yangguang"


async def _register(gql, url: str, division: str = SHINAN, as_: str = SUPERVISOR) -> dict:
    body = await gql(
        REGISTER, {"divisionCode": division, "url": url, "topics": ["warning.raised"]}, as_=as_
    )
    return body["data"]["registerWebhook"]


async def test_a_supervisor_registers_a_webhook_and_gets_its_secret_once(gql):
    url = _url()
    result = await _register(gql, url)
    assert result["__typename"] == "RegisterWebhookPayload"
    assert result["secret"].startswith("ygwh_") and len(result["secret"]) > 40
    webhook = result["webhook"]
    assert webhook | {"id": 0} == {
        "id": 0,
        "divisionCode": SHINAN,
        "url": url,
        "topics": ["warning.raised"],
        "active": True,
        "createdBy": SUPERVISOR,
    }
    listed = await gql(WEBHOOKS, {"divisionCode": SHINAN}, as_=SUPERVISOR)
    assert {"id": webhook["id"], "url": url, "topics": ["warning.raised"], "active": True} in (
        listed["data"]["webhooks"]
    )
    await gql(DEACTIVATE, {"id": webhook["id"]}, as_=SUPERVISOR)


async def test_secrets_are_never_listed(gql):
    body = await gql(WEBHOOK_SECRETS, {"divisionCode": SHINAN}, as_=SUPERVISOR)
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_the_list_holds_only_the_divisions_subtree(gql):
    shibei = (await _register(gql, _url("shibei"), division=SHIBEI))["webhook"]
    listed = await gql(WEBHOOKS, {"divisionCode": SHINAN}, as_=SUPERVISOR)
    assert shibei["id"] not in {w["id"] for w in listed["data"]["webhooks"]}
    await gql(DEACTIVATE, {"id": shibei["id"]}, as_=SUPERVISOR)


async def test_an_inspector_may_not_register_a_webhook(gql):
    result = await _register(gql, _url(), as_="demo-inspector")
    assert (result["__typename"], result["code"]) == ("NotPermitted", "NOT_PERMITTED")


async def test_an_inspector_may_not_list_webhooks(gql):
    body = await gql(WEBHOOKS, {"divisionCode": SHINAN}, as_="demo-inspector")
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_url_that_is_not_http_is_refused(gql):
    result = await _register(gql, "ftp://files.example/hook")
    assert (result["__typename"], result["code"], result["field"]) == (
        "InvalidUrl",
        "INVALID_URL",
        "url",
    )


async def test_a_url_with_credentials_is_refused(gql):
    result = await _register(gql, "https://user:secret@hooks.example/yg")
    assert (result["__typename"], result["code"]) == ("InvalidUrl", "INVALID_URL")


async def test_an_unknown_topic_is_refused(gql):
    body = await gql(
        REGISTER,
        {"divisionCode": SHINAN, "url": _url(), "topics": ["warning.raised", "case.sold"]},
        as_=SUPERVISOR,
    )
    result = body["data"]["registerWebhook"]
    assert (result["__typename"], result["code"]) == ("InvalidTopic", "INVALID_TOPIC")


async def test_no_topic_is_refused(gql):
    body = await gql(
        REGISTER, {"divisionCode": SHINAN, "url": _url(), "topics": []}, as_=SUPERVISOR
    )
    assert body["data"]["registerWebhook"]["code"] == "INVALID_TOPIC"


async def test_an_unknown_division_is_refused(gql):
    result = await _register(gql, _url(), division="370299000000")
    assert (result["__typename"], result["code"]) == ("UnknownDivision", "UNKNOWN_DIVISION")


async def test_a_webhook_is_deactivated(gql):
    webhook = (await _register(gql, _url()))["webhook"]
    body = await gql(DEACTIVATE, {"id": webhook["id"]}, as_=SUPERVISOR)
    assert body["data"]["deactivateWebhook"] == {
        "__typename": "DeactivateWebhookPayload",
        "webhook": {"id": webhook["id"], "active": False},
    }


async def test_deactivating_an_unknown_webhook_is_not_found(gql):
    body = await gql(DEACTIVATE, {"id": 2_000_000_000}, as_=SUPERVISOR)
    assert body["data"]["deactivateWebhook"] == {
        "__typename": "NotFound",
        "code": "NOT_FOUND",
        "field": "id",
    }


async def test_an_inspector_may_not_deactivate_a_webhook(gql):
    webhook = (await _register(gql, _url()))["webhook"]
    body = await gql(DEACTIVATE, {"id": webhook["id"]}, as_="demo-inspector")
    assert body["data"]["deactivateWebhook"]["__typename"] == "NotPermitted"
    await gql(DEACTIVATE, {"id": webhook["id"]}, as_=SUPERVISOR)
