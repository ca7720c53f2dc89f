"""Writing what a load reads: source records (created, rewritten when their raw row changed,
otherwise untouched), entities (merged on their deterministic id; a value a source does not
know never erases one another source gave) and asserted relationships (merged on their id, the
records behind them accumulated)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph import cypher
from graph.store import GraphStore
from schema.access import ACCESS_PROPERTIES


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
    """Upsert one batch of entities of one label. Absent (None or empty) values are left out,
    so that a record that does not know a company's name does not erase it; a known value
    replaces the one before, except ``sensitivity``, which only rises. ``unchanged`` is not
    known for entities and stays 0."""
    if not rows:
        return RecordWrite()
    known = [{k: v for k, v in row.items() if v is not None and v != []} for row in rows]
    result = store.write(cypher.upsert_entities(label), {"rows": known})
    created = result.counters.nodes_created
    return RecordWrite(created=created, updated=int(result.single()) - created)


def write_referenced(
    store: GraphStore, label: str, rows: Sequence[Mapping[str, Any]]
) -> RecordWrite:
    """Create the entities of one label that do not exist yet; existing ones are untouched."""
    if not rows:
        return RecordWrite()
    known = [{k: v for k, v in row.items() if v is not None and v != []} for row in rows]
    result = store.write(cypher.create_missing(label), {"rows": known})
    created = result.counters.nodes_created
    return RecordWrite(created=created, unchanged=len(known) - created)


def write_edges(
    store: GraphStore,
    rel_type: str,
    start_label: str,
    end_label: str,
    rows: Sequence[Mapping[str, Any]],
) -> tuple[int, int]:
    """Upsert one batch of asserted relationships (``Edge.upsert_row()`` rows: ``id``,
    ``start``, ``end``, ``props`` with ``record_ids``). Returns (written, missing ends)."""
    if not rows:
        return 0, 0
    prepared = []
    for row in rows:
        props = dict(row["props"])
        record_ids = list(props.pop("record_ids", ()))
        access = {name: props.pop(name) for name in ACCESS_PROPERTIES if name in props}
        access.setdefault("see_any", int(access.get("sensitivity") or 0))
        access.setdefault("see_plain", access["see_any"])
        access.setdefault("sensitivity", access["see_any"])
        access.setdefault("conditional", False)
        prepared.append({**row, "props": props, "record_ids": record_ids, **access})
    result = store.write(
        cypher.upsert_asserted_edges(rel_type, start_label, end_label), {"rows": prepared}
    )
    written = int(result.single())
    return written, len(rows) - written
