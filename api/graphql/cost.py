"""A query's estimated cost, and the extension that refuses a query above ``Limits.max_cost``.

Cost model: the number of values a query can make the server produce, bounded from above.

- every selected field costs 1 (``__typename`` costs nothing);
- a field with a ``first`` or ``limit`` argument returns up to that many items, so what is
  selected inside it counts that many times: ``cost = 1 + width * cost(selection)``, where
  ``width`` is the argument as given (a literal or a variable), else its default in the schema,
  else 1;
- a field that walks the graph hop by hop (``expand(hops:)``, ``paths(maxHops:)``) returns up to
  that many times more: its width is multiplied by the argument (as given, else its default);
- fragments count as if written out; the members of a union or interface are added up (only
  one applies per item, so this overestimates; an estimate must never be below the truth).

``auditLog(first: 50) { ... on AuditEntryConnection { edges { node { seq user } } } }`` costs
``1 + 50 * (1 + 1 + 2) = 201``. Lists that are not paged (``roles``) are small by construction;
a new list field that can be large must take ``first`` (and check it against
``Limits.max_page_size``), or it is costed as one item.

The cost is computed after validation with the request's variables (it cannot be cached with
the validation result, which is the same for every value of a variable); it is a walk over the
parsed document, far cheaper than executing it. ``CostLimiter`` keeps it with the document
(``api.graphql.documents``) under the values of the variables that give widths, the only ones
it depends on, so that a query seen before is not walked again.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_composite_type,
)
from graphql.language import DocumentNode
from strawberry.extensions import SchemaExtension

from api.graphql.documents import DocumentFacts

WIDTH_ARGUMENTS = ("first", "limit")
DEPTH_ARGUMENTS = ("hops", "maxHops")


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any],
) -> int:
    """The estimated cost of the operation ``operation_name`` (or the only one) of a valid
    document."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [
        op
        for op in operations
        if operation_name is None or (op.name is not None and op.name.value == operation_name)
    ]
    if not chosen:
        return 0
    operation = chosen[0]
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    return _cost(schema, operation.selection_set, root, fragments, variables)


def _cost(
    schema: GraphQLSchema,
    selection_set: SelectionSetNode,
    parent: GraphQLNamedType,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> int:
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            total += _field_cost(schema, selection, parent, fragments, variables)
        elif isinstance(selection, InlineFragmentNode):
            on = (
                schema.get_type(selection.type_condition.name.value)
                if selection.type_condition
                else parent
            )
            if on is not None:
                total += _cost(schema, selection.selection_set, on, fragments, variables)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            on = schema.get_type(fragment.type_condition.name.value) if fragment else None
            if fragment is not None and on is not None:
                total += _cost(schema, fragment.selection_set, on, fragments, variables)
    return total


def _field_cost(
    schema: GraphQLSchema,
    node: FieldNode,
    parent: GraphQLNamedType,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> int:
    name = node.name.value
    if name == "__typename":
        return 0
    field = _field(schema, parent, name)
    if node.selection_set is None or field is None:
        return 1
    child_type = get_named_type(field.type)
    if not is_composite_type(child_type):
        return 1
    inner = _cost(schema, node.selection_set, child_type, fragments, variables)
    return 1 + _width(node, field, variables) * inner


def _field(schema: GraphQLSchema, parent: GraphQLNamedType, name: str) -> GraphQLField | None:
    if not is_composite_type(parent):
        return None
    return schema.get_field(parent, name)


def _width(node: FieldNode, field: GraphQLField, variables: Mapping[str, Any]) -> int:
    return _factor(node, field, variables, WIDTH_ARGUMENTS) * _factor(
        node, field, variables, DEPTH_ARGUMENTS
    )


def _factor(
    node: FieldNode, field: GraphQLField, variables: Mapping[str, Any], names: tuple[str, ...]
) -> int:
    for argument in node.arguments or ():
        if argument.name.value not in names:
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return max(int(value.value), 1)
        if isinstance(value, VariableNode) and isinstance(
            given := variables.get(value.name.value), int
        ):
            return max(given, 1)
    for name in names:
        argument_def = field.args.get(name)
        if argument_def is not None and isinstance(argument_def.default_value, int):
            return max(argument_def.default_value, 1)
    return 1


def width_variables(document: DocumentNode) -> frozenset[str]:
    """The variables a document passes as a width or depth argument anywhere."""
    found: set[str] = set()
    pending: list[SelectionSetNode] = [
        d.selection_set
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode | FragmentDefinitionNode)
    ]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                found.update(
                    a.value.name.value
                    for a in selection.arguments or ()
                    if a.name.value in (*WIDTH_ARGUMENTS, *DEPTH_ARGUMENTS)
                    and isinstance(a.value, VariableNode)
                )
            selection_set = getattr(selection, "selection_set", None)
            if selection_set is not None:
                pending.append(selection_set)
    return frozenset(found)


def _cost_key(
    document: DocumentNode,
    facts: DocumentFacts,
    operation_name: str | None,
    variables: Mapping[str, Any],
) -> Hashable:
    names = facts.get(document, "width-variables")
    if names is None:
        names = width_variables(document)
        facts.put(document, "width-variables", names)
    # Only an integer gives a width (``_width``); anything else falls back to the default.
    values = tuple(
        (name, given if isinstance(given := variables.get(name), int) else None)
        for name in sorted(names)
    )
    return ("cost", operation_name, values)


class CostLimiter(SchemaExtension):
    """Refuse, before execution, an operation whose estimated cost is above ``max_cost``; with
    ``facts``, costs are kept with their documents."""

    def __init__(self, max_cost: int, facts: DocumentFacts | None = None) -> None:
        self.max_cost = max_cost
        self.facts = facts

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.result is None:
            variables = context.variables or {}
            key = None
            cost = None
            if self.facts is not None:
                key = _cost_key(document, self.facts, context.operation_name, variables)
                cost = self.facts.get(document, key)
            if cost is None:
                cost = query_cost(
                    context.schema._schema, document, context.operation_name, variables
                )
                if self.facts is not None:
                    self.facts.put(document, key, cost)
            if cost > self.max_cost:
                # A result set here replaces execution (strawberry runs none when one is set).
                context.result = ExecutionResult(
                    data=None,
                    errors=[
                        GraphQLError(
                            f"this query's estimated cost is {cost}, above the limit of "
                            f"{self.max_cost}: ask for fewer items (a smaller first) or nest "
                            "fewer lists",
                            extensions={"code": "QUERY_TOO_COSTLY", "cost": cost},
                        )
                    ],
                )
        yield
