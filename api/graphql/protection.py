"""The schema extensions that protect the API and keep it fast, in the order they run.

- ``MaxTokensLimiter``: a document of more than ``max_tokens`` tokens is refused while parsing,
  before a large document costs anything;
- ``ParserCache`` and ``DocumentValidationCache``: a query text seen before is neither parsed
  nor validated again (the issue measured 4.4 ms of CPU per request without them). Both caches
  are bounded LRUs (``CACHE_SIZE`` documents), shared by every request of the schema. Validation
  results are found by the parsed document's identity (``api.graphql.documents``), not by its
  value as strawberry's ``ValidationCache`` finds them: hashing a document walks all of it;
- the validation rules of ``QueryDepthLimiter`` (``max_depth``), ``MaxAliasesLimiter``
  (``max_aliases``) and, when introspection is off, ``DisableIntrospection``. They are built
  once per schema and added by one ``AddValidationRules``: each of those extensions makes a new
  rule class when it is constructed, and a new class per request would make every validation
  a miss of the validation cache, whose key includes the rules;
- ``CostLimiter``: the estimated cost (``api.graphql.cost``) at most ``max_cost`` (kept with the
  document for the values of the variables it depends on);
- ``Recorder``: notes the operation and its root fields in the request's ``Exchange``;
- ``MaskUnexpected``: an error the caller cannot act on is replaced by "Unexpected error" and
  the request id (the original is logged with it by ``ClewSchema.process_errors``). Syntax,
  validation, limit and variable errors, and store timeouts, are expected and keep their message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from graphql import FieldNode, GraphQLError, OperationDefinitionNode
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.schema import validate_document

from api.graphql.context import Context
from api.graphql.cost import CostLimiter
from api.graphql.documents import DocumentFacts
from api.graphql.limits import Limits
from schema.errors import QueryTimeout

CACHE_SIZE = 1_024
MASKED_MESSAGE = "Unexpected error: it was logged; quote the requestId to the service's operator"
EXPECTED_EXCEPTIONS: tuple[type[Exception], ...] = (QueryTimeout,)


def is_unexpected(error: GraphQLError) -> bool:
    """Whether an error is masked: one raised by code (a resolver, an extension) that is not an
    expected exception. graphql-core's own errors (syntax, validation, variable values) carry no
    original exception, or a GraphQLError, and say what to fix."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False
    return not isinstance(original, EXPECTED_EXCEPTIONS)


class MaskUnexpected(MaskErrors):
    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected, error_message=MASKED_MESSAGE)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        context = self.execution_context.context
        request_id = context.request_id if isinstance(context, Context) else None
        return GraphQLError(
            message=self.error_message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": "INTERNAL", "requestId": request_id},
        )


class DocumentValidationCache(SchemaExtension):
    """Validate a document once per schema and set of rules; later requests with the same
    (parser-cached) document reuse the errors found then."""

    def __init__(self, facts: DocumentFacts) -> None:
        self.facts = facts

    def on_validate(self) -> Iterator[None]:
        execution = self.execution_context
        document = execution.graphql_document
        if document is not None:
            schema = execution.schema._schema
            key = ("validation", id(schema), execution.validation_rules)
            errors = self.facts.get(document, key)
            if errors is None:
                errors = validate_document(schema, document, execution.validation_rules)
                self.facts.put(document, key, errors)
            execution.pre_execution_errors = errors
        yield


class Recorder(SchemaExtension):
    """Notes the operation's name and root fields (the metrics' bounded label) once the document
    is valid; the view reads them from the ``Exchange``."""

    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        context = execution.context
        if isinstance(context, Context):
            context.exchange.operation = execution.operation_name
            context.exchange.root_fields = _root_fields(
                execution.graphql_document, execution.operation_name
            )
        yield


def _root_fields(document: object, operation_name: str | None) -> tuple[str, ...]:
    definitions = getattr(document, "definitions", ())
    for definition in definitions:
        if isinstance(definition, OperationDefinitionNode) and (
            operation_name is None
            or (definition.name is not None and definition.name.value == operation_name)
        ):
            return tuple(
                sorted(
                    {
                        s.name.value
                        for s in definition.selection_set.selections
                        if isinstance(s, FieldNode) and s.name.value != "__typename"
                    }
                )
            )
    return ()


def schema_extensions(limits: Limits) -> list[Callable[[], SchemaExtension]]:
    """Factories of the extensions above (strawberry makes each one anew per request)."""
    rules = [
        *QueryDepthLimiter(max_depth=limits.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules,
    ]
    if not limits.introspection:
        rules.extend(DisableIntrospection().validation_rules)
    facts = DocumentFacts(CACHE_SIZE)
    return [
        MaskUnexpected,
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: ParserCache(maxsize=CACHE_SIZE),
        lambda: AddValidationRules(rules),
        lambda: DocumentValidationCache(facts),
        lambda: CostLimiter(limits.max_cost, facts),
        Recorder,
    ]
