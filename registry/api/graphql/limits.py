"""What one GraphQL query may ask, so that none ties up the server: its depth (Strawberry's `QueryDepthLimiter`),
its size (`MaxTokensLimiter`) and its cost, estimated here before anything is read.

The cost is how many values the answer could hold: every field asked counts 1, and a list multiplies what is
asked of its items by their number, at most: a page by its `limit` (the page size when not given), a list that
is not paged (a milestone's history, a submission's evidence) by `UNPAGED_ITEMS`. Aliases count each time.
Introspection (`__schema`, `__type`), which clients and tools send to learn the schema, counts the same way with
the schema's own sizes (its number of types, the most fields of a type, ...) against a budget of its own: twice
what the standard introspection query asks, so a nested one (`fields { type { fields { ... } } }`) is refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DirectiveLocation,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    VariableNode,
    get_introspection_query,
    get_named_type,
    get_nullable_type,
    get_operation_ast,
    is_list_type,
    parse,
)
from strawberry.extensions import SchemaExtension

#: How many items a list that is not paged counts for (a history is a handful of steps).
UNPAGED_ITEMS = 10
#: The most tokens a query may hold (the standard introspection query has about 300).
MAX_TOKENS = 5000


@dataclass(frozen=True)
class Cost:
    """What a query could ask: values of the registry's records, and of the schema's description."""

    data: int = 0
    introspection: int = 0

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.data + other.data, self.introspection + other.introspection)

    def __mul__(self, times: int) -> Cost:
        return Cost(self.data * times, self.introspection * times)


class Refused(Exception):
    """A query asks more than it may: the error to answer instead."""

    def __init__(self, error: GraphQLError) -> None:
        self.error = error
        super().__init__(error.message)


@dataclass
class CostLimits:
    """The bounds of every query, shared by the requests (the schema's sizes are measured at the first)."""

    max_cost: int
    page_size: int
    max_page_size: int
    _sizes: dict[str, int] | None = field(default=None, init=False)
    _introspection_budget: int | None = field(default=None, init=False)

    def sizes(self, schema: GraphQLSchema) -> dict[str, int]:
        """The most items each introspection list can hold in `schema`."""
        if self._sizes is None:
            types = list(schema.type_map.values())
            with_fields = [t for t in types if isinstance(t, GraphQLObjectType | GraphQLInterfaceType)]
            fields = [f for t in with_fields for f in t.fields.values()]
            inputs = [t for t in types if isinstance(t, GraphQLInputObjectType)]
            enums = [t for t in types if isinstance(t, GraphQLEnumType)]
            self._sizes = {
                "types": len(types),
                "fields": max((len(t.fields) for t in with_fields), default=1),
                "args": max([len(f.args) for f in fields] + [len(d.args) for d in schema.directives] + [1]),
                "inputFields": max((len(t.fields) for t in inputs), default=1),
                "enumValues": max((len(t.values) for t in enums), default=1),
                "interfaces": max([len(t.interfaces) for t in with_fields] + [1]),
                "possibleTypes": max(len(with_fields), 1),
                "directives": max(len(schema.directives), 1),
                "locations": len(DirectiveLocation),
            }
        return self._sizes

    def introspection_budget(self, schema: GraphQLSchema) -> int:
        if self._introspection_budget is None:
            standard = parse(get_introspection_query(descriptions=True, specified_by_url=True,
                                                     directive_is_repeatable=True, schema_description=True,
                                                     input_value_deprecation=True))  # fmt: skip
            self._introspection_budget = 2 * self.cost(schema, standard, None, {}).introspection
        return self._introspection_budget

    def cost(
        self, schema: GraphQLSchema, document: Any, operation_name: str | None, variables: Mapping[str, Any]
    ) -> Cost:
        operation = get_operation_ast(document, operation_name)
        if operation is None or schema.query_type is None:
            return Cost()
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        return _Estimate(self, schema, fragments, variables, operation).of(
            operation.selection_set, schema.query_type, None, introspective=False
        )

    def check(
        self, schema: GraphQLSchema, document: Any, operation_name: str | None, variables: Mapping[str, Any]
    ) -> None:
        """Raises `Refused` if the query could ask more than the limits allow."""
        cost = self.cost(schema, document, operation_name, variables)
        if cost.data > self.max_cost:
            raise Refused(GraphQLError(
                f"query too costly: its answer could hold {cost.data:,} values (each field asked counts 1, a list "
                f"multiplies its items' fields by its `limit`, {self.page_size} when not given, or by "
                f"{UNPAGED_ITEMS} if it has none), more than this server's limit of {self.max_cost:,}; ask for "
                f"smaller pages, fewer fields or fewer nested lists",
                extensions={"code": "QUERY_TOO_COSTLY", "cost": cost.data, "maxCost": self.max_cost},
            ))  # fmt: skip
        budget = self.introspection_budget(schema)
        if cost.introspection > budget:
            raise Refused(GraphQLError(
                f"introspection too costly: it could describe {cost.introspection:,} parts of the schema, more than "
                f"twice the standard introspection query ({budget:,}); ask for the schema as "
                "getIntrospectionQuery() does, or read it at /api/v1/graphql/schema.graphql",
                extensions={"code": "QUERY_TOO_COSTLY", "cost": cost.introspection, "maxCost": budget},
            ))  # fmt: skip


@dataclass
class _Estimate:
    limits: CostLimits
    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    operation: OperationDefinitionNode
    _fragment_costs: dict[tuple[str, int | None, bool], Cost] = field(default_factory=dict)

    def of(self, selections: SelectionSetNode, parent: GraphQLNamedType, items: int | None, *,
           introspective: bool) -> Cost:  # fmt: skip
        """The cost of `selections` of a `parent`; `items` is the number of items of the page they belong to."""
        total = Cost()
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, items, introspective)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(selection.name.value, items, introspective)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                within = self.schema.get_type(condition.name.value) if condition else parent
                if within is not None:
                    total += self.of(selection.selection_set, within, items, introspective=introspective)
        return total

    def _fragment(self, name: str, items: int | None, introspective: bool) -> Cost:
        # Worked out once per place it can stand: spreads of spreads would otherwise be counted exponentially often.
        key = (name, items, introspective)
        if key not in self._fragment_costs:
            fragment = self.fragments.get(name)
            within = None if fragment is None else self.schema.get_type(fragment.type_condition.name.value)
            self._fragment_costs[key] = (
                Cost() if fragment is None or within is None
                else self.of(fragment.selection_set, within, items, introspective=introspective)
            )  # fmt: skip
        return self._fragment_costs[key]

    def _field(self, node: FieldNode, parent: GraphQLNamedType, items: int | None, introspective: bool) -> Cost:
        name = node.name.value
        definition = self._definition(parent, name)
        introspective = introspective or name in ("__schema", "__type")
        one = Cost(introspection=1) if introspective else Cost(data=1)
        if definition is None:  # __typename, or what validation refused
            return one
        page = self._limit(node, definition) if "limit" in definition.args else None
        below = (
            self.of(node.selection_set, get_named_type(definition.type), page, introspective=introspective)
            if node.selection_set else Cost()
        )  # fmt: skip
        if not is_list_type(get_nullable_type(definition.type)):
            return one + below
        if introspective:
            count = self.limits.sizes(self.schema).get(name, UNPAGED_ITEMS)
        elif name == "items" and items is not None:
            count = items
        else:
            count = UNPAGED_ITEMS
        return (one + below) * count

    def _definition(self, parent: GraphQLNamedType, name: str) -> GraphQLField | None:
        if name == "__schema":
            return SchemaMetaFieldDef
        if name == "__type":
            return TypeMetaFieldDef
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            found: GraphQLField | None = parent.fields.get(name)
            return found
        return None

    def _limit(self, node: FieldNode, definition: GraphQLField) -> int:
        """A page's `limit` as asked (a literal or a variable), checked as the REST API checks it."""
        value: object = None
        for argument in node.arguments or ():
            if argument.name.value != "limit":
                continue
            if isinstance(argument.value, IntValueNode):
                value = int(argument.value.value)
            elif isinstance(argument.value, VariableNode):
                value = self._variable(argument.value.name.value)
        if value is None:
            return min(self.limits.page_size, self.limits.max_page_size)
        if not isinstance(value, int) or isinstance(value, bool):
            return self.limits.max_page_size  # refused as it is coerced, when the query runs
        if value < 1:
            raise Refused(_limit_error(f"limit: at least 1 item per page (got {value})", node))
        if value > self.limits.max_page_size:
            raise Refused(_limit_error(f"limit: at most {self.limits.max_page_size} items per page (got {value})",
                                       node))  # fmt: skip
        return value

    def _variable(self, name: str) -> object:
        if name in self.variables:
            return self.variables[name]
        for definition in self.operation.variable_definitions or ():
            if definition.variable.name.value == name and isinstance(definition.default_value, IntValueNode):
                return int(definition.default_value.value)
        return None


def _limit_error(message: str, node: FieldNode) -> GraphQLError:
    return GraphQLError(message, [node], extensions={"code": "BAD_USER_INPUT", "status": 422, "parameter": "limit"})


class QueryCost(SchemaExtension):
    """Refuses, before it runs, a query whose answer could be larger than the limits allow (`CostLimits`)."""

    def __init__(self, limits: CostLimits) -> None:
        self.limits = limits

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and not context.result:
            try:
                self.limits.check(context.schema._schema, context.graphql_document, context.operation_name,
                                  context.variables or {})  # fmt: skip
            except Refused as refused:
                context.result = ExecutionResult(data=None, errors=[refused.error])
        yield
