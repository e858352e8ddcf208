"""Why a catalogue change was refused; each carries a stable code."""

from __future__ import annotations

from supervision.catalogue.spec import Problem


class CatalogueError(ValueError):
    code = "CATALOGUE_ERROR"
    field: str | None = None


class DuplicateCode(CatalogueError):
    code = "DUPLICATE_CODE"
    field = "code"


class UnknownDepartment(CatalogueError):
    code = "UNKNOWN_DEPARTMENT"
    field = "departmentCode"


class PowerNotFound(CatalogueError):
    code = "POWER_NOT_FOUND"
    field = "code"


class WrongState(CatalogueError):
    code = "WRONG_STATE"


class CodeMismatch(CatalogueError):
    """The code's parts disagree with what the spec says."""

    code = "INVALID_CODE"
    field = "code"


class InvalidSpec(CatalogueError):
    """The spec failed its checks; `problems` lists each one."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems
        self.code = problems[0].code
        self.field = problems[0].field
