"""Entity resolution's queries: person-describing records in, Person entities and their edges out.

Named constants and pure builders, always parameterised; batch writes are ``UNWIND $rows``.

The graph the resolver keeps:

- ``(:Person)`` nodes, one per resolved person. A person retired by a later run (merged into
  another, or left with no records) is kept, with ``retired_at``, ``retired_by_run`` and
  ``merged_into`` (the survivor's id, or absent when nothing took its records), so an id an
  analyst wrote down still leads somewhere.
- ``(:Record)-[:RESOLVES_TO]->(:Person)`` per record, carrying ``mentions`` (the mention ids of
  that record resolved to the person: a report names several subjects) and
  ``previous_entities`` (every person the record was resolved to before, oldest first): a
  rewired edge is deleted and created again towards its new person with that history on it.
- Derived person relationships (``DERIVED_TYPES``), each with the records behind it; a person's
  are deleted and written again whenever its records change, and a retired person has none.
- ``(:MatchDecision)`` and ``(:ResolutionRun)`` nodes (``schema.resolution``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

from graph.store import GraphStore
from schema.specs import check_identifier

DERIVED_TYPES: Final = (
    "HAS_PHONE",
    "HAS_EMAIL",
    "LIVES_AT",
    "OFFICER_OF",
    "PSC_OF",
    "PASSENGER_ON",
    "HOLDS_DOCUMENT",
    "SUBJECT_OF",
    "REPORTED_MISSING",
)
"""Person relationships the resolver derives from its records' links, and owns."""

PAGE_SIZE: Final = 5_000


def read_records_page(label: str) -> str:
    """One page of ``label`` records after ``$after`` (by id): their node properties."""
    return (
        f"MATCH (r:Record:{check_identifier(label)}) WHERE r.id > $after "
        "RETURN properties(r) AS props ORDER BY r.id LIMIT $limit"
    )


def read_records_with_persons_page(label: str) -> str:
    """One page of ``label`` records after ``$after`` (by id): their node properties and the
    current persons they resolve to, each with the mention ids on its edge (none when the
    record is not resolved yet). Rows are not ordered: the page's last id is their largest."""
    return (
        f"MATCH (r:Record:{check_identifier(label)}) WHERE r.id > $after "
        "WITH r ORDER BY r.id LIMIT $limit "
        "OPTIONAL MATCH (r)-[e:RESOLVES_TO]->(p:Person) WHERE p.retired_at IS NULL "
        "RETURN properties(r) AS props, collect([p.id, e.mentions]) AS resolved"
    )


READ_RECORDS_BY_ID: Final = (
    "UNWIND $ids AS id MATCH (r:Record {id: id}) "
    "RETURN [x IN labels(r) WHERE x <> 'Record'][0] AS label, properties(r) AS props"
)
"""Records by id: kind label and node properties."""

READ_ASSIGNMENTS: Final = (
    "MATCH (r:Record)-[e:RESOLVES_TO]->(p:Person) WHERE p.retired_at IS NULL "
    "RETURN r.id AS record, e.id AS edge, p.id AS entity, e.mentions AS mentions, "
    "e.previous_entities AS previous"
)
"""Every current record -> person resolution, with the mentions and history on its edge."""

READ_ASSIGNMENTS_OF_RECORDS: Final = (
    "UNWIND $ids AS id MATCH (r:Record {id: id})-[e:RESOLVES_TO]->(p:Person) "
    "WHERE p.retired_at IS NULL "
    "RETURN r.id AS record, e.id AS edge, p.id AS entity, e.mentions AS mentions, "
    "e.previous_entities AS previous"
)
"""``READ_ASSIGNMENTS`` for the records ``$ids`` only (an incremental run's affected part)."""

READ_PERSON_SEEDS_BY_ID: Final = (
    "UNWIND $ids AS id MATCH (p:Person {id: id}) RETURN p.id AS id, p.seed_record_id AS seed"
)
"""The persons ``$ids`` that exist (retired ones too), with their seed record ids."""

COUNT_PERSONS: Final = "MATCH (p:Person) WHERE p.retired_at IS NULL RETURN count(p) AS persons"
"""Persons not retired."""

READ_PERSON_SEEDS: Final = "MATCH (p:Person) RETURN p.id AS id, p.seed_record_id AS seed"
"""Every person id ever written (retired ones too: an id is never given out twice)."""

READ_PERSON: Final = (
    "MATCH (p:Person {id: $id}) OPTIONAL MATCH (r:Record)-[e:RESOLVES_TO]->(p) "
    "RETURN properties(p) AS person, collect(r.id) AS records, collect(properties(e)) AS edges"
)
"""A person, its records, and each record's edge (mention ids, score, rule, who decided)."""

READ_LATEST_RUN: Final = (
    "MATCH (n:ResolutionRun) RETURN properties(n) AS run ORDER BY n.started_at DESC LIMIT 1"
)

WRITE_DECISIONS: Final = (
    "UNWIND $rows AS row MERGE (d:MatchDecision {id: row.id}) SET d += row "
    "RETURN count(d) AS written"
)
"""Decisions are append-only: each its own node (its id includes when it was made)."""

READ_DECISIONS: Final = (
    "MATCH (d:MatchDecision) RETURN properties(d) AS decision ORDER BY d.decided_at, d.id"
)
"""Every decision, oldest first: for a pair, the last one read applies."""

UPSERT_PERSONS: Final = (
    "UNWIND $rows AS row MERGE (p:Person {id: row.id}) SET p = row RETURN count(p) AS written"
)
"""Persons with every property recomputed by survivorship (a revived id loses ``retired_*``)."""

RETIRE_PERSONS: Final = (
    "UNWIND $rows AS row MATCH (p:Person {id: row.id}) "
    "SET p.retired_at = row.retired_at, p.retired_by_run = row.run, "
    "p.merged_into = row.merged_into RETURN count(p) AS written"
)

DELETE_RESOLUTIONS: Final = (
    "UNWIND $rows AS row MATCH (:Record {id: row.record})-[e:RESOLVES_TO {id: row.id}]->(:Person) "
    "DELETE e RETURN count(e) AS deleted"
)

UPSERT_RESOLUTIONS: Final = (
    "UNWIND $rows AS row MATCH (r:Record {id: row.start}) MATCH (p:Person {id: row.end}) "
    "MERGE (r)-[e:RESOLVES_TO {id: row.id}]->(p) SET e = row.props RETURN count(e) AS written"
)
"""Resolutions with every property replaced (``props`` holds the id as well)."""

READ_RECORD_LINKS: Final = (
    "UNWIND $ids AS id MATCH (r:Record {id: id})-[l:REFERS_TO|RESOLVES_TO]->(e) "
    "WHERE NOT e:Person "
    "RETURN r.id AS record, type(l) AS type, l.role AS role, e.id AS entity, "
    "labels(e)[0] AS label"
)
"""What the records say about keyed entities (links to persons excluded)."""


def delete_derived(types: Sequence[str] = DERIVED_TYPES) -> str:
    """Delete the derived relationships of the persons ``$ids``."""
    rels = "|".join(check_identifier(t) for t in types)
    return (
        f"UNWIND $ids AS id MATCH (:Person {{id: id}})-[e:{rels}]->() "
        "DELETE e RETURN count(e) AS deleted"
    )


WRITE_RUN: Final = (
    "UNWIND $rows AS row MERGE (n:ResolutionRun {id: row.id}) SET n = row "
    "RETURN count(n) AS written"
)


# --- helpers over the queries -----------------------------------------------------------------


def iter_records(
    store: GraphStore, labels: Sequence[str], *, page: int = PAGE_SIZE
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every record of ``labels`` as (label, node properties), label by label, by id."""
    for label in labels:
        after = ""
        while True:
            rows = store.read(read_records_page(label), {"after": after, "limit": page}).rows
            for (props,) in rows:
                yield label, dict(props)
            if len(rows) < page:
                break
            after = str(rows[-1][0]["id"])


def write_rows(store: GraphStore, query: str, rows: Sequence[Mapping[str, Any]]) -> int:
    """Send ``rows`` to an ``UNWIND $rows`` query in batches; the sum of its one count."""
    total = 0
    for at in range(0, len(rows), PAGE_SIZE):
        result = store.write(query, {"rows": list(rows[at : at + PAGE_SIZE])})
        total += int(result.single())
    return total


def write_ids(store: GraphStore, query: str, ids: Sequence[str]) -> int:
    """Send ``ids`` to an ``UNWIND $ids`` query in batches; the sum of its one count."""
    total = 0
    for at in range(0, len(ids), PAGE_SIZE):
        result = store.write(query, {"ids": list(ids[at : at + PAGE_SIZE])})
        total += int(result.single())
    return total


def read_by_ids(store: GraphStore, query: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Rows of an ``UNWIND $ids`` read query, in batches, as dicts."""
    out: list[dict[str, Any]] = []
    for at in range(0, len(ids), PAGE_SIZE):
        out += store.read(query, {"ids": list(ids[at : at + PAGE_SIZE])}).records()
    return out
