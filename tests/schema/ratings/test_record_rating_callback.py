"""recordRatingCallback: 回访 of a 差评 by the department, which closes its rectification."""

from datetime import UTC, datetime

from tests.schema.ratings.support import (
    INSPECTOR,
    SHIBEI,
    SUPERVISOR,
    bad_rating,
    decided,
    granted,
    rate,
    rating_of,
)

CALLBACK = """
mutation($id: Int!, $note: String!) {
  recordRatingCallback(id: $id, note: $note) {
    __typename
    ... on RatingCallbackPayload {
      rating { caseNumber rectificationStatus callbackAt callbackBy callbackNote }
    }
    ... on RectificationNotOpen { code status }
    ... on UserError { code message field }
  }
}
"""


async def call_back(
    gql, rating_id: int, as_: str, note: str = "已电话回访，申请人认可整改"
) -> dict:
    body = await gql(CALLBACK, {"id": rating_id, "note": note}, as_=as_)
    assert "errors" not in body, body
    return body["data"]["recordRatingCallback"]


async def test_a_department_head_records_the_callback_which_closes_the_rectification(
    gql, event, case_number
):
    rating_id = await bad_rating(gql, event, case_number)
    head = await granted(gql, "DEPARTMENT_HEAD")
    before = datetime.now(UTC)

    result = await call_back(gql, rating_id, head)

    assert result["__typename"] == "RatingCallbackPayload", result
    rating = result["rating"]
    assert (rating["rectificationStatus"], rating["callbackBy"], rating["callbackNote"]) == (
        "CALLED_BACK",
        head,
        "已电话回访，申请人认可整改",
    )
    assert before <= datetime.fromisoformat(rating["callbackAt"]) <= datetime.now(UTC)
    assert (await rating_of(gql, case_number))["rectificationStatus"] == "CALLED_BACK"


async def test_a_supervisor_of_the_city_may_call_back(gql, event, case_number):
    rating_id = await bad_rating(gql, event, case_number)

    result = await call_back(gql, rating_id, SUPERVISOR)

    assert result["rating"]["callbackBy"] == SUPERVISOR


async def test_a_department_head_of_another_district_does_not_find_the_rating(
    gql, event, case_number
):
    rating_id = await bad_rating(gql, event, case_number)
    head = await granted(gql, "DEPARTMENT_HEAD", SHIBEI)

    result = await call_back(gql, rating_id, head)

    assert (result["__typename"], result["code"]) == ("NotFound", "RATING_NOT_FOUND")
    assert (await rating_of(gql, case_number))["rectificationStatus"] == "OPEN"


async def test_an_inspector_may_not_call_back(gql, event, case_number):
    rating_id = await bad_rating(gql, event, case_number)

    result = await call_back(gql, rating_id, INSPECTOR)

    assert (result["__typename"], result["code"]) == ("NotPermitted", "NOT_PERMITTED")


async def test_a_good_rating_has_nothing_to_call_back(gql, event, case_number):
    code = await decided(gql, event, case_number)
    await rate(gql, case_number, code, "SATISFIED")
    rating_id = (await rating_of(gql, case_number))["id"]

    result = await call_back(gql, rating_id, SUPERVISOR)

    assert (result["__typename"], result["code"], result["status"]) == (
        "RectificationNotOpen",
        "RECTIFICATION_NOT_OPEN",
        None,
    )


async def test_a_second_callback_is_refused(gql, event, case_number):
    rating_id = await bad_rating(gql, event, case_number)
    await call_back(gql, rating_id, SUPERVISOR)

    result = await call_back(gql, rating_id, SUPERVISOR)

    assert (result["code"], result["status"]) == ("RECTIFICATION_NOT_OPEN", "CALLED_BACK")


async def test_a_callback_says_what_was_found(gql, event, case_number):
    rating_id = await bad_rating(gql, event, case_number)

    result = await call_back(gql, rating_id, SUPERVISOR, note="  ")

    assert (result["code"], result["field"]) == ("NOTE_REQUIRED", "note")
