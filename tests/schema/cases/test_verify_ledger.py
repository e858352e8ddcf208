"""verifyLedger: anyone allowed to verify a district's chains gets ok or the first broken link."""

from tests.schema.cases.support import (
    INSPECTOR,
    SHIBEI,
    SHINAN,
    case_number,
    data,
    error_code,
    fact,
    recent_past,
    report,
)

VERIFY = """
query($code: String!) {
  verifyLedger(divisionCode: $code) { ok checked chain seq eventId reason }
}
"""


async def test_an_inspector_verifies_the_ledger_of_their_district(gql, licensing_power):
    number = case_number("verify")
    await report(
        gql,
        [
            fact(licensing_power, number, "ACCEPT", recent_past(hours=5)),
            fact(licensing_power, number, "ADVANCE", recent_past(hours=4), node="审查"),
        ],
    )

    answer = data(await gql(VERIFY, {"code": SHINAN}, as_=INSPECTOR))["verifyLedger"]

    assert answer["ok"] is True
    assert answer["checked"] >= 2
    assert (answer["chain"], answer["seq"], answer["eventId"], answer["reason"]) == (None,) * 4


async def test_an_inspector_may_not_verify_another_districts_ledger(gql):
    body = await gql(VERIFY, {"code": SHIBEI}, as_=INSPECTOR)

    assert error_code(body) == "FORBIDDEN"


async def test_verifying_the_ledger_anonymously_asks_to_sign_in(gql):
    body = await gql(VERIFY, {"code": SHINAN})

    assert error_code(body) == "UNAUTHENTICATED"
    assert body["data"] is None
