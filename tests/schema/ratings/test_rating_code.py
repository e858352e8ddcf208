"""ratingCode: the business system asks for the code of a case of its part of the tree."""

from tests.schema.ratings.support import SYSTEM, decided

RATING_CODE = "query($n: String!) { ratingCode(caseNumber: $n) }"
PLATFORM = "demo-huangdao-platform"  # reports for 黄岛区 only


async def test_the_code_is_the_one_the_decision_answered(gql, event, case_number):
    code = await decided(gql, event, case_number)

    body = await gql(RATING_CODE, {"n": case_number}, as_=SYSTEM)

    assert body["data"]["ratingCode"] == code


async def test_a_case_outside_the_reporters_part_of_the_tree_has_no_code(gql, event, case_number):
    await decided(gql, event, case_number)  # a case of 市南区

    body = await gql(RATING_CODE, {"n": case_number}, as_=PLATFORM)

    assert "errors" not in body
    assert body["data"] == {"ratingCode": None}


async def test_the_public_does_not_get_codes(gql, event, case_number):
    await decided(gql, event, case_number)

    body = await gql(RATING_CODE, {"n": case_number})

    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
