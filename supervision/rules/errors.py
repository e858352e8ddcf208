"""Why a change to monitoring points or rules is refused: each error has a stable code."""

from __future__ import annotations


class RuleError(Exception):
    code = "INVALID_INPUT"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PointNotFound(RuleError):
    code = "POINT_NOT_FOUND"


class RuleNotFound(RuleError):
    code = "RULE_NOT_FOUND"


class UnknownDivision(RuleError):
    code = "UNKNOWN_DIVISION"


class UnknownPower(RuleError):
    code = "UNKNOWN_POWER"


class UnknownDepartment(RuleError):
    code = "UNKNOWN_DEPARTMENT"


class InvalidRule(RuleError):
    """The kind, a parameter or an expression is wrong; line and column for expressions."""

    code = "INVALID_RULE"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message, field=field)
        self.line, self.column = line, column


REFUSALS = (RuleError,)
