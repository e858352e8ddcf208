"""自定义规则: a supervisor's own rule, one CEL expression over a case, saved without a deploy.

A CUSTOM rule's parameters are `expression` (CEL, required) and `message` (the warning's
words, optional). The rule fires when the expression is `true` for a case; false, or an
error while evaluating (a missing key, null compared with a number, …), is silence.

What an expression sees (CEL, https://github.com/google/cel-spec/blob/master/doc/langdef.md):

`now`: timestamp, the moment of evaluation.

`case`: a map with
- `number`, `state` (ACCEPTED, IN_PROGRESS, …, APPROVED), `category` (LICENSING, PENALTY, …),
  `power_code`, `division_code`, `department_code`, `node` (the procedure node the case is at,
  or null): strings
- `on_the_spot`: bool
- `accepted_at`, `decided_at`, `published_at`: timestamps, or null
- `promised_limit` (int) and `promised_unit` (WORKING_DAY or CALENDAR_DAY): the promised
  limit, or null without one
- `due_at`: timestamp (the end of the promised due day) or null without a limit
- `working_days_used`: int, working days counted by the legal clock from the day after
  acceptance to today (or to the decision, or the last fact of a case returned or
  withdrawn), time waiting for a supplement or suspended left out; 0 before acceptance
- `working_days_left`: int (0 once due or overdue) or null without a limit
- `working_days_overdue`: int, working days past the due day (0 if none or no limit)
- `paused`: bool, waiting for a supplement or suspended right now
- `anomalies`: list of strings, the kinds of the fold's notes (OUT_OF_ORDER, NODE_SKIPPED, …)
- `counts`: map from every reportable action (SUBMIT, ACCEPT, RETURN, ADVANCE,
  REQUEST_SUPPLEMENT, RECEIVE_SUPPLEMENT, SUSPEND, RESUME, APPROVE, REJECT, WITHDRAW,
  CHARGE_FEE, DECIDE_PENALTY, ATTACH) to the number of such facts, 0 included:
  `case.counts.RETURN >= 2`
- `fee_charged`, `penalty_decided`: doubles, the sums of the fees charged and the penalties
  decided (0.0 when none)
- `steps`: list of maps, the reported facts in the order they occurred, each with
  `event_id`, `action`, `occurred_at` (timestamp), `node`, `officer`, `post` (strings or
  null), `key_data` (map of strings), `fee_charged`, `penalty_decided` (doubles or null)

Examples: `case.counts.RETURN >= 2 && case.category == "LICENSING"`;
`case.state == "IN_PROGRESS" && case.node == "审查" && case.working_days_used > 10`;
`case.steps.exists(s, s.action == "CHARGE_FEE" && s.fee_charged > 500.0)`;
`case.decided_at != null && case.decided_at.getHours("Asia/Shanghai") >= 22`.
Timestamps are instants: give a zone ("Asia/Shanghai") to read hours or days of the week.

Validated when saved (`check`, called by `kinds.check_params`): a syntax error, an unknown
name (a variable other than `case` and `now`, a field of `case` or of a step, an action in
`case.counts`, a function), an expression longer than MAX_LENGTH or nested deeper than
MAX_DEPTH, or a result that is not a bool on a sample case (or that mixes types, such as a
string compared with a number) is refused with an `ExpressionError` carrying the 1-based
line and column. Compiled programs are cached by their text (`compile_expression`), so a
saved rule is compiled once per process and a new or changed one works at once.

A finding cites the steps whose action the expression names (`case.counts.RETURN`, or a
string literal such as "RETURN"); when it names none, or the case has no such step, every
step. The warning's words are the rule's `message`, else the expression.

Why this is safe: CEL has no statements, no IO, no imports, no assignment and no loops but
the bounded macros (`exists`, `all`, `exists_one`, `map`, `filter`) over the lists given.
cel-python parses it with its own grammar and interprets the tree over its own value types:
Python's `eval` is never used and no Python object is reachable (`x.name` reads a map key,
never an attribute). `supervision.rules.cel` caps the length and depth of an expression,
gives each evaluation a budget of interpreter steps, stops `+` from building huge strings
or lists and keeps errors small; here, every name is checked against what a rule sees, and
the non-standard `reduce` and `min` extensions are refused.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import celpy
import lark
from celpy import celtypes

from supervision.cases.clock import TZ, DayUnit, WorkCalendar, read_clock
from supervision.cases.models import REPORTABLE_ACTIONS, Action, CaseState
from supervision.cases.states import OPEN
from supervision.rules import kinds
from supervision.rules.cel import (
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_STEPS,
    CELEvalError,
    ExpressionError,
    OverBudget,
    first_line,
    mismatch,
    parse,
    program,
    type_name,
    where,
)
from supervision.rules.timeline import stays
from supervision.rules.view import CaseView, NodeView, StepView

logger = logging.getLogger(__name__)

__all__ = ["ExpressionError", "MAX_DEPTH", "MAX_LENGTH", "compile_expression", "evaluate"]

MAX_MESSAGE = 500  # characters of a rule's message

VARIABLES = ("case", "now")
CASE_FIELDS = frozenset(
    {
        "number",
        "state",
        "category",
        "power_code",
        "division_code",
        "department_code",
        "node",
        "on_the_spot",
        "accepted_at",
        "decided_at",
        "published_at",
        "promised_limit",
        "promised_unit",
        "due_at",
        "working_days_used",
        "working_days_left",
        "working_days_overdue",
        "paused",
        "anomalies",
        "counts",
        "fee_charged",
        "penalty_decided",
        "steps",
    }
)
STEP_FIELDS = frozenset(
    {
        "event_id",
        "action",
        "occurred_at",
        "node",
        "officer",
        "post",
        "key_data",
        "fee_charged",
        "penalty_decided",
    }
)
ACTIONS = tuple(a.value for a in Action if a in REPORTABLE_ACTIONS)
TYPES = ("bool", "int", "uint", "double", "string", "bytes", "list", "map", "null_type", "type")
MACROS = frozenset({"all", "exists", "exists_one", "map", "filter"})
FUNCTIONS = frozenset(name for name in celpy.evaluation.base_functions if name.isidentifier()) | {
    "has",
    "dyn",
}


# --- checking an expression when it is saved ---


_WRAPPERS = frozenset(
    {
        "expr",
        "conditionalor",
        "conditionaland",
        "relation",
        "addition",
        "multiplication",
        "unary",
        "member",
        "primary",
        "paren_expr",
    }
)


def _unwrap(tree: lark.Tree) -> lark.Tree:
    """Down through the one-child levels of the grammar to the node that says something."""
    while tree.data in _WRAPPERS and len(tree.children) == 1:
        child = tree.children[0]
        if not isinstance(child, lark.Tree):
            break
        tree = child
    return tree


# What a name or a path stands for, as far as the checks can tell.
CASE, STEPS, STEP, COUNTS = "case", "steps", "step", "counts"


def _shape(tree: lark.Tree, scope: Mapping[str, str | None]) -> str | None:
    """CASE, STEPS, STEP or COUNTS for a path the checks follow; None for anything else.

    Raises ExpressionError for a field that `case`, a step or `case.counts` does not have.
    """
    tree = _unwrap(tree)
    if tree.data == "ident":
        name = tree.children[0].value
        return scope.get(name, CASE if name == "case" else None)
    if tree.data == "member_dot":
        owner, field = _shape(tree.children[0], scope), tree.children[1]
        known = {CASE: CASE_FIELDS, STEP: STEP_FIELDS, COUNTS: ACTIONS}.get(owner)
        if known is not None and field.value not in known:
            named = {CASE: "case", STEP: "a step", COUNTS: "case.counts"}[owner]
            raise ExpressionError(f"{named} has no field {field.value!r}", *where(field))
        if owner == CASE:
            return {"steps": STEPS, "counts": COUNTS}.get(field.value)
        return None
    if tree.data == "member_index":
        return STEP if _shape(tree.children[0], scope) == STEPS else None
    if tree.data == "member_dot_arg" and tree.children[1].value == "filter":
        return STEPS if _shape(tree.children[0], scope) == STEPS else None
    return None


def _args(tree: lark.Tree) -> list[lark.Tree]:
    found = [c for c in tree.children if isinstance(c, lark.Tree) and c.data == "exprlist"]
    return list(found[0].children) if found else []


def _check_names(tree: lark.Tree, scope: Mapping[str, str | None], names: set[str]) -> None:
    """Every name is `case`, `now` or a macro's variable; every field, action and function is
    one a rule can use. Collects in `names` the actions the expression names."""
    kind = tree.data
    if kind == "ident":
        token = tree.children[0]
        if token.value not in scope and token.value not in VARIABLES + TYPES:
            raise ExpressionError(
                f"unknown name {token.value!r}: a rule sees case and now", *where(token)
            )
        return
    if kind in ("dot_ident", "dot_ident_arg", "member_object"):
        raise ExpressionError("qualified names and messages are not available", *where(tree))
    if kind == "literal":
        token = tree.children[0]
        if token.type == "STRING_LIT" and token.value[1:-1] in ACTIONS:
            names.add(token.value[1:-1])
        return
    if kind == "member_dot":
        if _shape(tree.children[0], scope) == COUNTS:
            names.add(tree.children[1].value)
        _shape(tree, scope)
    if kind == "ident_arg":
        token = tree.children[0]
        if token.value not in FUNCTIONS:
            raise ExpressionError(f"unknown function {token.value!r}", *where(token))
    if kind == "member_dot_arg":
        token = tree.children[1]
        if token.value in MACROS:
            args = _args(tree)
            variable = _unwrap(args[0]) if args else None
            if len(args) != 2 or variable is None or variable.data != "ident":
                raise ExpressionError(
                    f"{token.value}() takes a variable name and an expression: "
                    f'{token.value}(s, s.action == "RETURN")',
                    *where(token),
                )
            _check_names(tree.children[0], scope, names)
            element = STEP if _shape(tree.children[0], scope) == STEPS else None
            inner = {**scope, variable.children[0].value: element}
            _check_names(args[1], inner, names)
            return
        if token.value not in FUNCTIONS:
            raise ExpressionError(f"unknown function {token.value!r}", *where(token))
    for child in tree.children:
        if isinstance(child, lark.Tree):
            _check_names(child, scope, names)


@dataclass(eq=False)
class Program:
    """A compiled expression, ready to evaluate; `actions` are those it names."""

    text: str
    runner: celpy.Runner
    actions: frozenset[str]
    failures: int = 0  # runtime errors so far (the first is logged as a warning)

    def run(self, activation: Mapping[str, Any]) -> Any:
        """The expression's value; CELEvalError (or any exception) on a runtime error."""
        return self.runner.evaluate(dict(activation))


def _compile(text: str) -> Program:
    ast = parse(text)
    names: set[str] = set()
    _check_names(ast, {}, names)
    compiled = Program(text, program(ast), frozenset(names))
    _try_on_sample(compiled, ast)
    return compiled


def _try_on_sample(compiled: Program, ast: lark.Tree) -> None:
    """Refuse a result that is not a bool, or a mix of types, on a case with every field set."""
    try:
        value = compiled.run(_sample())
    except CELEvalError as exc:
        if len(exc.args) > 1 and exc.args[1] is OverBudget:
            raise ExpressionError(
                f"too costly: more than {MAX_STEPS} steps on a sample case", *where(ast)
            ) from None
        if len(exc.args) > 1 and exc.args[1] is TypeError:
            at = where(exc.tree) if exc.tree is not None else where(ast)
            raise ExpressionError(f"types do not match{mismatch(exc)}", *at) from None
        return  # an error that depends on the case (a key, an index, a division by 0)
    except Exception:  # any other failure depends on the data too: not the rule's text
        return
    if not isinstance(value, celtypes.BoolType):
        raise ExpressionError(
            f"the result must be true or false, not {type_name(value)}", *where(ast)
        )


@functools.lru_cache(maxsize=1024)
def _compiled(text: str) -> Program | ExpressionError:
    try:
        return _compile(text)
    except ExpressionError as exc:
        return exc


def compile_expression(text: str) -> Program:
    """The program for an expression, compiled once per process; ExpressionError if refused."""
    found = _compiled(text)
    if isinstance(found, ExpressionError):
        raise ExpressionError(found.message, found.line, found.column)
    return found


def check(params: Mapping) -> dict:
    """A CUSTOM rule's parameters checked: ExpressionError for the expression, ValueError for
    the message."""
    expression = params.get("expression")
    if expression is None:
        raise ExpressionError("an expression is required")
    if not isinstance(expression, str):
        raise ExpressionError(f"the expression must be a text, not {expression!r}")
    compile_expression(expression)
    message = params.get("message")
    if message is not None:
        if not isinstance(message, str):
            raise ValueError(f"CUSTOM.message: expected a text, got {message!r}")
        message = message.strip() or None
        if message is not None and len(message) > MAX_MESSAGE:
            raise ValueError(f"CUSTOM.message: at most {MAX_MESSAGE} characters")
    return {"expression": expression, "message": message}


# --- what a rule sees ---


def _money(amount: Decimal | None) -> float | None:
    return None if amount is None else float(amount)


def _step(step: StepView) -> dict:
    return {
        "event_id": step.event_id,
        "action": str(step.action),
        "occurred_at": step.occurred_at,
        "node": step.node,
        "officer": step.officer,
        "post": step.post,
        "key_data": {str(k): "" if v is None else str(v) for k, v in step.key_data.items()},
        "fee_charged": _money(step.fee_charged),
        "penalty_decided": _money(step.penalty_decided),
    }


def _clock(view: CaseView, calendar: WorkCalendar, now: datetime) -> dict:
    """The legal clock's reading: to the decision, to the last fact of a case no longer open,
    or to now."""
    if view.accepted_at is None:
        return {"working_days_used": 0, "working_days_left": None, "working_days_overdue": 0}
    end = view.decided_at
    if end is None and view.state not in OPEN and view.steps:
        end = view.steps[-1].occurred_at
    value, unit = view.promised_limit or (0, DayUnit.WORKING_DAY)
    reading = read_clock(
        calendar=calendar,
        accepted_at=view.accepted_at,
        limit_value=value,
        limit_unit=unit,
        pauses=view.pauses,
        now=now,
        decided_at=end,
    )
    limited = view.promised_limit is not None
    return {
        "working_days_used": reading.elapsed_working_days,
        "working_days_left": reading.remaining_working_days if limited else None,
        "working_days_overdue": reading.overdue_by if limited else 0,
        "due_at": reading.due_at if limited else None,
        "paused": reading.paused,
    }


def variables(view: CaseView, *, calendar: WorkCalendar, now: datetime) -> dict[str, Any]:
    """What an expression sees of a case, as CEL values: `case` and `now`."""
    counts = dict.fromkeys(ACTIONS, 0)
    for step in view.steps:
        if step.action in counts:
            counts[step.action] += 1
    here = [stay for stay in stays(view) if stay.left is None] if view.procedure else []
    limit = view.promised_limit
    case = {
        "number": view.number,
        "state": str(view.state),
        "category": str(view.category),
        "power_code": view.power_code,
        "division_code": view.division_code,
        "department_code": view.department_code,
        "node": here[-1].node.name if here else None,
        "on_the_spot": bool(view.on_the_spot),
        "accepted_at": view.accepted_at,
        "decided_at": view.decided_at,
        "published_at": view.published_at,
        "promised_limit": None if limit is None else int(limit[0]),
        "promised_unit": None if limit is None else str(limit[1]),
        "due_at": None,
        "paused": False,
        **_clock(view, calendar, now),
        "anomalies": [str(a.get("kind", "")) for a in view.anomalies],
        "counts": counts,
        "fee_charged": float(sum(s.fee_charged or 0 for s in view.steps)),
        "penalty_decided": float(sum(s.penalty_decided or 0 for s in view.steps)),
        "steps": [_step(step) for step in view.steps],
    }
    return {"case": _cel(case), "now": celtypes.TimestampType(now)}


def _cel(value: Any) -> Any:
    """A plain value as a CEL value (what `celpy.json_to_cel` does, several times faster)."""
    if value is None:
        return None
    kind = type(value)
    if kind is bool:
        return celtypes.BoolType(value)
    if kind is int:
        return celtypes.IntType(value)
    if kind is float:
        return celtypes.DoubleType(value)
    if kind is str:
        return celtypes.StringType(value)
    if kind is dict:
        return celtypes.MapType({celtypes.StringType(k): _cel(v) for k, v in value.items()})
    if kind is list:
        return celtypes.ListType([_cel(item) for item in value])
    if isinstance(value, datetime):
        return celtypes.TimestampType(value)
    raise TypeError(f"no CEL value for {kind.__name__}")


@functools.cache
def _sample() -> dict[str, Any]:
    """A decided case with a fact of every reportable action and every field set."""
    at = datetime(2025, 9, 26, 10, tzinfo=TZ)
    steps = tuple(
        StepView(
            f"sample-{i}",
            action,
            at.replace(day=26 + i // 4, hour=9 + i % 4),
            node="审查",
            officer="张三",
            post="审查岗",
            key_data={"审查意见": "同意"},
            fee_charged=Decimal("10"),
            penalty_decided=Decimal("100"),
        )
        for i, action in enumerate(ACTIONS)
    )
    view = CaseView(
        number="SAMPLE-1",
        division_code="370202000000",
        department_code="370202-SAMPLE",
        power_code="XK-SAMPLE",
        category="LICENSING",
        on_the_spot=False,
        state=CaseState.APPROVED.value,
        accepted_at=at,
        decided_at=at.replace(day=29),
        steps=steps,
        anomalies=({"eventId": "sample-0", "kind": "OUT_OF_ORDER", "detail": "sample"},),
        promised_limit=(5, DayUnit.WORKING_DAY.value),
        procedure=(NodeView("审查", "审查岗", 3, ("审查意见",)),),
        published_at=at.replace(day=30),
    )
    found = variables(view, calendar=WorkCalendar(), now=at.replace(month=10, day=20))
    found["case"][celtypes.StringType("node")] = celtypes.StringType("审查")  # never null here
    return found


# --- evaluating ---

_last: tuple[CaseView, WorkCalendar, datetime, dict] | None = None
_refused: set[str] = set()  # stored parameters already logged as refused


def _variables_of(view: CaseView, calendar: WorkCalendar, now: datetime) -> dict[str, Any]:
    """`variables`, built once for a case however many custom rules judge it in a row."""
    global _last
    last = _last
    if last is not None and last[0] is view and last[1] is calendar and last[2] == now:
        return last[3]
    found = variables(view, calendar=calendar, now=now)
    _last = (view, calendar, now, found)
    return found


def _cited(program: Program, view: CaseView) -> tuple[str, ...]:
    named = [s.event_id for s in view.steps if s.action in program.actions]
    return tuple(dict.fromkeys(named or [s.event_id for s in view.steps]))


def evaluate(
    case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime
) -> list[kinds.Finding]:
    """自定义规则: one finding when the rule's expression is true of the case.

    Never raises: an expression refused, or an error while evaluating it, is logged (a
    warning the first time for each expression, then at debug level) and is silence.
    """
    try:
        checked = check(params if isinstance(params, Mapping) else {})
        program = compile_expression(checked["expression"])
    except ValueError as exc:
        first = str(exc) not in _refused
        if first and len(_refused) < 1024:
            _refused.add(str(exc))
        log = logger.warning if first else logger.debug
        log("custom rule not evaluated on case %s: %s", case.number, exc)
        return []
    try:
        value = program.run(_variables_of(case, calendar, now))
    except Exception as exc:  # noqa: BLE001 - nothing a rule does may break ingest
        program.failures += 1
        log = logger.warning if program.failures == 1 else logger.debug
        log(
            "custom rule %r failed on case %s: %s",
            program.text[:200],
            case.number,
            first_line(exc)[:200],
        )
        return []
    if not (isinstance(value, celtypes.BoolType) and value):
        return []
    detail = checked["message"] or f"自定义规则成立：{_short(program.text)}"
    return [kinds.Finding(kinds.RuleKind.CUSTOM, _cited(program, case), detail)]


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 200 else flat[:199] + "…"
