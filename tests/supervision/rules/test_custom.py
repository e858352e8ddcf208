"""Custom rules (CUSTOM): a CEL expression over a case, checked when saved, never raising
when evaluated. Cases are made by the fold from their facts, on real dates (National Day
2025), as in the built-in kinds' tests."""

import logging
import time
from datetime import datetime

import pytest

from supervision.cases.models import Action
from supervision.rules import custom
from supervision.rules.custom import (
    MAX_DEPTH,
    MAX_LENGTH,
    ExpressionError,
    compile_expression,
    variables,
)
from supervision.rules.kinds import KINDS, Finding, RuleKind, check_params, next_check_at
from tests.supervision.rules.test_kinds import (
    ACCEPT,
    APPROVE,
    CALENDAR,
    LAWFUL,
    REVIEW,
    at,
    case,
    end_of,
    step,
)

A = Action
CUSTOM = RuleKind.CUSTOM
TWICE_RETURNED = 'case.counts.RETURN >= 2 && case.category == "LICENSING"'


def run(view, now: datetime, **params) -> list[Finding]:
    return KINDS[CUSTOM].evaluate(view, params, calendar=CALENDAR, now=now)


def refused(expression: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        check_params("CUSTOM", {"expression": expression})
    return caught.value


def returned_twice():
    return case(
        step("r1", A.SUBMIT, at(2025, 9, 22)),
        step("r2", A.RETURN, at(2025, 9, 23)),
        step("r3", A.SUBMIT, at(2025, 9, 24)),
        step("r4", A.RETURN, at(2025, 9, 25)),
    )


# --- raising and silence ---


def test_a_case_breaking_the_rule_raises_one_finding_in_the_rules_words():
    found = run(returned_twice(), at(2025, 9, 26), expression=TWICE_RETURNED, message="两次退回")
    assert found == [Finding(CUSTOM, ("r2", "r4"), "两次退回")]


def test_a_case_keeping_the_rule_is_silent():
    assert run(case(*LAWFUL), at(2025, 10, 20), expression=TWICE_RETURNED) == []


def test_another_category_is_silent():
    view = case(*returned_twice().steps, category="PENALTY")
    assert run(view, at(2025, 9, 26), expression=TWICE_RETURNED) == []


def test_without_a_message_the_finding_names_the_expression():
    [found] = run(returned_twice(), at(2025, 9, 26), expression=TWICE_RETURNED)
    assert found.detail == f"自定义规则成立：{TWICE_RETURNED}"


def test_a_finding_cites_the_steps_of_the_actions_named_else_every_step():
    named = 'case.steps.exists(s, s.action == "APPROVE" && s.officer == "王科长")'
    assert run(case(*LAWFUL), at(2025, 10, 20), expression=named)[0].event_ids == ("e4",)
    anything = "case.steps.size() == 4"
    cited = run(case(*LAWFUL), at(2025, 10, 20), expression=anything)[0].event_ids
    assert cited == ("e1", "e2", "e3", "e4")


def test_the_legal_clock_across_national_day():
    # accepted Friday 9-26, 5 working days: due 10-10; on Monday 10-20 still at 审查.
    # Counted: 9-28 (a make-up Sunday), 9-29, 9-30, 10-09, 10-10, 10-11 (a make-up Saturday),
    # 10-13 … 10-17 and 10-20: 12 working days used, 7 past the due day.
    view = case(ACCEPT, REVIEW)
    seen = variables(view, calendar=CALENDAR, now=at(2025, 10, 20))["case"]
    assert seen["working_days_used"] == 12
    assert seen["working_days_overdue"] == 7
    assert seen["working_days_left"] == 0
    assert seen["due_at"] == end_of(2025, 10, 10)
    assert (seen["node"], seen["state"], seen["paused"]) == ("审查", "IN_PROGRESS", False)
    rule = 'case.node == "审查" && case.working_days_used > 10 && case.due_at < now'
    assert run(view, at(2025, 10, 20), expression=rule)
    assert run(view, at(2025, 10, 10), expression=rule) == []  # 5 used on the due day


def test_the_clock_stops_at_the_decision():
    seen = variables(case(*LAWFUL), calendar=CALENDAR, now=at(2025, 12, 1))["case"]
    assert (seen["working_days_used"], seen["working_days_overdue"]) == (4, 0)
    assert seen["decided_at"] == APPROVE.occurred_at


def test_what_a_rule_sees_of_a_case():
    view = case(
        ACCEPT,
        step("f1", A.CHARGE_FEE, at(2025, 9, 28), fee_charged=12),
        step("f2", A.CHARGE_FEE, at(2025, 9, 29), fee_charged=3),
        promised=None,
    )
    seen = variables(view, calendar=CALENDAR, now=at(2025, 9, 30))
    assert seen["now"] == at(2025, 9, 30)
    found = seen["case"]
    assert found["counts"]["CHARGE_FEE"] == 2 and found["counts"]["RETURN"] == 0
    assert found["fee_charged"] == 15.0 and found["penalty_decided"] == 0.0
    assert found["promised_limit"] is None and found["due_at"] is None
    assert found["working_days_left"] is None and found["working_days_used"] == 3
    assert found["accepted_at"] == ACCEPT.occurred_at and found["decided_at"] is None
    first = found["steps"][0]
    assert (first["event_id"], first["action"], first["officer"]) == ("e1", "ACCEPT", "张受理")
    assert first["key_data"] == {"申请人": "某公司"} and first["fee_charged"] is None
    assert set(found) == custom.CASE_FIELDS and set(first) == custom.STEP_FIELDS


def test_steps_timestamps_and_macros():
    rule = (
        'case.steps.filter(s, s.action == "ADVANCE").size() == 2 && '
        "case.steps.all(s, s.occurred_at <= case.decided_at) && "
        'case.decided_at.getDayOfWeek("Asia/Shanghai") == 4 && '
        'case.decided_at - case.accepted_at > duration("240h")'
    )
    assert run(case(*LAWFUL), at(2025, 10, 20), expression=rule)


# --- checked when saved ---


def test_check_params_keeps_the_expression_as_written_and_the_message_trimmed():
    expression = "  case.counts.RETURN >= 2\n"
    assert check_params(CUSTOM, {"expression": expression, "message": " 两次退回 "}) == {
        "expression": expression,
        "message": "两次退回",
    }
    assert check_params("CUSTOM", {"expression": "true"}) == {"expression": "true", "message": None}


@pytest.mark.parametrize(
    ("expression", "line", "column", "words"),
    [
        ("1 +", 1, 4, "ends too soon"),
        ("case.counts.RETURN >= 2 &&\n  (case.state == ", 2, 17, "ends too soon"),
        ('(case.state == "RETURNED"', 1, 26, "expected ')'"),
        ("case.number == @", 1, 16, "unexpected character '@'"),
        ('case.number == "abc', 1, 16, "unexpected character"),
        ("case.number case.state", 1, 13, "unexpected 'case'"),
        ("case.counts.RETURN > 1 &&\n\n   && true", 3, 4, "unexpected '&&'"),
    ],
)
def test_a_syntax_error_is_refused_with_its_line_and_column(expression, line, column, words):
    error = refused(expression)
    assert (error.line, error.column) == (line, column)
    assert words in error.message and "syntax error" in error.message
    assert str(error) == f"CUSTOM.expression: line {line}, column {column}: {error.message}"


@pytest.mark.parametrize(
    ("expression", "line", "column", "words"),
    [
        ('cases.number == "1"', 1, 1, "unknown name 'cases'"),
        ('case.steps.exists(s, t.action == "RETURN")', 1, 22, "unknown name 't'"),
        ("case.counts.RETURN > 1 &&\n  case.limit > 3", 2, 8, "case has no field 'limit'"),
        ("case.counts.RETRUN > 1", 1, 13, "case.counts has no field 'RETRUN'"),
        ('case.steps.exists(s, s.actoin == "RETURN")', 1, 24, "a step has no field 'actoin'"),
        ('case.steps[0].oficer == "张"', 1, 15, "a step has no field 'oficer'"),
        ("has(case.due)", 1, 10, "case has no field 'due'"),
        ("lower(case.number) == 'x'", 1, 1, "unknown function 'lower'"),
        ('case.number.lower() == "x"', 1, 13, "unknown function 'lower'"),
        ("case.steps.reduce(a, s, 0, a + 1) > 2", 1, 12, "unknown function 'reduce'"),
        ("case.steps.exists(s) ", 1, 12, "takes a variable name and an expression"),
        (".case.number == '1'", 1, 2, "qualified names"),
    ],
)
def test_an_unknown_name_is_refused_where_it_stands(expression, line, column, words):
    error = refused(expression)
    assert words in error.message
    assert (error.line, error.column) == (line, column)


def test_a_macro_variable_is_known_inside_its_macro_only():
    assert check_params(CUSTOM, {"expression": "case.steps.exists(s, s.node == null)"})
    error = refused("case.steps.exists(s, s.node == null) && s.node == null")
    assert "unknown name 's'" in error.message and error.column == 41


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("case.number", "not string"),
        ("case.counts.RETURN + 1", "not int"),
        ("case.steps", "not a list"),
        ("case.due_at", "not timestamp"),
        ("null", "not null"),
    ],
)
def test_a_result_that_is_not_a_bool_is_refused(expression, words):
    error = refused(expression)
    assert "the result must be true or false" in error.message and words in error.message
    assert (error.line, error.column) == (1, 1)


def test_mixed_types_are_refused_where_they_meet():
    error = refused("case.counts.RETURN > 1 || case.number > 3")
    assert "types do not match: string > int" in error.message
    assert (error.line, error.column) == (1, 27)


def test_a_case_dependent_error_is_not_refused():
    # a step without that key data, or a case without a limit, are facts, not mistakes
    assert check_params(CUSTOM, {"expression": 'case.steps[0].key_data["决定文号"] == ""'})
    assert check_params(CUSTOM, {"expression": "case.steps[99].action == 'RETURN'"})


def test_size_and_depth_are_capped():
    long = "true && " * (MAX_LENGTH // 8) + "true"
    error = refused(long)
    assert f"longer than {MAX_LENGTH}" in error.message
    assert (error.line, error.column) == (1, MAX_LENGTH + 1)
    deep = "(" * 40 + "true" + ")" * 40
    error = refused(deep)
    assert f"nested deeper than {MAX_DEPTH}" in error.message
    assert error.line == 1 and error.column > 1
    costly = "case.steps.all(a, case.steps.all(b, case.steps.all(c, a.node == c.node)))"
    assert "too costly" in refused(costly).message


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({}, "an expression is required"),
        ({"expression": None}, "an expression is required"),
        ({"expression": "   "}, "an expression is required"),
        ({"expression": 3}, "must be a text"),
    ],
)
def test_a_missing_expression_is_refused(params, words):
    with pytest.raises(ExpressionError, match=words) as caught:
        check_params(CUSTOM, params)
    assert (caught.value.line, caught.value.column) == (1, 1)


def test_other_parameters_are_plain_value_errors():
    with pytest.raises(ValueError, match="unknown parameter 'level'") as caught:
        check_params(CUSTOM, {"expression": "true", "level": "RED"})
    assert not isinstance(caught.value, ExpressionError)
    with pytest.raises(ValueError, match="CUSTOM.message: at most 500"):
        check_params(CUSTOM, {"expression": "true", "message": "长" * 501})
    with pytest.raises(ValueError, match="CUSTOM.message: expected a text"):
        check_params(CUSTOM, {"expression": "true", "message": 5})


def test_an_expression_is_compiled_once_and_a_new_one_at_once():
    first = compile_expression("case.counts.ATTACH > 0")
    assert compile_expression("case.counts.ATTACH > 0") is first
    assert compile_expression("case.counts.ATTACH > 1") is not first
    assert first.actions == {"ATTACH"}


def test_custom_rules_are_event_driven():
    assert not KINDS[CUSTOM].time_driven
    params = {"expression": "case.working_days_used > 1"}
    assert (
        next_check_at(case(ACCEPT), CUSTOM, params, calendar=CALENDAR, now=at(2025, 10, 1)) is None
    )


# --- evaluating never breaks ingest ---


def test_a_runtime_error_is_silence_and_logged(caplog):
    no_limit = case(ACCEPT, promised=None)  # due_at is null: null < timestamp is an error
    rule = "case.due_at < now"
    with caplog.at_level(logging.DEBUG, logger="supervision.rules.custom"):
        assert run(no_limit, at(2025, 10, 20), expression=rule) == []
        assert run(no_limit, at(2025, 10, 21), expression=rule) == []
    records = [r for r in caplog.records if "failed on case" in r.getMessage()]
    assert [r.levelname for r in records] == ["WARNING", "DEBUG"]  # warned once per expression
    assert run(case(ACCEPT), at(2025, 10, 20), expression=rule)  # with a limit it is true


def test_a_stored_rule_that_is_refused_now_is_silence(caplog):
    with caplog.at_level(logging.WARNING, logger="supervision.rules.custom"):
        assert run(case(*LAWFUL), at(2025, 10, 20), expression="case.nope") == []
        assert run(case(*LAWFUL), at(2025, 10, 20)) == []
    assert any("has no field 'nope'" in r.getMessage() for r in caplog.records)


def test_errors_over_a_long_list_stay_small_and_quick():
    # cel-python's own exists() nests each item's error text into the next one's: over 60
    # items that text would double 60 times. Ours keeps the first error.
    steps = [ACCEPT] + [
        step(f"a{i}", A.ATTACH, at(2025, 9, 29, 9 + i % 8, i % 60)) for i in range(60)
    ]
    view = case(*steps)
    rule = (
        'case.steps.exists(s, s.key_data["x"] == "1") || case.steps.all(s, s.key_data["x"] == "1")'
    )
    started = time.perf_counter()
    assert run(view, at(2025, 10, 20), expression=rule) == []
    assert time.perf_counter() - started < 5


def test_a_rule_over_budget_on_a_long_case_is_silence():
    steps = [ACCEPT] + [
        step(f"a{i}", A.ATTACH, at(2025, 9, 29, 9 + i % 8, i % 60)) for i in range(60)
    ]
    rule = 'case.steps.exists(a, case.steps.exists(b, a.event_id == b.event_id + "x"))'
    assert compile_expression(rule)  # fine on the sample case's 14 steps: 14 × 14 items
    assert run(case(*steps), at(2025, 10, 20), expression=rule) == []  # 61 × 61: too many


def test_strings_and_lists_cannot_grow_without_bound():
    rule = (
        "[case.number + case.number].map(a, a + a + a + a + a + a + a + a)"
        ".map(a, a + a + a + a + a + a + a + a).map(b, b + b + b + b + b + b + b + b)"
        ".map(c, c + c + c + c + c + c + c + c).exists(d, size(d) > 0)"
    )
    assert run(case(*LAWFUL), at(2025, 10, 20), expression=rule) == []  # + refuses past 10,000


def test_there_is_no_way_out_to_python():
    for expression in (
        'case.number.__class__ == "str"',
        "case.__class__ == null",
        '__import__("os") == null',
    ):
        with pytest.raises(ExpressionError):
            check_params(CUSTOM, {"expression": expression})
