"""The GraphStore contract: every engine behaves the same (FalkorDB always; Neo4j with NEO4J_URI).

Persistence across restarts and ``kill -9`` is the embedded server's business and lives in
test_embedded.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pytest

from graph.projection import ProjectionSpec
from graph.results import EdgeValue, NodeValue, PathValue
from graph.store import GraphStore
from schema.errors import (
    ConstraintViolation,
    QueryError,
    QueryTimeout,
    ReadOnlyViolation,
    StoreError,
)
from schema.specs import FullTextSpec, IndexSpec, SchemaObject, UniqueSpec


def count(store: GraphStore, pattern: str = "(n)") -> int:
    """How many matches of a pattern with one named variable (``n`` or ``r``).

    Counts the variable, not ``*``: FalkorDB 4.16 counts parallel relationships between the same
    two nodes once under ``count(*)`` when the relationship is not otherwise used.
    """
    var = "r" if "[r" in pattern else "n"
    return int(store.read(f"MATCH {pattern} RETURN count({var})").single())


def people(n: int, start: int = 0) -> list[dict[str, Any]]:
    return [{"id": f"p{i}", "name": f"Person {i}", "rank": i} for i in range(start, start + n)]


# -- upserts ---------------------------------------------------------------------------------


def test_upsert_nodes_is_idempotent(store: GraphStore) -> None:
    first = store.upsert_nodes("Person", people(10), batch_size=3)
    again = store.upsert_nodes("Person", people(10), batch_size=3)
    assert (first.rows, first.written, first.batches) == (10, 10, 4)
    assert first.counters.nodes_created == 10
    assert again.counters.nodes_created == 0
    assert count(store, "(n:Person)") == 10


def test_upsert_updates_changed_rows_and_none_removes(store: GraphStore) -> None:
    store.upsert_nodes("Person", [{"id": "a", "name": "Ann", "nick": "Annie"}])
    store.upsert_nodes("Person", [{"id": "a", "name": "Anne", "nick": None}])
    node = store.read("MATCH (n:Person {id: 'a'}) RETURN n").single()
    assert isinstance(node, NodeValue)
    assert dict(node.properties) == {"id": "a", "name": "Anne"}
    assert node.labels == ("Person",)


def test_upsert_extra_labels(store: GraphStore) -> None:
    store.upsert_nodes("Record", [{"id": "r1"}], extra_labels=("PersonRecord",))
    labels = store.read("MATCH (n:PersonRecord) RETURN labels(n)").single()
    assert sorted(labels) == ["PersonRecord", "Record"]


def test_upsert_edges_idempotent_and_missing_ends_counted(store: GraphStore) -> None:
    store.upsert_nodes("Person", people(3))
    rows: list[dict[str, Any]] = [
        {"id": "e1", "start": "p0", "end": "p1", "props": {"weight": 2.5}},
        {"id": "e2", "start": "p1", "end": "p2"},
        {"id": "e3", "start": "p2", "end": "nobody"},
    ]
    first = store.upsert_edges("CALLED", rows, start_label="Person", end_label="Person")
    again = store.upsert_edges("CALLED", rows, start_label="Person", end_label="Person")
    assert (first.rows, first.written, first.missing) == (3, 2, 1)
    assert first.counters.relationships_created == 2
    assert again.counters.relationships_created == 0
    assert count(store, "()-[r:CALLED]->()") == 2
    weight = store.read("MATCH ()-[r:CALLED {id: 'e1'}]->() RETURN r.weight").single()
    assert weight == 2.5


def test_edges_of_one_type_between_same_nodes_are_distinct_by_id(store: GraphStore) -> None:
    store.upsert_nodes("Person", people(2))
    rows = [
        {"id": "appt-1", "start": "p0", "end": "p1", "props": {"role": "director"}},
        {"id": "appt-2", "start": "p0", "end": "p1", "props": {"role": "secretary"}},
    ]
    store.upsert_edges("OFFICER_OF", rows, start_label="Person", end_label="Person")
    assert count(store, "()-[r:OFFICER_OF]->()") == 2


@pytest.mark.parametrize("n", [0, 1, 4, 5, 6, 15, 16])
def test_batch_boundaries(store: GraphStore, n: int) -> None:
    summary = store.upsert_nodes("Person", people(n), batch_size=5)
    assert summary.rows == n
    assert summary.written == n
    assert summary.batches == -(-n // 5)
    assert count(store, "(n:Person)") == n
    ranks = store.read("MATCH (n:Person) RETURN n.rank ORDER BY n.rank").rows
    assert [r[0] for r in ranks] == list(range(n))


def test_batches_before_a_failing_one_stay(store: GraphStore) -> None:
    rows = [*people(4), {"name": "no id"}, *people(4, start=10)]
    with pytest.raises(QueryError, match="row 4 has no 'id'"):
        store.upsert_nodes("Person", rows, batch_size=4)
    assert count(store, "(n:Person)") == 4


def test_upsert_takes_a_generator(store: GraphStore) -> None:
    summary = store.upsert_nodes("Person", (row for row in people(7)), batch_size=2)
    assert summary.batches == 4
    assert count(store) == 7


def test_write_back_sets_properties_on_existing_nodes_only(store: GraphStore) -> None:
    store.upsert_nodes("Person", people(2))
    summary = store.write_back(
        "Person",
        [{"id": "p0", "risk": 0.7, "run": "r1"}, {"id": "ghost", "risk": 0.1, "run": "r1"}],
    )
    assert (summary.written, summary.missing) == (1, 1)
    assert count(store, "(n:Person)") == 2
    assert store.read("MATCH (n:Person {id: 'p0'}) RETURN n.risk").single() == 0.7


# -- reads and writes ------------------------------------------------------------------------


def test_read_returns_columns_rows_and_records(store: GraphStore) -> None:
    store.upsert_nodes("Person", people(3))
    result = store.read(
        "MATCH (n:Person) WHERE n.rank >= $min RETURN n.id AS id, n.rank AS rank ORDER BY rank",
        {"min": 1},
    )
    assert result.columns == ("id", "rank")
    assert result.rows == (("p1", 1), ("p2", 2))
    assert result.records() == [{"id": "p1", "rank": 1}, {"id": "p2", "rank": 2}]


def test_read_refuses_a_write(store: GraphStore) -> None:
    with pytest.raises(ReadOnlyViolation):
        store.read("CREATE (:Person {id: 'x'})")
    assert count(store) == 0


def test_write_returns_rows_and_counters(store: GraphStore) -> None:
    result = store.write("CREATE (n:Person {id: $id}) RETURN n.id", {"id": "w1"})
    assert result.single() == "w1"
    assert result.counters.nodes_created == 1
    assert result.counters.properties_set == 1


def test_paths_and_edges_come_back_as_plain_values(store: GraphStore) -> None:
    store.upsert_nodes("Person", people(2))
    store.upsert_edges(
        "KNOWS",
        [{"id": "k", "start": "p0", "end": "p1", "props": {"since": "2020"}}],
        start_label="Person",
        end_label="Person",
    )
    path, edge = store.read("MATCH p = (:Person {id: 'p0'})-[r:KNOWS]->() RETURN p, r").rows[0]
    assert isinstance(edge, EdgeValue)
    assert edge.type == "KNOWS"
    assert dict(edge.properties) == {"id": "k", "since": "2020"}
    assert isinstance(path, PathValue)
    assert [n.properties["id"] for n in path.nodes] == ["p0", "p1"]
    assert [e.type for e in path.edges] == ["KNOWS"]


# -- transactions ----------------------------------------------------------------------------


def test_transaction_commits_all_statements(store: GraphStore) -> None:
    with store.transaction() as tx:
        tx.run("UNWIND $rows AS row CREATE (:Person {id: row})", {"rows": ["a", "b"]})
        tx.run("MATCH (n:Person {id: $id}) SET n.flag = $flag", {"id": "a", "flag": "$flag"})
        tx.run(
            "MATCH (a:Person {id: 'a'}), (b:Person {id: 'b'}) CREATE (a)-[:KNOWS {id: 'k'}]->(b)"
        )
    assert count(store, "(n:Person)") == 2
    assert store.read("MATCH (n:Person {id: 'a'}) RETURN n.flag").single() == "$flag"
    assert count(store, "()-[r:KNOWS]->()") == 1


def test_transaction_rolls_back_when_the_block_raises(store: GraphStore) -> None:
    def changes_its_mind() -> None:
        with store.transaction() as tx:
            tx.run("CREATE (:Person {id: 'a'})")
            raise RuntimeError("caller changed its mind")

    with pytest.raises(RuntimeError):
        changes_its_mind()
    assert count(store) == 0


def test_transaction_rolls_back_when_a_statement_fails(store: GraphStore) -> None:
    store.apply_schema(UniqueSpec(label="Person", property="id"))
    store.upsert_nodes("Person", [{"id": "taken"}])

    def create_both() -> None:
        with store.transaction() as tx:
            tx.run("CREATE (:Person {id: 'new'})")
            tx.run("CREATE (:Person {id: 'taken'})")

    with pytest.raises(ConstraintViolation):
        create_both()
    assert store.read("MATCH (n:Person) RETURN n.id").rows == (("taken",),)


def test_transaction_statements_may_not_return_rows(store: GraphStore) -> None:
    with pytest.raises(QueryError, match="cannot RETURN"), store.transaction() as tx:
        tx.run("CREATE (n:Person {id: 'a'}) RETURN n")
    assert count(store) == 0


# -- parameter types -------------------------------------------------------------------------

ROUND_TRIPS = [
    ("text", 'Zoë O\'Neill "Jr" \\ 李小龙 محمد 🙂\nline two\ttab', None),
    ("empty", "", None),
    ("integer", 2**53 + 1, None),
    ("negative", -17, None),
    ("float", 0.1 + 0.2, None),
    ("tiny", 5e-324, None),
    ("huge", 1.5e300, None),
    ("boolean", True, None),
    ("strings", ["a", "b'c", ""], None),
    ("numbers", [1.0, 2.5, -3.0], None),
    ("integers", [1, 2, -3], None),
    ("empty_list", [], None),
    ("date", date(1962, 7, 4), "1962-07-04"),
    (
        "aware",
        datetime(2024, 3, 1, 10, 15, tzinfo=timezone(timedelta(hours=1))),
        "2024-03-01T09:15:00Z",
    ),
    (
        "utc_micro",
        datetime(2024, 3, 1, 10, 15, 1, 250000, tzinfo=UTC),
        "2024-03-01T10:15:01.250000Z",
    ),
]


@pytest.mark.parametrize(("name", "value", "stored"), ROUND_TRIPS, ids=[r[0] for r in ROUND_TRIPS])
def test_parameter_round_trip_as_property(
    store: GraphStore, name: str, value: object, stored: object
) -> None:
    store.upsert_nodes("Thing", [{"id": name, "value": value}])
    got = store.read("MATCH (n:Thing {id: $id}) RETURN n.value", {"id": name}).single()
    if isinstance(value, float):
        # Stored exactly on every engine, but FalkorDB's replies print doubles with 15
        # significant digits (graph.store documents it).
        assert got == pytest.approx(value, rel=1e-14, abs=0)
        assert store.read(
            "MATCH (n:Thing {id: $id}) RETURN n.value = $v", {"id": name, "v": value}
        ).single()
    else:
        assert got == (value if stored is None else stored)


def test_map_and_nested_parameters(store: GraphStore) -> None:
    value = {"a": {"b": [1, "x", None]}, "when": date(2020, 1, 2), "ok": False}
    got = store.read("RETURN $m AS m", {"m": value}).single()
    assert got == {"a": {"b": [1, "x", None]}, "when": "2020-01-02", "ok": False}


def test_map_keys_need_not_be_identifiers(store: GraphStore) -> None:
    value = {"first name": "Ann", "date-of-birth": "1990", "ünï": 2}
    assert store.read("RETURN $m AS m", {"m": value}).single() == value


def test_null_parameter(store: GraphStore) -> None:
    assert store.read("RETURN $x IS NULL", {"x": None}).single() is True


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (float("nan"), "finite"),
        (float("inf"), "finite"),
        (datetime(2024, 1, 1, 12, 0), "time zone"),
        (object(), "cannot store"),
        ({1: "x"}, "non-string key"),
    ],
)
def test_unstorable_parameters_are_refused_clearly(
    store: GraphStore, value: object, message: str
) -> None:
    with pytest.raises(QueryError, match=message):
        store.write("CREATE (:Thing {id: 'x', v: $v})", {"v": value})
    assert count(store) == 0


def test_dates_stored_as_iso_strings_range_scan_in_order(store: GraphStore) -> None:
    days = [date(2024, 1, d) for d in (3, 1, 2, 10)]
    store.upsert_nodes("Call", [{"id": str(d), "on": d} for d in days])
    got = store.read(
        "MATCH (c:Call) WHERE c.on >= $lo AND c.on < $hi RETURN c.on ORDER BY c.on",
        {"lo": date(2024, 1, 2), "hi": date(2024, 1, 10)},
    )
    assert [r[0] for r in got.rows] == ["2024-01-02", "2024-01-03"]


# -- errors ----------------------------------------------------------------------------------


def test_syntax_error_keeps_engine_message_and_query(store: GraphStore) -> None:
    with pytest.raises(QueryError) as info:
        store.read("MATCH (n RETURN n")
    assert info.value.engine_message
    assert info.value.query == "MATCH (n RETURN n"
    assert info.value.__cause__ is not None


def test_constraint_violation_applies_nothing(store: GraphStore) -> None:
    store.apply_schema(UniqueSpec(label="Person", property="id"))
    store.upsert_nodes("Person", people(2))
    with pytest.raises(ConstraintViolation):
        store.write("UNWIND ['new1', 'p1', 'new2'] AS i CREATE (:Person {id: i})")
    assert count(store, "(n:Person)") == 2


def test_query_timeout(store: GraphStore) -> None:
    with pytest.raises(QueryTimeout):
        store.read(
            "UNWIND range(1, 3000) AS a UNWIND range(1, 3000) AS b "
            "WITH a, b WHERE (a * b) % 7 = 3 RETURN count(*)",
            timeout_ms=5,
        )


def test_every_store_error_is_a_clew_error(store: GraphStore) -> None:
    with pytest.raises(StoreError):
        store.read("THIS IS NOT CYPHER")


# -- schema objects --------------------------------------------------------------------------


def test_schema_objects_apply_idempotently_and_report(store: GraphStore) -> None:
    objects: list[SchemaObject] = [
        UniqueSpec(label="Person", property="id"),
        IndexSpec(label="Person", properties=("dob",)),
        IndexSpec(entity="relationship", label="CALLED", properties=("first_seen",)),
        FullTextSpec(label="Person", properties=("name", "aliases")),
    ]
    for obj in objects * 2:
        store.apply_schema(obj)
    state = store.schema_state()
    assert "uniq_person_id" in state.constraints
    assert "idx_person_dob" in state.indexes
    assert "ridx_called_first_seen" in state.indexes
    assert "ft_person" in state.fulltext
    for obj in objects:
        store.drop_schema(obj)
        store.drop_schema(obj)
    state = store.schema_state()
    assert "uniq_person_id" not in state.constraints
    assert "idx_person_dob" not in state.indexes
    assert "ft_person" not in state.fulltext


def test_unique_constraint_refuses_duplicates(store: GraphStore) -> None:
    store.apply_schema(UniqueSpec(label="Phone", property="id"))
    store.write("CREATE (:Phone {id: '+447700900123'})")
    with pytest.raises(ConstraintViolation):
        store.write("CREATE (:Phone {id: '+447700900123'})")


# -- projections -----------------------------------------------------------------------------


def build_small_graph(store: GraphStore) -> None:
    store.upsert_nodes("Person", people(5))
    store.upsert_nodes("Phone", [{"id": "ph1"}])
    store.upsert_edges(
        "CALLED",
        [
            {"id": "c1", "start": "p0", "end": "p1", "props": {"count": 3}},
            {"id": "c2", "start": "p1", "end": "p2", "props": {"count": 1}},
            {"id": "c3", "start": "p3", "end": "p4"},
        ],
        start_label="Person",
        end_label="Person",
    )
    store.upsert_edges(
        "KNOWS",
        [{"id": "k1", "start": "p4", "end": "p0"}],
        start_label="Person",
        end_label="Person",
    )
    store.upsert_edges(
        "HAS_PHONE",
        [{"id": "h1", "start": "p0", "end": "ph1"}],
        start_label="Person",
        end_label="Phone",
    )


@pytest.mark.parametrize("window", [1, 2, 100_000])
def test_export_projection(store: GraphStore, window: int) -> None:
    build_small_graph(store)
    spec = ProjectionSpec(
        node_labels=("Person",),
        relationship_types=("CALLED", "KNOWS", "HAS_PHONE"),
        weight_property="count",
        default_weight=0.5,
        window=window,
    )
    p = store.export_projection(spec)
    assert sorted(p.ids) == [f"p{i}" for i in range(5)]
    assert set(p.labels) == {"Person"}
    edges = {
        (p.ids[s], p.ids[t], p.type_names[c], w)
        for s, t, c, w in zip(p.sources, p.targets, p.type_codes, p.weights, strict=True)
    }
    # HAS_PHONE leads to a Phone, outside the projection's nodes, so it is left out.
    assert edges == {
        ("p0", "p1", "CALLED", 3.0),
        ("p1", "p2", "CALLED", 1.0),
        ("p3", "p4", "CALLED", 0.5),
        ("p4", "p0", "KNOWS", 0.5),
    }
    assert p.sources.dtype == np.int64
    assert p.node_count == 5
    assert p.edge_count == 4


def test_export_projection_filters_types(store: GraphStore) -> None:
    build_small_graph(store)
    p = store.export_projection(
        ProjectionSpec(node_labels=("Person", "Phone"), relationship_types=("HAS_PHONE",))
    )
    assert p.node_count == 6
    assert [(p.ids[s], p.ids[t]) for s, t in zip(p.sources, p.targets, strict=True)] == [
        ("p0", "ph1")
    ]
    assert p.weights.tolist() == [1.0]


def test_export_of_empty_graph(store: GraphStore) -> None:
    p = store.export_projection(
        ProjectionSpec(node_labels=("Person",), relationship_types=("CALLED",))
    )
    assert (p.node_count, p.edge_count) == (0, 0)


# -- operations ------------------------------------------------------------------------------


def test_health(store: GraphStore) -> None:
    health = store.health()
    assert health.ok
    assert health.engine == store.engine
    assert health.version


def test_clear_removes_everything(store: GraphStore) -> None:
    build_small_graph(store)
    store.apply_schema(IndexSpec(label="Person", properties=("rank",)))
    store.clear()
    assert count(store) == 0
    assert "idx_person_rank" not in store.schema_state().indexes
