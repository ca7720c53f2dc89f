"""CALLED edges recomputed from call records and their REFERS_TO links, on every engine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from graph.called import SAMPLE_EACH_END, called_rows, refresh_called, refresh_called_query
from graph.records import write_edges, write_entities, write_records
from graph.store import GraphStore
from loaders.map_people import call_writes
from schema.edges import Called, RefersTo
from schema.entities import Phone
from schema.grading import Sensitivity
from schema.provenance import Provenance
from schema.records import CallRecord

A, B, C = "+447700900001", "+447700900002", "+447700900003"
PA, PB, PC = (Phone.entity_id(e164=n) for n in (A, B, C))
T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
UNDATED = datetime(2024, 1, 1, tzinfo=UTC)


def test_the_query_text() -> None:
    q = refresh_called_query()
    assert q.startswith("UNWIND $rows AS row MATCH (a:Phone {id: row.start}) ")
    assert (
        "MATCH (a)<-[:REFERS_TO {role: 'a_party'}]-(c:Record:CallRecord)"
        "-[:REFERS_TO {role: 'b_party'}]->(b) " in q
    )
    assert "MERGE (a)-[r:CALLED {id: row.id}]->(b) SET r = {id: row.id, count: n, " in q
    assert "c.started_at_known = false THEN null" in q
    assert "CASE WHEN n <= 50 THEN ids ELSE ids[..25] + ids[-25..] END}" in q
    assert q.endswith("RETURN count(r) AS written")
    assert "ids[..3] + ids[-3..]" in refresh_called_query(3)
    with pytest.raises(ValueError, match="at least 1"):
        refresh_called_query(0)


def test_rows_are_distinct_pairs_with_the_called_id() -> None:
    rows = called_rows([(PA, PB), (PB, PA), (PA, PB)])
    assert rows == [
        {"id": Called.id_key.id_for({"start": PA, "end": PB}), "start": PA, "end": PB},
        {"id": Called.id_key.id_for({"start": PB, "end": PA}), "start": PB, "end": PA},
    ]
    assert rows[0]["id"] != rows[1]["id"]


def call(
    a: str,
    b: str,
    started: datetime,
    duration: int,
    *,
    line: int = 2,
    known: bool = True,
    sensitivity: Sensitivity = Sensitivity.OFFICIAL,
) -> CallRecord:
    provenance = Provenance(
        source="cdr",
        source_file="calls.csv",
        line=line,
        load_batch="b1",
        loaded_at=datetime(2026, 1, 1, tzinfo=UTC),
        raw_hash=f"{line:064x}",
        sensitivity=sensitivity,
    )
    return CallRecord(
        provenance=provenance,
        a_number=a,
        b_number=b,
        started_at=started,
        started_at_known=known,
        duration_s=duration,
    )


def load(store: GraphStore, calls: list[CallRecord]) -> None:
    write_records(store, "CallRecord", [c.node_properties() for c in calls])
    phones: dict[str, dict[str, Any]] = {}
    links: list[dict[str, Any]] = []
    for c in calls:
        writes = call_writes(c)
        phones.update({e.id: e.node_properties() for e in writes.referenced})
        links += [e.upsert_row() for e in writes.edges if isinstance(e, RefersTo)]
    write_entities(store, "Phone", list(phones.values()))
    written, missing = write_edges(store, "REFERS_TO", "Record", "Phone", links)
    assert (written, missing) == (len(links), 0)


def edges(store: GraphStore) -> dict[tuple[str, str], dict[str, Any]]:
    result = store.read("MATCH (a:Phone)-[r:CALLED]->(b:Phone) RETURN a.id, b.id, r")
    return {(a, b): dict(r.properties) for a, b, r in result}


def test_refresh_recomputes_and_is_idempotent(store: GraphStore) -> None:
    calls = [
        call(A, B, T0 + timedelta(hours=2), 60, line=2),
        call(A, B, T0, 30, line=3, sensitivity=Sensitivity.OFFICIAL_SENSITIVE),
        call(A, B, T0 + timedelta(seconds=1, microseconds=500), 0, line=4),
        # undated: filed under the extract's instant, which is before every dated call
        call(A, B, UNDATED + timedelta(microseconds=5), 7, line=5, known=False),
        call(B, A, T0 + timedelta(days=1), 5, line=6),
        call(A, C, UNDATED + timedelta(microseconds=7), 9, line=7, known=False),
    ]
    load(store, calls)
    assert refresh_called(store, [(PA, PB), (PB, PA), (PA, PC), (PA, PB)], batch_size=2) == 3
    first = edges(store)
    assert set(first) == {(PA, PB), (PB, PA), (PA, PC)}

    ab = first[(PA, PB)]
    assert ab["id"] == Called.id_key.id_for({"start": PA, "end": PB})
    assert (ab["count"], ab["total_duration_s"]) == (4, 97)
    assert ab["first_seen"] == "2024-03-01T09:00:00Z"  # the undated call does not move it
    assert ab["last_seen"] == "2024-03-01T11:00:00Z"
    assert ab["sensitivity"] == Sensitivity.OFFICIAL_SENSITIVE
    # by start time: the undated call, 09:00:00, 09:00:01.0005, 11:00
    assert ab["record_ids"] == [calls[i].id for i in (3, 1, 2, 0)]

    ba = first[(PB, PA)]
    assert (ba["count"], ba["total_duration_s"]) == (1, 5)
    assert ba["first_seen"] == ba["last_seen"] == "2024-03-02T09:00:00Z"
    assert ba["record_ids"] == [calls[4].id]

    ac = first[(PA, PC)]  # only undated calls: counted, never seen at a time
    assert (ac["count"], ac["total_duration_s"]) == (1, 9)
    assert "first_seen" not in ac
    assert "last_seen" not in ac

    assert refresh_called(store, [(PA, PB), (PB, PA), (PA, PC)]) == 3
    assert edges(store) == first
    assert store.read("MATCH ()-[r:CALLED]->() RETURN count(r)").single() == 3


def test_a_new_call_replaces_the_aggregate(store: GraphStore) -> None:
    load(store, [call(A, B, T0, 30, line=2)])
    refresh_called(store, [(PA, PB)])
    load(store, [call(A, B, T0 - timedelta(days=3), 10, line=3)])
    refresh_called(store, [(PA, PB)])
    ab = edges(store)[(PA, PB)]
    assert (ab["count"], ab["total_duration_s"]) == (2, 40)
    assert (ab["first_seen"], ab["last_seen"]) == ("2024-02-27T09:00:00Z", "2024-03-01T09:00:00Z")


def test_record_ids_keep_the_earliest_and_latest(store: GraphStore) -> None:
    n = 2 * SAMPLE_EACH_END + 5
    calls = [call(A, B, T0 + timedelta(minutes=i), 1, line=i + 2) for i in range(n)]
    load(store, calls)
    assert refresh_called(store, [(PA, PB)]) == 1
    ab = edges(store)[(PA, PB)]
    assert ab["count"] == n
    kept = [c.id for c in calls[:SAMPLE_EACH_END] + calls[-SAMPLE_EACH_END:]]
    assert ab["record_ids"] == kept


def test_pairs_without_calls_or_phones_write_nothing(store: GraphStore) -> None:
    load(store, [call(A, B, T0, 30)])
    assert refresh_called(store, [(PB, PA), (PA, PC)]) == 0
    assert refresh_called(store, []) == 0
    assert edges(store) == {}
