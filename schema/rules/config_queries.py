"""Queries on monitoring points, rule kinds, and backtests of candidate rules."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import CodedError, checked_division_code
from schema.permissions import can
from schema.rules.config_inputs import BacktestInput
from schema.rules.config_types import MonitoringPoint, RuleKindInfo
from supervision.rules import backtest, config, errors
from supervision.rules.kinds import KINDS


@strawberry.type
class BacktestFinding:
    case_number: str
    division_code: str
    department_code: str
    detail: str
    event_ids: list[str]
    node: str | None


@strawberry.type(description="What a rule would have flagged; nothing was written.")
class BacktestReport:
    cases_examined: int
    cases_flagged: int
    truncated: bool = strawberry.field(
        description="More cases matched than one backtest examines (the oldest were taken)."
    )
    findings: list[BacktestFinding] = strawberry.field(
        description="The first flagged cases (all are counted in casesFlagged)."
    )


@strawberry.type
class RuleQueries:
    @strawberry.field(
        description="监察点 that apply in the caller's part of the tree (set there or above).",
        permission_classes=[can("rule", "read", division_arg="division_code")],
    )
    async def monitoring_points(
        self, info: Info, division_code: str | None = None
    ) -> list[MonitoringPoint]:
        if division_code is not None:
            checked_division_code(division_code)
        rows = await info.context.db(
            config.list_points,
            scope=info.context.scope_for("rule", "read"),
            division_code=division_code,
        )
        return [MonitoringPoint.from_row(r) for r in rows]

    @strawberry.field(description="The rule kinds the engine knows, with their parameters.")
    def rule_kinds(self) -> list[RuleKindInfo]:
        return [RuleKindInfo.from_spec(spec) for spec in KINDS.values()]

    @strawberry.field(
        description="规则回测: replay the cases accepted in a window through a candidate rule "
        "and report what it would have flagged. Writes nothing.",
        permission_classes=[can("rule", "manage", division_arg="input.division_code")],
    )
    async def backtest_rule(self, info: Info, input: BacktestInput) -> BacktestReport:
        try:
            report = await info.context.db(
                backtest.backtest_rule,
                scope=info.context.scope_for("case", "read"),
                kind=input.kind.strip(),
                params=input.params,
                where=input.to_spec(),
                accepted_from=input.accepted_from,
                accepted_to=input.accepted_to,
            )
        except errors.RuleError as exc:
            extensions = {"field": exc.field}
            if isinstance(exc, errors.InvalidRule):
                extensions |= {"line": exc.line, "column": exc.column}
            raise CodedError(str(exc), exc.code, **extensions) from None
        return BacktestReport(
            cases_examined=report.cases_examined,
            cases_flagged=report.cases_flagged,
            truncated=report.truncated,
            findings=[
                BacktestFinding(
                    case_number=f.case_number,
                    division_code=f.division_code,
                    department_code=f.department_code,
                    detail=f.detail,
                    event_ids=list(f.event_ids),
                    node=f.node,
                )
                for f in report.findings
            ],
        )
