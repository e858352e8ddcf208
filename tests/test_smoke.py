from unittest.mock import ANY

ME = "{ me { subject anonymous } }"


async def test_anonymous_me(gql):
    body = await gql(ME)
    assert body == {
        "data": {"me": {"subject": None, "anonymous": True}},
        "extensions": {"cost": ANY},
    }
