"""The resolver's queries: their text, and what they do on the real embedded store."""

from __future__ import annotations

import pytest

from graph import resolution as q
from graph.store import GraphStore


def test_record_pages_read_one_kind_by_id_parameterised() -> None:
    text = q.read_records_page("PersonRecord")
    assert text.startswith("MATCH (r:Record:PersonRecord) WHERE r.id > $after")
    assert text.endswith("ORDER BY r.id LIMIT $limit")
    with pytest.raises(ValueError, match="identifier"):
        q.read_records_page("Person) DETACH DELETE (x")


def test_incremental_reads_page_records_with_their_persons_and_read_by_id() -> None:
    text = q.read_records_with_persons_page("PassengerRecord")
    assert text.startswith("MATCH (r:Record:PassengerRecord) WHERE r.id > $after ")
    assert "WITH r ORDER BY r.id LIMIT $limit OPTIONAL MATCH" in text
    assert "p.retired_at IS NULL" in text
    with pytest.raises(ValueError, match="identifier"):
        q.read_records_with_persons_page("X) DELETE (y")
    for text in (q.READ_ASSIGNMENTS_OF_RECORDS, q.READ_PERSON_SEEDS_BY_ID):
        assert text.startswith("UNWIND $ids AS id MATCH ")
    assert "p.retired_at IS NULL" in q.COUNT_PERSONS


def test_writes_are_batched_unwinds() -> None:
    for text in (
        q.WRITE_DECISIONS,
        q.UPSERT_PERSONS,
        q.RETIRE_PERSONS,
        q.DELETE_RESOLUTIONS,
        q.UPSERT_RESOLUTIONS,
        q.WRITE_RUN,
    ):
        assert text.startswith("UNWIND $rows AS row ")
    assert "p.retired_at IS NULL" in q.READ_ASSIGNMENTS
    assert "NOT e:Person" in q.READ_RECORD_LINKS


def test_delete_derived_names_every_derived_type() -> None:
    text = q.delete_derived()
    assert text.startswith("UNWIND $ids AS id MATCH (:Person {id: id})-[e:HAS_PHONE|HAS_EMAIL|")
    assert all(t in text for t in q.DERIVED_TYPES)


def test_records_are_paged_and_persons_rewired_on_the_store(store: GraphStore) -> None:
    rows = [{"id": f"rec_{i:03d}", "kind": "person", "surname": f"S{i}"} for i in range(7)]
    store.write("UNWIND $rows AS row CREATE (r:Record:PersonRecord) SET r = row", {"rows": rows})
    got = list(q.iter_records(store, ["PersonRecord", "PscRecord"], page=3))
    assert [p["id"] for _, p in got] == [r["id"] for r in rows]
    assert {label for label, _ in got} == {"PersonRecord"}

    persons = [{"id": "person_a", "name": "A"}, {"id": "person_b", "name": "B"}]
    assert q.write_rows(store, q.UPSERT_PERSONS, persons) == 2
    edge = {
        "id": "rt_1",
        "start": "rec_000",
        "end": "person_a",
        "props": {"id": "rt_1", "mentions": ["rec_000"], "score": 1.0},
    }
    assert q.write_rows(store, q.UPSERT_RESOLUTIONS, [edge]) == 1
    (row,) = store.read(q.READ_ASSIGNMENTS).records()
    assert (row["record"], row["entity"], row["mentions"]) == ("rec_000", "person_a", ["rec_000"])
    # Rewire: retire a, move the edge to b with a in its history.
    retire = {"id": "person_a", "retired_at": "2026-01-01", "run": "r2", "merged_into": "person_b"}
    assert q.write_rows(store, q.RETIRE_PERSONS, [retire]) == 1
    assert q.write_rows(store, q.DELETE_RESOLUTIONS, [{"record": "rec_000", "id": "rt_1"}]) == 1
    moved = {
        "id": "rt_2",
        "start": "rec_000",
        "end": "person_b",
        "props": {"id": "rt_2", "mentions": ["rec_000"], "previous_entities": ["person_a"]},
    }
    q.write_rows(store, q.UPSERT_RESOLUTIONS, [moved])
    (row,) = store.read(q.READ_ASSIGNMENTS).records()
    assert (row["entity"], row["previous"]) == ("person_b", ["person_a"])
    (person,) = store.read(q.READ_PERSON, {"id": "person_a"}).records()
    assert person["person"]["merged_into"] == "person_b"
    assert person["records"] == []
    seeds = {r["id"] for r in store.read(q.READ_PERSON_SEEDS).records()}
    assert seeds == {"person_a", "person_b"}
    assert store.read(q.COUNT_PERSONS).single() == 1
    page = store.read(
        q.read_records_with_persons_page("PersonRecord"), {"after": "rec_005", "limit": 5}
    ).records()
    assert [(r["props"]["id"], r["resolved"]) for r in page] == [("rec_006", [[None, None]])]
    (row,) = store.read(
        q.read_records_with_persons_page("PersonRecord"), {"after": "", "limit": 1}
    ).records()
    assert row["resolved"] == [["person_b", ["rec_000"]]]
