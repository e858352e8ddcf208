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
    value = value if value.tzinfo is not None else value.replace(tzinfo=TZ)
    try:
        value.astimezone(dt.UTC)  # stored and compared in UTC: it must have a UTC reading
    except OverflowError:
        raise ValueError(f"{text!r} is out of range") from None
    if not 1900 <= value.year <= 2200:
        raise ValueError(f"{text!r}: a year between 1900 and 2200")
    return value


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
