"""Facts kept per parsed document (api.graphql.documents), and the caches built on them."""

from __future__ import annotations

import asyncio

from graphql import parse

from api.graphql.cost import width_variables
from api.graphql.documents import MAX_FACTS, DocumentFacts
from api.graphql.limits import Limits
from api.graphql.schema import build_schema


def test_facts_are_found_by_the_document_itself_not_an_equal_one() -> None:
    facts = DocumentFacts(maxsize=4)
    document = parse("{ me { user } }")
    facts.put(document, "k", 1)
    assert facts.get(document, "k") == 1
    assert facts.get(parse("{ me { user } }"), "k") is None
    assert facts.get(document, "other") is None


def test_the_least_recently_used_document_is_dropped() -> None:
    facts = DocumentFacts(maxsize=2)
    a, b, c = (parse(f"{{ me {{ {f} }} }}") for f in ("user", "roles", "clearance"))
    facts.put(a, "k", "a")
    facts.put(b, "k", "b")
    assert facts.get(a, "k") == "a"  # a is now the most recent
    facts.put(c, "k", "c")
    assert facts.get(b, "k") is None
    assert (facts.get(a, "k"), facts.get(c, "k")) == ("a", "c")


def test_facts_about_one_document_are_bounded() -> None:
    facts = DocumentFacts(maxsize=2)
    document = parse("{ me { user } }")
    for i in range(MAX_FACTS + 10):
        facts.put(document, i, i)
    assert facts.get(document, MAX_FACTS - 1) == MAX_FACTS - 1
    assert facts.get(document, MAX_FACTS) is None


def test_width_variables_are_those_given_to_first_or_limit() -> None:
    document = parse(
        "query Q($n: Int!, $u: String) { auditLog(first: $n, user: $u) { __typename } "
        "...f } fragment f on Query { auditLog(first: 3) { __typename } }"
    )
    assert width_variables(document) == frozenset({"n"})


AUDIT = """
query A($n: Int!) {
  auditLog(first: $n) { ... on AuditEntryConnection { edges { node { seq user } } } }
}
"""


def test_a_kept_cost_follows_the_variables_it_depends_on() -> None:
    # Costs 1 + n * 4: the same (parser-cached) document is costed anew for each width given.
    schema = build_schema(Limits(max_cost=100))

    def codes(n: int) -> list[object]:
        result = asyncio.run(schema.execute(AUDIT, variable_values={"n": n}))
        return [(e.extensions or {}).get("code") for e in result.errors or ()]

    assert "QUERY_TOO_COSTLY" in codes(50)
    assert "QUERY_TOO_COSTLY" not in codes(2)
    assert "QUERY_TOO_COSTLY" in codes(50)


def test_a_kept_validation_result_is_reused_for_the_same_text() -> None:
    schema = build_schema(Limits())
    bad = "{ me { nope } }"
    first = asyncio.run(schema.execute(bad))
    again = asyncio.run(schema.execute(bad))
    assert first.errors is not None
    assert again.errors is not None
    assert [e.message for e in first.errors] == [e.message for e in again.errors]
    assert "Cannot query field 'nope'" in first.errors[0].message
