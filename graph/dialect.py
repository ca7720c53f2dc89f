"""What differs between the engines' Cypher, in one object per engine.

The stores ask their dialect for text; nothing else in Clew branches on the engine. Labels,
types and property names spliced in here have been checked as plain identifiers by
``schema.specs``/``graph.cypher`` (engines take no parameters in DDL or in labels).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from schema.specs import FullTextSpec, IndexSpec, UniqueSpec


class Dialect(Protocol):
    name: str

    def create_index(self, spec: IndexSpec) -> str: ...
    def drop_index(self, spec: IndexSpec) -> str: ...
    def create_fulltext(self, spec: FullTextSpec) -> str: ...
    def drop_fulltext(self, spec: FullTextSpec) -> str: ...
    def fulltext_query(self, spec: FullTextSpec) -> str:
        """Nodes matching ``$query``, best first, as ``node, score`` rows (limit ``$limit``)."""
        ...

    def internal_id(self, variable: str) -> str:
        """An expression for a node's engine-internal id, usable in a window filter."""
        ...


def _pattern(spec: IndexSpec, var: str) -> str:
    if spec.entity == "node":
        return f"({var}:{spec.label})"
    return f"()-[{var}:{spec.label}]-()"


@dataclass(frozen=True, slots=True)
class FalkorDialect:
    """FalkorDB 4.x. Indexes are unnamed (identified by label and properties); a unique
    constraint is a ``GRAPH.CONSTRAINT`` command, not Cypher, so the store issues it itself;
    full-text indexes are one per label and are queried by label."""

    name: str = "falkordb"

    def create_index(self, spec: IndexSpec) -> str:
        props = ", ".join(f"x.{p}" for p in spec.properties)
        return f"CREATE INDEX FOR {_pattern(spec, 'x')} ON ({props})"

    def drop_index(self, spec: IndexSpec) -> str:
        props = ", ".join(f"x.{p}" for p in spec.properties)
        return f"DROP INDEX FOR {_pattern(spec, 'x')} ON ({props})"

    def create_fulltext(self, spec: FullTextSpec) -> str:
        props = ", ".join(f"x.{p}" for p in spec.properties)
        return f"CREATE FULLTEXT INDEX FOR (x:{spec.label}) ON ({props})"

    def drop_fulltext(self, spec: FullTextSpec) -> str:
        props = ", ".join(f"x.{p}" for p in spec.properties)
        return f"DROP FULLTEXT INDEX FOR (x:{spec.label}) ON ({props})"

    def fulltext_query(self, spec: FullTextSpec) -> str:
        return (
            f"CALL db.idx.fulltext.queryNodes('{spec.label}', $query) YIELD node, score "
            "RETURN node, score ORDER BY score DESC LIMIT $limit"
        )

    def internal_id(self, variable: str) -> str:
        return f"id({variable})"


@dataclass(frozen=True, slots=True)
class Neo4jDialect:
    """Neo4j 5. Every schema object is named (Clew's deterministic names) and created with
    ``IF NOT EXISTS``, so re-applying is a no-op on the engine itself."""

    name: str = "neo4j"

    def create_index(self, spec: IndexSpec) -> str:
        props = ", ".join(f"x.{p}" for p in spec.properties)
        return f"CREATE INDEX {spec.name} IF NOT EXISTS FOR {_pattern(spec, 'x')} ON ({props})"

    def drop_index(self, spec: IndexSpec) -> str:
        return f"DROP INDEX {spec.name} IF EXISTS"

    def create_unique(self, spec: UniqueSpec) -> str:
        return (
            f"CREATE CONSTRAINT {spec.name} IF NOT EXISTS "
            f"FOR (x:{spec.label}) REQUIRE x.{spec.property} IS UNIQUE"
        )

    def drop_unique(self, spec: UniqueSpec) -> str:
        return f"DROP CONSTRAINT {spec.name} IF EXISTS"

    def create_fulltext(self, spec: FullTextSpec) -> str:
        props = ", ".join(f"x.{p}" for p in spec.properties)
        return (
            f"CREATE FULLTEXT INDEX {spec.name} IF NOT EXISTS "
            f"FOR (x:{spec.label}) ON EACH [{props}]"
        )

    def drop_fulltext(self, spec: FullTextSpec) -> str:
        return f"DROP INDEX {spec.name} IF EXISTS"

    def fulltext_query(self, spec: FullTextSpec) -> str:
        return (
            f"CALL db.index.fulltext.queryNodes('{spec.name}', $query) YIELD node, score "
            "RETURN node, score ORDER BY score DESC LIMIT $limit"
        )

    def internal_id(self, variable: str) -> str:
        return f"elementId({variable})"
