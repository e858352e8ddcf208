"""rateCase: an anonymous applicant rates a decided case with the code that came with it."""

from datetime import datetime

from supervision.cases.clock import WorkCalendar
from supervision.ratings.service import rectification_due
from tests.schema.ratings.support import BAD, RATE, decided, rate, rating_of

NOT_A_CASE = "370202-2099-999999"


async def test_the_code_from_the_decision_report_rates_the_case_anonymously(
    gql, event, case_number
):
    code = await decided(gql, event, case_number)

    result = await rate(
        gql,
        case_number,
        code,
        "VERY_SATISFIED",
        dimensions=[
            {"dimension": "ATTITUDE", "level": "VERY_SATISFIED"},
            {"dimension": "EFFICIENCY", "level": "SATISFIED"},
        ],
        comment="窗口人员耐心细致",
    )

    assert result["__typename"] == "RatingPayload", result
    assert (result["caseNumber"], result["level"], result["score"]) == (
        case_number,
        "VERY_SATISFIED",
        5,
    )
    assert result["dimensions"] == [
        {"dimension": "EFFICIENCY", "level": "SATISFIED"},
        {"dimension": "ATTITUDE", "level": "VERY_SATISFIED"},
    ]
    assert result["rectificationDueAt"] is None


async def test_the_code_may_be_typed_in_lower_case_without_the_dash(gql, event, case_number):
    code = await decided(gql, event, case_number, action="REJECT")

    result = await rate(gql, case_number, code.replace("-", "").lower(), "SATISFIED")

    assert (result["__typename"], result["score"]) == ("RatingPayload", 4)


async def test_a_wrong_code_and_an_unknown_case_get_the_same_answer(gql, event, case_number):
    code = await decided(gql, event, case_number)
    wrong = code[:-1] + ("2" if code[-1] != "2" else "3")

    answers = [
        await rate(gql, case_number, wrong),
        await rate(gql, NOT_A_CASE, code),
        await rate(gql, NOT_A_CASE, wrong),
        await rate(gql, case_number, "not a code"),
    ]

    assert answers == [answers[0]] * 4
    assert (answers[0]["__typename"], answers[0]["code"], answers[0]["field"]) == (
        "InvalidRatingCode",
        "INVALID_RATING_CODE",
        "ratingCode",
    )


async def test_an_undecided_case_is_not_rated_yet(gql, event, case_number):
    code = await decided(gql, event, case_number)  # the code of the case, known in advance
    accepted_only = case_number + "-open"
    events = [event(accepted_only, "ACCEPT", datetime.now().astimezone(), officer="王伟")]
    await gql(
        "mutation($e: [CaseEventInput!]!) { reportCaseEvents(events: $e) { __typename } }",
        {"e": events},
        as_="demo-approval-system",
    )
    body = await gql(
        "query($n: String!) { ratingCode(caseNumber: $n) }",
        {"n": accepted_only},
        as_="demo-approval-system",
    )
    open_code = body["data"]["ratingCode"]
    assert open_code and open_code != code

    result = await rate(gql, accepted_only, open_code)

    assert (result["__typename"], result["code"]) == ("NotDecided", "NOT_DECIDED")


async def test_a_second_rating_is_refused_and_the_first_stands(gql, event, case_number):
    code = await decided(gql, event, case_number)
    assert (await rate(gql, case_number, code, "SATISFIED"))["__typename"] == "RatingPayload"

    result = await rate(gql, case_number, code, "VERY_DISSATISFIED", **BAD)

    assert (result["__typename"], result["code"]) == ("AlreadyRated", "ALREADY_RATED")
    assert (await rating_of(gql, case_number))["level"] == "SATISFIED"


async def test_very_dissatisfied_opens_a_rectification_due_in_15_working_days(
    gql, event, case_number
):
    code = await decided(gql, event, case_number)

    result = await rate(gql, case_number, code, "VERY_DISSATISFIED", **BAD)

    assert result["__typename"] == "RatingPayload", result
    rated = datetime.fromisoformat(result["ratedAt"])
    due = datetime.fromisoformat(result["rectificationDueAt"])
    assert due == rectification_due(rated, WorkCalendar())
    seen = await rating_of(gql, case_number)
    assert (seen["rectificationStatus"], seen["rectificationOverdue"]) == ("OPEN", False)


async def test_a_bad_rating_says_what_was_wrong(gql, event, case_number):
    code = await decided(gql, event, case_number)

    result = await rate(gql, case_number, code, "DISSATISFIED")

    assert (result["__typename"], result["code"], result["field"]) == (
        "InvalidInput",
        "DIMENSION_REQUIRED",
        "dimensions",
    )


async def test_a_dimension_is_rated_once(gql, event, case_number):
    code = await decided(gql, event, case_number)
    twice = [{"dimension": "ATTITUDE", "level": "SATISFIED"}] * 2

    result = await rate(gql, case_number, code, "SATISFIED", dimensions=twice)

    assert (result["__typename"], result["code"]) == ("InvalidInput", "DUPLICATE_DIMENSION")


async def test_a_long_comment_is_refused(gql, event, case_number):
    code = await decided(gql, event, case_number)

    result = await rate(gql, case_number, code, "SATISFIED", comment="好" * 501)

    assert (result["code"], result["field"]) == ("TOO_LONG", "comment")


async def test_phone_and_id_numbers_in_a_comment_are_masked(gql, event, case_number):
    code = await decided(gql, event, case_number)
    comment = "请回电13812345678，身份证370202199001011234"

    await rate(gql, case_number, code, "DISSATISFIED", comment=comment, **BAD)

    seen = await rating_of(gql, case_number)
    assert seen["comment"] == "请回电138****5678，身份证3702**********1234"


async def test_the_anonymous_answer_holds_no_comment(gql, event, case_number):
    code = await decided(gql, event, case_number)
    body = await gql(
        RATE.replace("caseNumber level", "caseNumber comment level"),
        {"input": {"caseNumber": case_number, "ratingCode": code, "level": "SATISFIED"}},
    )
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
