"""Writing what a load reads: source records (created, rewritten when their raw row changed,
otherwise untouched) and reference entities (merged on their deterministic id)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph import cypher
from graph.store import GraphStore


@dataclass(frozen=True, slots=True)
class RecordWrite:
    """What one batch of records did to the graph."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: RecordWrite) -> RecordWrite:
        return RecordWrite(
            self.created + other.created,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )


def write_records(
    store: GraphStore, kind_label: str, rows: Sequence[Mapping[str, Any]]
) -> RecordWrite:
    """Upsert one batch of record rows of one kind, durably, as one statement.

    Each row is a record's node properties (``Record.node_properties()``): an ``id`` and a
    ``raw_hash`` at least.
    """
    if not rows:
        return RecordWrite()
    result = store.write(cypher.upsert_records(kind_label), {"rows": list(rows)})
    created = result.counters.nodes_created
    updated = int(result.single())
    return RecordWrite(created=created, updated=updated, unchanged=len(rows) - created - updated)


def write_entities(store: GraphStore, label: str, rows: Sequence[Mapping[str, Any]]) -> RecordWrite:
    """Upsert one batch of reference entities (airports, airlines) of one label: the newest
    reference file's values win. ``unchanged`` is not known for entities and stays 0."""
    if not rows:
        return RecordWrite()
    summary = store.upsert_nodes(label, rows, batch_size=max(len(rows), 1))
    created = summary.counters.nodes_created
    return RecordWrite(created=created, updated=summary.written - created)
