"""What an operation may cost, estimated from its document before any resolver runs.

Each field costs 1, plus what is selected under it times how many items it may return:
on a connection, its edges and nodes count `first`/`last` times (the default page when
not given); other lists count that many times when they take a page size, else a fixed
guess; anything else once. Introspection costs 1 per meta field. The
estimate is reported in the response's `extensions.cost`; over the maximum the
operation is refused with QUERY_TOO_COSTLY and nothing is executed.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    NullValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from graphql.pyutils import Undefined
from strawberry.extensions import SchemaExtension

from schema.errors import CodedError
from schema.pagination import DEFAULT_PAGE

MAX_COST = 10_000
LIST_GUESS = 10  # items assumed of a list field that takes no page size
# root fields whose work does not follow what is selected: their own weight
WEIGHTS = {
    "publicStats": 2_000,  # eight aggregates over a subtree, whatever the selection
    "backtestRule": 5_000,  # replays up to 20,000 cases
}
PAGE_ARGUMENTS = ("first", "last")


class _Estimate:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict,
        defaults: dict,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.defaults = defaults  # the operation's variable defaults
        self.fragment_costs: dict[tuple[str, int], int] = {}

    def selections(self, selection_set: SelectionSetNode | None, parent, page: int = 1) -> int:
        """The cost of a selection on `parent`; `page`: the items of a connection."""
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(selection.selection_set, inner, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value, page)
        return total

    def fragment(self, name: str, page: int) -> int:
        key = (name, page)
        if key not in self.fragment_costs:
            self.fragment_costs[key] = 0  # a cycle is refused by validation; stop here
            definition = self.fragments.get(name)
            if definition is not None:
                inner = self.schema.get_type(definition.type_condition.name.value)
                self.fragment_costs[key] = self.selections(definition.selection_set, inner, page)
        return self.fragment_costs[key]

    def field(self, node: FieldNode, parent, page: int) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 1  # __typename, and introspection: bounded by the schema, not the data
        definition: GraphQLField | None = getattr(parent, "fields", {}).get(name)
        if definition is None:
            return 1
        if name in WEIGHTS and parent is self.schema.query_type:
            return WEIGHTS[name] + self.selections(
                node.selection_set, get_named_type(definition.type)
            )
        inner = get_named_type(definition.type)
        size = self.page_size(node, definition)
        if size is not None and _is_connection(inner):
            # its edges and nodes hold `size` items; totalCount and pageInfo one
            return 1 + self.selections(node.selection_set, inner, size)
        field_type = definition.type
        if isinstance(field_type, GraphQLNonNull):
            field_type = field_type.of_type
        if not isinstance(field_type, GraphQLList):
            items = 1
        elif _is_connection(parent):
            items = page
        else:
            items = size if size is not None else LIST_GUESS
        return 1 + items * self.selections(node.selection_set, inner)

    def page_size(self, node: FieldNode, definition: GraphQLField) -> int | None:
        """The `first`/`last` asked (the default page when not); None: no such argument."""
        argument = next((a for a in PAGE_ARGUMENTS if a in definition.args), None)
        if argument is None:
            return None
        value: object = Undefined
        for given in node.arguments or ():
            if given.name.value != argument:
                continue
            if isinstance(given.value, IntValueNode):
                value = int(given.value.value)
            elif isinstance(given.value, VariableNode):
                variable = given.value.name.value
                value = self.variables.get(variable, self.defaults.get(variable, Undefined))
            elif isinstance(given.value, NullValueNode):
                value = None
        if value is Undefined:
            value = definition.args[argument].default_value
        return max(value, 0) if isinstance(value, int) else DEFAULT_PAGE


def _is_connection(named) -> bool:
    return isinstance(named, GraphQLNamedType) and named.name.endswith("Connection")


def estimate(
    schema: GraphQLSchema, document, operation_name: str | None, variables: dict | None
) -> int | None:
    """The cost of the operation chosen from `document`; None when there is no such one."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        return None
    operation = operations[0]
    root = schema.get_root_type(operation.operation)
    if root is None:
        return None
    defaults = {}
    for definition in operation.variable_definitions or ():
        if isinstance(definition.default_value, IntValueNode):
            defaults[definition.variable.name.value] = int(definition.default_value.value)
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return _Estimate(schema, fragments, variables or {}, defaults).selections(
        operation.selection_set, root
    )


class QueryCost(SchemaExtension):
    """Refuses an operation estimated above `maximum`; reports the estimate."""

    def __init__(self, *, maximum: int = MAX_COST) -> None:
        self.maximum = maximum
        self.cost: int | None = None

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:
            self.cost = estimate(
                context.schema._schema,
                context.graphql_document,
                context.operation_name,
                context.variables,
            )
            if self.cost is not None and self.cost > self.maximum and context.result is None:
                context.result = ExecutionResult(
                    data=None,
                    errors=[
                        CodedError(
                            f"this operation is estimated to cost {self.cost}, above the "
                            f"maximum of {self.maximum}: ask for smaller pages or fewer fields",
                            "QUERY_TOO_COSTLY",
                            cost=self.cost,
                            maximum=self.maximum,
                        )
                    ],
                )
        yield

    def get_results(self) -> dict:
        if self.cost is None:
            return {}
        return {"cost": {"requested": self.cost, "maximum": self.maximum}}
