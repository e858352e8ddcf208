"""addRule: 新增监察规则 on a monitoring point; a CUSTOM expression is compiled when saved."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.context import Info
from schema.errors import InvalidInput, NotFound, NotPermitted
from schema.permissions import permitted
from schema.rules.config_changes import RulePayload, actor, commit_config, rule_payload
from schema.rules.config_inputs import RuleInput
from schema.rules.config_types import InvalidRule
from supervision.rules import config

AddRuleResult = Annotated[
    RulePayload | NotPermitted | NotFound | InvalidRule | InvalidInput,
    strawberry.union("AddRuleResult"),
]


@strawberry.type
class AddRuleMutation:
    @strawberry.mutation(
        description="新增监察规则: a rule on a point; used from the next fact on, no restart. "
        "A malformed CUSTOM expression is refused with its line and column."
    )
    @permitted("rule", "manage")
    async def add_rule(self, info: Info, point_id: int, input: RuleInput) -> AddRuleResult:
        return rule_payload(
            await commit_config(
                info,
                lambda s: config.add_rule(
                    session=s,
                    scope=info.context.scope_for("rule", "manage"),
                    point_id=point_id,
                    spec=input.to_spec(),
                    actor=actor(info),
                ),
            )
        )
