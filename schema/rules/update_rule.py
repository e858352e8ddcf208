"""updateRule: change a rule's parameters, level, basis, validity or escalation; switch it."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.context import Info
from schema.errors import InvalidInput, NotFound, NotPermitted
from schema.permissions import permitted
from schema.rules.config_changes import RulePayload, commit_config, rule_payload
from schema.rules.config_inputs import RuleChangesInput
from schema.rules.config_types import InvalidRule
from supervision.rules import config

UpdateRuleResult = Annotated[
    RulePayload | NotPermitted | NotFound | InvalidRule | InvalidInput,
    strawberry.union("UpdateRuleResult"),
]


@strawberry.type
class UpdateRuleMutation:
    @strawberry.mutation(
        description="Change a rule (only the fields given) or switch it off or on. Warnings it "
        "already raised stay as they are."
    )
    @permitted("rule", "manage")
    async def update_rule(self, info: Info, id: int, input: RuleChangesInput) -> UpdateRuleResult:
        return rule_payload(
            await commit_config(
                info,
                lambda s: config.update_rule(
                    session=s,
                    scope=info.context.scope_for("rule", "manage"),
                    rule_id=id,
                    changes=input.to_changes(),
                ),
            )
        )
