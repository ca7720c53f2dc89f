"""Engine-neutral values that queries return.

Both engines' driver objects (FalkorDB ``Node``/``Edge``/``Path``, Neo4j ``Node``/``Relationship``/
``Path``) are converted into these plain values at the store boundary, so that nothing above
``graph`` ever sees a driver type and the contract tests can compare engines value for value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class NodeValue:
    labels: tuple[str, ...]
    properties: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class EdgeValue:
    type: str
    properties: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class PathValue:
    nodes: tuple[NodeValue, ...]
    edges: tuple[EdgeValue, ...]


@dataclass(frozen=True, slots=True)
class Counters:
    """What a write changed, as the engine reported it."""

    nodes_created: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0
    labels_added: int = 0

    def __add__(self, other: Counters) -> Counters:
        return Counters(
            nodes_created=self.nodes_created + other.nodes_created,
            nodes_deleted=self.nodes_deleted + other.nodes_deleted,
            relationships_created=self.relationships_created + other.relationships_created,
            relationships_deleted=self.relationships_deleted + other.relationships_deleted,
            properties_set=self.properties_set + other.properties_set,
            labels_added=self.labels_added + other.labels_added,
        )


@dataclass(frozen=True, slots=True)
class Result:
    """Rows of a query, with the column names and (for writes) the counters."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    counters: Counters = field(default_factory=Counters)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def single(self) -> Any:
        """The one value of a one-row, one-column result."""
        if len(self.rows) != 1 or len(self.columns) != 1:
            raise ValueError(f"expected one value, got {len(self.rows)} rows x {len(self.columns)}")
        return self.rows[0][0]


@dataclass(frozen=True, slots=True)
class UpsertSummary:
    """What a batched upsert did: rows sent, rows the engine matched or merged, batches."""

    rows: int = 0
    written: int = 0
    batches: int = 0
    counters: Counters = field(default_factory=Counters)

    @property
    def missing(self) -> int:
        """Rows that wrote nothing: for edges, rows whose start or end node does not exist."""
        return self.rows - self.written

    def __add__(self, other: UpsertSummary) -> UpsertSummary:
        return UpsertSummary(
            rows=self.rows + other.rows,
            written=self.written + other.written,
            batches=self.batches + other.batches,
            counters=self.counters + other.counters,
        )
