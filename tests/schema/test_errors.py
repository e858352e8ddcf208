"""Errors carry stable codes; production hides internals and field suggestions."""

import strawberry
from strawberry.schema.config import StrawberryConfig

from schema.context import Caller, Context
from schema.limits import ErrorCodes
from schema.schema import build_schema

TYPO = "{ divisoins { totalCount } }"
BROKEN = "{ broken }"


@strawberry.type
class _Query:
    @strawberry.field
    def broken(self) -> int:
        raise RuntimeError("connection string postgresql://secret@db leaked")


def _schema_raising(*, prod: bool) -> strawberry.Schema:
    return strawberry.Schema(
        query=_Query,
        extensions=[lambda: ErrorCodes(mask=prod)],
        config=StrawberryConfig(disable_field_suggestions=prod),
    )


async def test_dev_suggests_the_field_meant():
    result = await build_schema(prod=False).execute(TYPO)
    assert "Did you mean 'divisions'" in result.errors[0].message
    assert result.errors[0].extensions["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_prod_gives_no_field_suggestions():
    result = await build_schema(prod=True).execute(TYPO)
    assert "Did you mean" not in result.errors[0].message
    assert result.errors[0].extensions["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_prod_masks_an_unexpected_error():
    result = await _schema_raising(prod=True).execute(BROKEN)
    error = result.errors[0]
    assert error.message == "Unexpected error."
    assert error.extensions == {"code": "INTERNAL_SERVER_ERROR"}
    assert error.path == ["broken"]


async def test_dev_shows_an_unexpected_error_with_a_code():
    result = await _schema_raising(prod=False).execute(BROKEN)
    assert "leaked" in result.errors[0].message
    assert result.errors[0].extensions["code"] == "INTERNAL_SERVER_ERROR"


async def test_prod_keeps_typed_errors_readable(services):
    context = Context(
        caller=Caller(None, "ANONYMOUS"), database=services.database, policy=services.policy
    )
    result = await build_schema(prod=True).execute(
        '{ division(code: "12") { name } }', context_value=context
    )
    assert result.errors[0].extensions["code"] == "INVALID_DIVISION_CODE"
    assert "12 digits" in result.errors[0].message
