"""Writing records, entities and asserted relationships, on every engine."""

from __future__ import annotations

from graph.records import write_edges, write_entities, write_records, write_referenced
from graph.store import GraphStore


def test_records_created_then_unchanged_then_rewritten(store: GraphStore) -> None:
    rows = [{"id": "r1", "raw_hash": "a" * 64, "name": "x"}, {"id": "r2", "raw_hash": "b" * 64}]
    assert write_records(store, "PersonRecord", rows).created == 2
    again = write_records(store, "PersonRecord", rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = write_records(
        store, "PersonRecord", [{"id": "r1", "raw_hash": "c" * 64, "name": None}]
    )
    assert (changed.created, changed.updated) == (0, 1)
    node = store.read("MATCH (r:Record:PersonRecord {id: 'r1'}) RETURN r").single()
    assert "name" not in node.properties  # the corrected row no longer says it


def test_an_entity_value_a_source_does_not_know_is_not_erased(store: GraphStore) -> None:
    write_entities(store, "Company", [{"id": "c1", "number": "01234567", "name": "ACME LTD"}])
    write_entities(store, "Company", [{"id": "c1", "number": "01234567", "name": None, "sic": []}])
    node = store.read("MATCH (c:Company {id: 'c1'}) RETURN c").single()
    assert node.properties["name"] == "ACME LTD"
    write_entities(store, "Company", [{"id": "c1", "number": "01234567", "name": "ACME 2 LTD"}])
    assert store.read("MATCH (c:Company {id: 'c1'}) RETURN c.name").single() == "ACME 2 LTD"


def test_asserted_edges_accumulate_their_records(store: GraphStore) -> None:
    write_entities(store, "Company", [{"id": "c1"}])
    write_entities(store, "Address", [{"id": "a1"}])

    def row(record: str) -> dict[str, object]:
        return {
            "id": "e1",
            "start": "c1",
            "end": "a1",
            "props": {"record_ids": [record], "kind": "x"},
        }

    assert write_edges(store, "REGISTERED_AT", "Company", "Address", [row("rec1")]) == (1, 0)
    write_edges(store, "REGISTERED_AT", "Company", "Address", [row("rec2")])
    write_edges(store, "REGISTERED_AT", "Company", "Address", [row("rec1")])  # a reload
    ids = store.read("MATCH ()-[r:REGISTERED_AT]->() RETURN r.record_ids").single()
    assert sorted(ids) == ["rec1", "rec2"]
    assert store.read("MATCH ()-[r:REGISTERED_AT]->() RETURN count(r)").single() == 1
    missing = {"id": "e2", "start": "c1", "end": "nowhere", "props": {"record_ids": ["rec3"]}}
    assert write_edges(store, "REGISTERED_AT", "Company", "Address", [missing]) == (0, 1)


def test_a_named_entity_is_created_once_and_never_updated(store: GraphStore) -> None:
    write_entities(store, "Company", [{"id": "c1", "number": "01234567", "name": "ACME LTD"}])
    made = write_referenced(
        store, "Company", [{"id": "c1", "name": "01234567"}, {"id": "c2", "name": "x"}]
    )
    assert (made.created, made.unchanged) == (1, 1)
    assert store.read("MATCH (c:Company {id: 'c1'}) RETURN c.name").single() == "ACME LTD"
    assert store.read("MATCH (c:Company {id: 'c2'}) RETURN c.name").single() == "x"


def test_entity_sensitivity_only_rises(store: GraphStore) -> None:
    write_entities(store, "Phone", [{"id": "p1", "sensitivity": 2}])
    write_entities(store, "Phone", [{"id": "p1", "sensitivity": 0}])
    write_referenced(store, "Phone", [{"id": "p1", "sensitivity": 1}])
    assert store.read("MATCH (p:Phone {id: 'p1'}) RETURN p.sensitivity").single() == 2
    write_referenced(store, "Phone", [{"id": "p1", "sensitivity": 3}])
    assert store.read("MATCH (p:Phone {id: 'p1'}) RETURN p.sensitivity").single() == 3
    write_referenced(store, "Phone", [{"id": "p2"}])
    assert store.read("MATCH (p:Phone {id: 'p2'}) RETURN p.sensitivity").single() is None
