"""The cost model of api.graphql.cost on the real schema."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import parse

from api.graphql.cost import query_cost
from api.graphql.limits import Limits
from api.graphql.schema import build_schema

SCHEMA = build_schema(Limits())._schema

AUDIT = """
query A($n: Int!) {
  auditLog(first: $n) { ... on AuditEntryConnection { edges { node { seq user } } } }
}
"""


def cost(query: str, variables: dict[str, Any] | None = None, name: str | None = None) -> int:
    return query_cost(SCHEMA, parse(query), name, variables or {})


def test_each_field_costs_one_and_typename_nothing() -> None:
    assert cost("{ me { user roles __typename } }") == 3


def test_a_paged_field_multiplies_what_it_selects() -> None:
    # auditLog 1 + 50 * (edges 1 + node 1 + seq 1 + user 1)
    assert cost(AUDIT, {"n": 50}) == 201
    literal = "{ auditLog(first: 7) { ... on AuditEntryConnection { edges { node { seq } } } } }"
    assert cost(literal) == 1 + 7 * 3


def test_the_schema_default_applies_when_first_is_not_given() -> None:
    query = "{ auditLog { ... on AuditEntryConnection { edges { cursor } } } }"
    assert cost(query) == 1 + 50 * 2


@pytest.mark.parametrize("operation", ["One", "Two"])
def test_the_named_operation_is_costed(operation: str) -> None:
    document = "query One { me { user } } query Two { me { user roles clearance } }"
    assert cost(document, name=operation) == {"One": 2, "Two": 4}[operation]


def test_fragments_count_as_written_out() -> None:
    query = "query { me { ...who } } fragment who on Me { user roles }"
    assert cost(query) == 3
