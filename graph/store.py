"""The one interface to the graph: ``GraphStore``.

Two engines implement it (``graph.falkor.FalkorStore`` for the embedded or a remote FalkorDB
server, ``graph.neo4j_store.Neo4jStore`` for Neo4j); one contract suite
(tests/graph/test_contract.py) holds both to the same behaviour. What differs between the engines'
Cypher lives in their dialect objects (``graph.dialect``), never in ``if backend == ...`` here.

Conventions every implementation keeps:

- Every Clew node and relationship has a deterministic string ``id`` property (see
  ``schema.ids``); upserts MERGE on it, so a reload changes nothing.
- Parameters may hold str, int, float, bool, None, lists, maps, ``date`` and ``datetime``.
  Temporal values are stored as ISO-8601 strings on every engine: they sort and range-scan
  correctly, carry the partial dates sources give ("1962-07"), and read back the same from both
  engines. Non-finite floats are refused (no engine stores them faithfully). Floats are stored
  exactly, but FalkorDB's replies print them with 15 significant digits (and the largest
  doubles overflow to infinity on the way back): compare in Cypher when exactness matters.
- A list stored as a property holds one type (Neo4j refuses mixed lists; FalkorDB would not).
- Count relationships with ``count(r)``, not ``count(*)``: FalkorDB 4.16 counts parallel
  relationships between the same two nodes once under ``count(*)`` when ``r`` is unused.
- ``write`` and every batch of an upsert are durable when they return: the engine has confirmed
  that the change reached disk (FalkorDB: ``appendfsync always`` confirmed by ``WAITAOF``; Neo4j:
  a committed transaction).
- A failed statement applies nothing; a failed batch applies nothing of that batch, and the
  batches before it stay (each was acknowledged).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from graph.projection import EdgeChunk, NodeChunk, Projection, ProjectionSpec
from graph.results import Result, UpsertSummary
from schema.specs import SchemaObject

Params = Mapping[str, Any]

DEFAULT_BATCH_SIZE = 5_000


@dataclass(frozen=True, slots=True)
class Health:
    """What a health check found."""

    ok: bool
    engine: str
    version: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class SchemaState:
    """Schema objects as the engine reports them (names are Clew's deterministic names where
    the engine keeps names, otherwise derived from label and properties)."""

    indexes: tuple[str, ...]
    constraints: tuple[str, ...]
    fulltext: tuple[str, ...]


class WriteTransaction(Protocol):
    """Statements that commit together or not at all.

    ``run`` queues a statement; nothing is visible to other readers until the transaction
    commits, which it does when the ``with`` block ends without an exception. An exception in the
    block, or an engine error in any statement, applies none of them. Statements in a transaction
    return no rows (use ``GraphStore.write`` for a write whose rows you need).
    """

    def run(self, query: str, params: Params | None = None) -> None: ...


@runtime_checkable
class GraphStore(Protocol):
    """A graph database, as Clew uses one."""

    @property
    def engine(self) -> str:
        """``falkordb`` or ``neo4j``."""
        ...

    @property
    def location(self) -> str:
        """Where the store is, for messages (no credentials)."""
        ...

    def read(
        self, query: str, params: Params | None = None, *, timeout_ms: int | None = None
    ) -> Result:
        """Run a read-only query; a query that would write raises ``ReadOnlyViolation``."""
        ...

    def write(
        self, query: str, params: Params | None = None, *, timeout_ms: int | None = None
    ) -> Result:
        """Run one write statement, durably."""
        ...

    def transaction(self) -> AbstractContextManager[WriteTransaction]:
        """Several write statements that commit together, durably."""
        ...

    def upsert_nodes(
        self,
        label: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        extra_labels: tuple[str, ...] = (),
    ) -> UpsertSummary:
        """MERGE nodes on ``id`` and set the other keys of each row as properties.

        Each row is a map with an ``id`` key; a key whose value is None removes that property.
        Rows are sent in batches of ``batch_size``, each one statement, each durable.
        """
        ...

    def upsert_edges(
        self,
        rel_type: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        start_label: str,
        end_label: str,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> UpsertSummary:
        """MERGE relationships on their ``id`` between existing nodes.

        Each row has ``start`` and ``end`` (the ends' ``id``), ``id`` (the relationship's own) and
        optionally ``props`` (a map set on the relationship). Rows whose start or end does not
        exist write nothing and are counted in ``UpsertSummary.missing``.
        """
        ...

    def write_back(
        self,
        label: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> UpsertSummary:
        """SET properties on existing nodes (algorithm results): each row is ``id`` plus the
        properties to set. Nodes are never created here; unmatched rows count as missing."""
        ...

    def apply_schema(self, obj: SchemaObject) -> None:
        """Create an index, unique constraint or full-text index if it does not exist."""
        ...

    def drop_schema(self, obj: SchemaObject) -> None:
        """Drop an index, unique constraint or full-text index if it exists."""
        ...

    def schema_state(self) -> SchemaState:
        """The indexes, constraints and full-text indexes that exist now."""
        ...

    def stream_nodes(self, spec: ProjectionSpec) -> Iterator[NodeChunk]:
        """The projection's nodes, one window of internal ids at a time."""
        ...

    def stream_edges(self, spec: ProjectionSpec) -> Iterator[EdgeChunk]:
        """The projection's relationships, one window of internal ids at a time."""
        ...

    def export_projection(self, spec: ProjectionSpec) -> Projection:
        """The projection, gathered into arrays."""
        ...

    def health(self) -> Health:
        """Whether the engine answers, and its version."""
        ...

    def clear(self) -> None:
        """Delete every node, relationship and schema object (tests and ``clew db reset``)."""
        ...

    def close(self) -> None:
        """Release connections; the store cannot be used afterwards."""
        ...
