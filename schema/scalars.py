"""Scalars as this API reads them."""

from __future__ import annotations

import datetime as dt

import dateutil.parser
from strawberry.schema.types.base_scalars import isoformat, wrap_parser
from strawberry.types.scalar import ScalarDefinition

from supervision.cases.clock import TZ


def _aware(text: str) -> dt.datetime:
    # A time without a zone is read as Beijing time, the zone the legal clock keeps;
    # every datetime the domain stores is aware.
    value = dateutil.parser.isoparse(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=TZ)


DATETIME = ScalarDefinition(
    name="DateTime",
    description="Date with time (ISO 8601); without an offset it is read as Beijing time.",
    specified_by_url=None,
    serialize=isoformat,
    parse_value=wrap_parser(_aware, "DateTime"),
    parse_literal=None,
    origin=dt.datetime,
)

SCALARS = {dt.datetime: DATETIME}
