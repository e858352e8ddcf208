"""CEL within bounds: parsing an expression with the position of what is wrong, and
evaluating it on cel-python's interpreter with a step budget.

cel-python (import `celpy`) parses CEL with its own grammar and interprets the tree over
its own value types; Python's `eval` is never used and no Python object is reachable
(`x.name` reads a map key, never an attribute; methods are looked up in a table of CEL
functions). What this module adds: a cap on the length and the parse depth of an
expression (the interpreter recurses), a budget of interpreter steps per evaluation shared
with the macros' inner expressions, `+` refusing to build a string or list longer than
MAX_SIZE, and `||`, `&&`, `exists` and `all` reimplemented so that errors combine without
copying their text (cel-python 0.5 nests each error's text into the next one's, which
grows exponentially over a list). Regular expressions (`matches`) run on RE2, in linear
time. What a rule may name is checked by its caller (`supervision.rules.custom`).
"""

from __future__ import annotations

import operator
import re
from typing import Any

import celpy
import lark
from celpy import celtypes
from celpy.evaluation import CELEvalError

__all__ = ["CELEvalError", "ExpressionError", "OverBudget", "parse", "program"]

MAX_LENGTH = 2000  # characters of an expression
MAX_DEPTH = 200  # levels of its parse tree (one pair of brackets is about ten)
MAX_STEPS = 10_000  # interpreter steps per evaluation (about 0.1 s)
MAX_SIZE = 10_000  # characters or elements `+` may build


class ExpressionError(ValueError):
    """A CUSTOM rule's expression refused: what is wrong and where (1-based line and column).

    Stable attributes: `message` (str, no position in it), `line` (int ≥ 1), `column` (int ≥ 1).
    """

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        self.message, self.line, self.column = message, max(line, 1), max(column, 1)
        super().__init__(f"CUSTOM.expression: line {self.line}, column {self.column}: {message}")


# --- the interpreter, within bounds ---


class OverBudget(Exception):
    """Not a ValueError or TypeError, so cel-python cannot turn it into a CEL value."""


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_STEPS
        self.spent = False

    def spend(self, steps: int) -> None:
        self.left -= steps
        if self.left < 0:
            self.spent = True
            raise OverBudget(f"more than {MAX_STEPS} interpreter steps")


def _error(text: str) -> CELEvalError:
    return CELEvalError(text, TypeError, None)


def _or(x: Any, y: Any) -> Any:
    """`||` as CEL has it (true wins over an error), without nesting the errors' text."""
    if isinstance(x, celtypes.BoolType) and isinstance(y, celtypes.BoolType):
        return celtypes.BoolType(bool(x) or bool(y))
    for side in (x, y):
        if isinstance(side, celtypes.BoolType) and side:
            return side
    return next((s for s in (x, y) if isinstance(s, CELEvalError)), None) or _error(
        "|| needs true or false on each side"
    )


def _and(x: Any, y: Any) -> Any:
    """`&&` as CEL has it (false wins over an error), without nesting the errors' text."""
    if isinstance(x, celtypes.BoolType) and isinstance(y, celtypes.BoolType):
        return celtypes.BoolType(bool(x) and bool(y))
    for side in (x, y):
        if isinstance(side, celtypes.BoolType) and not side:
            return side
    return next((s for s in (x, y) if isinstance(s, CELEvalError)), None) or _error(
        "&& needs true or false on each side"
    )


def _add(x: Any, y: Any) -> Any:
    """`+`, refusing to build a string, bytes or list longer than MAX_SIZE."""
    sized = isinstance(x, str | bytes | list) and isinstance(y, str | bytes | list)
    if sized and len(x) + len(y) > MAX_SIZE:
        raise ValueError(f"+ would build more than {MAX_SIZE} characters or elements")
    total = operator.add(x, y)
    return celtypes.ListType(total) if type(total) is list else total


_OPERATORS = {"_||_": _or, "_&&_": _and, "_+_": _add}


class _Evaluator(celpy.Evaluator):
    """cel-python's interpreter, counting its steps against a budget shared with its macros."""

    def __init__(self, ast: lark.Tree, activation: Any, budget: _Budget) -> None:
        super().__init__(ast, activation)
        self.budget = budget

    def sub_evaluator(self, ast: lark.Tree) -> _Evaluator:
        return _Evaluator(ast, self.activation, self.budget)

    def visit(self, tree: lark.Tree) -> Any:
        self.budget.spend(1)
        return super().visit(tree)

    def visit_children(self, tree: lark.Tree) -> list:
        self.budget.spend(len(tree.children))
        return super().visit_children(tree)

    def member_dot_arg(self, tree: lark.Tree) -> Any:
        """`exists` and `all` short-circuit, and keep the first error if nothing decides."""
        method = tree.children[1].value
        if method not in ("exists", "all"):
            return super().member_dot_arg(tree)
        items = self.visit(tree.children[0])
        if isinstance(items, CELEvalError):
            return items
        if not isinstance(items, list | dict):
            return _error(f"{method}() needs a list or a map")
        predicate = self.build_ss_macro_eval(tree)
        decides = method == "exists"  # the value of one item that decides the whole
        failed = None
        for item in items:
            value = predicate(item)
            if isinstance(value, celtypes.BoolType):
                if bool(value) is decides:
                    return celtypes.BoolType(decides)
            elif failed is None:
                failed = (
                    value
                    if isinstance(value, CELEvalError)
                    else _error(f"{method}() needs true or false for each item")
                )
        return failed if failed is not None else celtypes.BoolType(not decides)


class _Runner(celpy.InterpretedRunner):
    def evaluate(self, context: Any) -> Any:
        budget = _Budget()
        try:
            value = _Evaluator(self.ast, self.new_activation(), budget).evaluate(context)
        except OverBudget:
            raise CELEvalError(
                f"more than {MAX_STEPS} interpreter steps", OverBudget, None
            ) from None
        if budget.spent:  # an exhausted budget caught and absorbed somewhere inside
            raise CELEvalError(f"more than {MAX_STEPS} interpreter steps", OverBudget, None)
        return value


_ENV = celpy.Environment(runner_class=_Runner)  # raises the recursion limit to 2,500


def program(ast: lark.Tree) -> celpy.Runner:
    """A parsed expression, ready to evaluate with a mapping of names to CEL values.

    Its `evaluate` returns the value or raises CELEvalError (args[1] is OverBudget when the
    budget ran out)."""
    return _ENV.program(ast, functions=_OPERATORS)


# --- parsing, with positions ---


def _at(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a 0-based offset into `text`."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _end(text: str) -> tuple[int, int]:
    """Just after the last character that is not white space."""
    return _at(text, len(text.rstrip()))


_CLOSERS = {"RPAR": "')'", "RSQB": "']'", "RBRACE": "'}'", "COLON": "':'", "COMMA": "','"}


def _syntax_error(text: str, exc: celpy.CELParseError) -> ExpressionError:
    cause = exc.__context__
    if isinstance(cause, lark.exceptions.UnexpectedToken) and cause.token.type == "$END":
        expected = sorted(_CLOSERS[name] for name in cause.expected if name in _CLOSERS)
        wanted = f", expected {' or '.join(expected)}" if expected else ""
        return ExpressionError(f"syntax error: the expression ends too soon{wanted}", *_end(text))
    if isinstance(cause, lark.exceptions.UnexpectedToken):
        what = f"unexpected {cause.token.value!r}"
    elif isinstance(cause, lark.exceptions.UnexpectedCharacters):
        what = f"unexpected character {cause.char!r}"
    else:
        what = str(exc).splitlines()[0] if str(exc) else "cannot read it"
    return ExpressionError(f"syntax error: {what}", exc.line or 1, exc.column or 1)


def where(node: lark.Tree | lark.Token) -> tuple[int, int]:
    """Where a token, or the first token of a tree, is."""
    if isinstance(node, lark.Tree):
        node = next(node.scan_values(lambda v: isinstance(v, lark.Token)), None)
    if node is None:
        return 1, 1
    return getattr(node, "line", None) or 1, getattr(node, "column", None) or 1


def _depth(tree: lark.Tree) -> tuple[int, tuple[int, int]]:
    """The depth of the tree and where its deepest placed token is, without recursion."""
    best, placed, where = 1, 0, (1, 1)
    stack: list[tuple[lark.Tree | lark.Token, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        token = isinstance(node, lark.Token)
        line = node.line if token else getattr(node.meta, "line", None)
        if line is not None and depth > placed:
            placed, where = depth, (line, node.column if token else node.meta.column)
        if not token:
            best = max(best, depth)
            stack.extend((child, depth + 1) for child in node.children)
    return best, where


def parse(text: str) -> lark.Tree:
    """The parse tree of an expression; ExpressionError for a blank one, one too long, a
    syntax error or one nested too deep."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"longer than {MAX_LENGTH} characters ({len(text)})", *_at(text, MAX_LENGTH)
        )
    if not text.strip():
        raise ExpressionError("an expression is required")
    try:
        ast = _ENV.compile(text)
    except celpy.CELParseError as exc:
        raise _syntax_error(text, exc) from None
    except RecursionError:
        raise ExpressionError(f"nested deeper than {MAX_DEPTH} levels") from None
    depth, deepest = _depth(ast)
    if depth > MAX_DEPTH:
        raise ExpressionError(f"nested deeper than {MAX_DEPTH} levels", *deepest)
    return ast


# --- runtime errors in words ---


_SYMBOLS = {
    "relation_lt": "<",
    "relation_le": "<=",
    "relation_gt": ">",
    "relation_ge": ">=",
    "relation_eq": "==",
    "relation_ne": "!=",
    "relation_in": "in",
    "addition_add": "+",
    "addition_sub": "-",
    "multiplication_mul": "*",
    "multiplication_div": "/",
    "multiplication_mod": "%",
}


def mismatch(exc: CELEvalError) -> str:
    """': string > int' from cel-python's words for a failed overload, if it can tell."""
    text = str(exc.args[0]) if exc.args else ""
    operator_ = re.search(r"'(\w+)'\)? applied to", text)
    types = re.findall(r"<class '[\w.]*?\.?(\w+)'>", text.partition("applied to")[2])
    names = [_TYPE_NAMES.get(t, t.removesuffix("Type").lower()) for t in types]
    if "does not support field selection" in text:
        return ": only a map has fields"
    if "applied to" not in text:
        return f": {first_line(exc)}"
    if operator_ is None or operator_.group(1) not in _SYMBOLS or len(names) != 2:
        return " on a sample case"
    return f": {names[0]} {_SYMBOLS[operator_.group(1)]} {names[1]}"


_TYPE_NAMES = {"NoneType": "null", "StringType": "string", "MapType": "map", "ListType": "list"}


def first_line(exc: Exception) -> str:
    return (str(exc.args[0]) if exc.args else str(exc)).splitlines()[0][:200]


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    name = type(value).__name__.removesuffix("Type").lower()
    return {"str": "string", "map": "a map", "list": "a list"}.get(name, name)
