"""ratings: supervisors and department heads read the ratings of their part of the tree."""

from tests.schema.ratings.support import (
    OFFICER,
    RATINGS,
    SHIBEI,
    SHINAN,
    bad_rating,
    granted,
    rating_of,
)


async def test_a_supervisor_finds_the_open_rectifications(gql, event, case_number):
    await bad_rating(gql, event, case_number)

    body = await gql(
        RATINGS,
        {
            "filter": {
                "divisionCode": SHINAN,
                "openRectification": True,
                "level": "VERY_DISSATISFIED",
            }
        },
        as_="demo-supervisor",
    )

    nodes = body["data"]["ratings"]["nodes"]
    assert case_number in {n["caseNumber"] for n in nodes}
    assert {(n["rectificationStatus"], n["score"]) for n in nodes} == {("OPEN", 1)}


async def test_overdue_rectifications_are_a_filter(gql, event, case_number):
    await bad_rating(gql, event, case_number)

    body = await gql(RATINGS, {"filter": {"overdueRectification": True}}, as_="demo-supervisor")

    nodes = body["data"]["ratings"]["nodes"]
    assert case_number not in {n["caseNumber"] for n in nodes}  # due in 15 working days
    assert all(n["rectificationOverdue"] for n in nodes)


async def test_a_department_head_of_the_district_reads_it(gql, event, case_number):
    await bad_rating(gql, event, case_number)
    head = await granted(gql, "DEPARTMENT_HEAD")

    assert (await rating_of(gql, case_number, as_=head))["level"] == "VERY_DISSATISFIED"


async def test_a_department_head_of_another_district_does_not_see_it(gql, event, case_number):
    await bad_rating(gql, event, case_number)
    head = await granted(gql, "DEPARTMENT_HEAD", SHIBEI)

    body = await gql(RATINGS, {}, as_=head)

    assert case_number not in {n["caseNumber"] for n in body["data"]["ratings"]["nodes"]}


async def test_ratings_are_not_public(gql):
    body = await gql(RATINGS, {})

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_officer_may_not_read_ratings(gql):
    body = await gql(RATINGS, {}, as_=OFFICER)

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
