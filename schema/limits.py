"""Limits and error codes that apply to every operation.

Depth, aliases and tokens are limited by strawberry's own extensions; page sizes
here; the estimated cost in schema/cost.py. All are checked before any resolver runs,
so before any SQL.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import ExecutionResult, GraphQLError, IntValueNode, VariableNode, visit
from graphql.language import ArgumentNode, StringValueNode, Visitor
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from schema.cost import MAX_COST, QueryCost
from schema.errors import CodedError
from schema.pagination import MAX_PAGE

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 2000
PAGE_ARGUMENTS = {"first", "last"}


class _PageArguments(Visitor):
    def __init__(self, variables: dict) -> None:
        super().__init__()
        self.variables = variables
        self.bad: list[tuple[str, object]] = []

    def enter_argument(self, node: ArgumentNode, *_args) -> None:
        if node.name.value not in PAGE_ARGUMENTS:
            return
        if isinstance(node.value, IntValueNode):
            value: object = int(node.value.value)
        elif isinstance(node.value, VariableNode):
            value = self.variables.get(node.value.name.value)
        else:
            return
        if isinstance(value, int) and not 0 <= value <= MAX_PAGE:
            self.bad.append((node.name.value, value))


class PageSizeLimiter(SchemaExtension):
    """Refuses `first`/`last` outside 0..100 before execution starts."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:
            visitor = _PageArguments(context.variables or {})
            visit(context.graphql_document, visitor)
            if visitor.bad:
                name, value = visitor.bad[0]
                context.result = ExecutionResult(
                    data=None,
                    errors=[
                        CodedError(
                            f"{name}: {value} is outside 0..{MAX_PAGE}",
                            "PAGE_TOO_LARGE",
                            maximum=MAX_PAGE,
                        )
                    ],
                )
        yield


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


class _NulLiterals(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_string_value(self, node: StringValueNode, *_args) -> None:
        self.found = self.found or "\x00" in node.value


class NulRefused(SchemaExtension):
    """Refuses text holding NUL (JSON allows it, no PostgreSQL text does) before execution,
    as bad input, instead of letting it fail deep down as an internal error."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:
            literals = _NulLiterals()
            visit(context.graphql_document, literals)
            if literals.found or _holds_nul(context.variables or {}):
                context.result = ExecutionResult(
                    data=None,
                    errors=[
                        CodedError(
                            "text may not hold the NUL character", "GRAPHQL_VALIDATION_FAILED"
                        )
                    ],
                )
        yield


_LIMIT_CODES = [
    ("exceeds maximum operation depth", "QUERY_TOO_DEEP"),
    ("aliases found", "TOO_MANY_ALIASES"),
    ("Parsing aborted", "TOO_MANY_TOKENS"),
]


class ErrorCodes(SchemaExtension):
    """Gives every error a stable code; in production hides unexpected ones."""

    def __init__(self, *, mask: bool = False) -> None:
        self.mask = mask

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if not result or not result.errors:
            return
        result.errors = [self._coded(error) for error in result.errors]

    def _coded(self, error: GraphQLError) -> GraphQLError:
        extensions = error.extensions or {}
        if "code" in extensions:
            return error
        original = error.original_error
        code_of_original = getattr(original, "code", None) if _ours(original) else None
        if isinstance(code_of_original, str):
            error.extensions = {**extensions, "code": code_of_original}
            return error
        if original is None or isinstance(original, StrawberryInputCoercionError):
            # parse and validation errors, and input values that cannot be read
            code = next(
                (c for text, c in _LIMIT_CODES if text in error.message),
                "GRAPHQL_VALIDATION_FAILED",
            )
            error.extensions = {**extensions, "code": code}
            return error
        if self.mask:
            return GraphQLError(
                "Unexpected error.",
                nodes=error.nodes,
                path=error.path,
                extensions={"code": "INTERNAL_SERVER_ERROR"},
            )
        error.extensions = {**extensions, "code": "INTERNAL_SERVER_ERROR"}
        return error


_OUR_PACKAGES = frozenset({"api", "schema", "supervision", "tenancy", "policies"})


def _ours(exc: BaseException | None) -> bool:
    # Only our own errors' codes are stable and safe to show; a library's `code`
    # (SQLAlchemy has one) may come with SQL and parameters in its message.
    return exc is not None and type(exc).__module__.split(".")[0] in _OUR_PACKAGES


def limit_extensions(*, max_cost: int = MAX_COST) -> list:
    """Extension factories: each request gets fresh instances."""
    return [
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        PageSizeLimiter,
        NulRefused,
        lambda: QueryCost(maximum=max_cost),
    ]
