"""What a rule sees: one case, its facts and the catalogue entry it runs under, as plain
data, and the parameters its monitoring point gives it.

Later code builds these from the ledger and the catalogue; rules never touch a database.
Every datetime is timezone-aware (the clock refuses naive ones).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from supervision.cases.clock import Pause


@dataclass(frozen=True)
class StepView:
    """One reported fact of the case (留痕), as a rule reads it."""

    event_id: str
    action: str  # an `Action` value
    occurred_at: datetime
    node: str | None = None
    officer: str | None = None
    post: str | None = None
    key_data: Mapping[str, str] = field(default_factory=dict)
    fee_charged: Decimal | None = None
    penalty_decided: Decimal | None = None


@dataclass(frozen=True)
class NodeView:
    """环节: one node of the power's procedure, its post and its own limit in working days."""

    name: str
    post: str
    limit: int
    key_data: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseView:
    """办件: the derived case, its facts in occurred order, and what its power prescribes.

    `state` is a `CaseState` value; `anomalies` are the fold's ({"eventId", "kind", "detail"});
    `promised_limit` is (value, unit) with unit WORKING_DAY or CALENDAR_DAY; `fees` and
    `discretion` are (name, minimum, maximum) in yuan.
    """

    number: str
    division_code: str
    department_code: str
    power_code: str
    category: str
    on_the_spot: bool
    state: str
    accepted_at: datetime | None = None
    decided_at: datetime | None = None
    steps: tuple[StepView, ...] = ()
    anomalies: tuple[Mapping, ...] = ()
    pauses: tuple[Pause, ...] = ()
    promised_limit: tuple[int, str] | None = None
    procedure: tuple[NodeView, ...] = ()
    fees: tuple[tuple[str, Decimal, Decimal], ...] = ()
    discretion: tuple[tuple[str, Decimal, Decimal], ...] = ()
    published_at: datetime | None = None


@dataclass(frozen=True)
class Param:
    """One parameter of a rule kind: name, type (int, float or str), default, inclusive range.

    A default of None means the parameter may be left out or None (e.g. `node`: all nodes).
    """

    name: str
    type: type
    default: object
    description: str  # Chinese, then English
    minimum: float | None = None
    maximum: float | None = None

    def check(self, value: object, kind: str) -> object:
        """`value` as the rule takes it; ValueError saying what is wrong with it."""
        where = f"{kind}.{self.name}"
        if value is None:
            if self.default is None:
                return None
            raise ValueError(f"{where}: a value is required")
        if self.type is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValueError(f"{where}: expected a whole number, got {value!r}")
        if self.type is int and abs(value) > 2**53:
            raise ValueError(f"{where}: the number is too large")
        if self.type is float:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{where}: expected a number, got {value!r}")
            if isinstance(value, int) and abs(value) > 2**53:
                raise ValueError(f"{where}: the number is too large")
            if not math.isfinite(value):
                raise ValueError(f"{where}: expected a finite number, got {value!r}")
            value = float(value)
        if self.type is str:
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{where}: expected a non-empty text, got {value!r}")
            value = value.strip()
        low, high = self.minimum, self.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(f"{where}: must be between {low} and {high}, got {value!r}")
        return value
