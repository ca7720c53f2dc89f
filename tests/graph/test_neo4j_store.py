"""Neo4jStore without a server: URLs, value conversion, error mapping, row checks, and the
store's own logic over a fake driver. Tests marked ``neo4j`` run against a real server where
NEO4J_URI is set (they clear the database it names: point it at a scratch one)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    DriverError,
    IncompleteCommit,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from neo4j.graph import Graph, Node, Path, Relationship
from neo4j.spatial import CartesianPoint, WGS84Point
from neo4j.time import Date, DateTime, Duration, Time

from graph.neo4j_convert import (
    EDGE_KEYS,
    NODE_KEYS,
    check_row,
    encoded_batches,
    neo4j_location,
    to_clew_error,
    to_value,
)
from graph.neo4j_store import Neo4jStore
from graph.projection import ProjectionSpec
from graph.results import EdgeValue, NodeValue, PathValue
from graph.store import GraphStore
from schema.errors import (
    ConfigError,
    ConstraintViolation,
    DurabilityError,
    QueryError,
    QueryTimeout,
    ReadOnlyViolation,
    StoreError,
    StoreUnavailable,
)
from schema.specs import FullTextSpec, IndexSpec, UniqueSpec

# -- URLs


@pytest.mark.parametrize(
    ("uri", "location"),
    [
        ("bolt://localhost", "bolt://localhost:7687/neo4j"),
        ("bolt+s://db.example.org:7688", "bolt+s://db.example.org:7688/neo4j"),
        ("neo4j://neo4j:7687", "neo4j://neo4j:7687/neo4j"),
        ("neo4j+s://abc.databases.neo4j.io", "neo4j+s://abc.databases.neo4j.io:7687/neo4j"),
        ("neo4j://[::1]:7687/", "neo4j://[::1]:7687/neo4j"),
    ],
)
def test_location(uri: str, location: str) -> None:
    assert neo4j_location(uri, "neo4j") == location


@pytest.mark.parametrize(
    ("uri", "why"),
    [
        ("http://localhost:7474", "scheme"),
        ("redis://localhost", "scheme"),
        ("localhost:7687", "scheme"),
        ("neo4j://neo4j:secret@localhost", "credentials"),
        ("bolt://:7687", "no host"),
        ("bolt://localhost:notaport", "cannot be parsed"),
        ("bolt://localhost/clew", "path"),
    ],
)
def test_location_refuses(uri: str, why: str) -> None:
    with pytest.raises(ConfigError, match=why) as info:
        neo4j_location(uri, "neo4j")
    assert "secret" not in str(info.value)


def test_store_opens_no_connection_and_hides_nothing_secret() -> None:
    store = Neo4jStore("neo4j://localhost:7687", user="neo4j", password="s3cret", database="clew")
    try:
        assert store.engine == "neo4j"
        assert store.location == "neo4j://localhost:7687/clew"
        assert isinstance(store, GraphStore)
        typed: GraphStore = store
        assert typed.location == store.location
    finally:
        store.close()


def test_negative_default_timeout_is_refused() -> None:
    with pytest.raises(ConfigError, match="negative"):
        Neo4jStore("bolt://localhost", user="neo4j", password="x", default_timeout_ms=-1)


def test_connect_to_nothing_is_store_unavailable_in_one_line() -> None:
    # Port 1 on the loopback: refused at once, no network needed.
    with pytest.raises(StoreUnavailable) as info:
        Neo4jStore.connect("bolt://127.0.0.1:1", user="neo4j", password="x")
    message = str(info.value)
    assert "\n" not in message
    assert message == "Neo4j at bolt://127.0.0.1:1/neo4j is not answering (Connection refused)"
    assert isinstance(info.value.__cause__, ServiceUnavailable)


# -- values


def _graph() -> tuple[Node, Node, Relationship]:
    g = Graph()
    a = Node(g, "4:db:1", 1, ["Record", "Person"], {"id": "p1", "name": "Ann", "tags": [1, 2]})
    b = Node(g, "4:db:2", 2, ["Phone"], {"id": "t1"})
    r = g.relationship_type("HAS_PHONE")(g, "5:db:1", 1, {"id": "e1", "since": "2020-01"})
    r._start_node, r._end_node = a, b
    return a, b, r


def test_node_relationship_and_path_values() -> None:
    a, _, r = _graph()
    ann = NodeValue(("Person", "Record"), {"id": "p1", "name": "Ann", "tags": [1, 2]})
    edge = EdgeValue("HAS_PHONE", {"id": "e1", "since": "2020-01"})
    assert to_value(a) == ann
    assert to_value(r) == edge
    assert to_value(Path(a, r)) == PathValue((ann, NodeValue(("Phone",), {"id": "t1"})), (edge,))
    assert to_value([a, {"k": r}]) == [ann, {"k": edge}]


def test_temporal_values_become_iso_strings() -> None:
    aware = DateTime(2024, 3, 1, 11, 15, 0, tzinfo=UTC)
    assert to_value(aware) == "2024-03-01T11:15:00Z"
    assert to_value(DateTime(2024, 3, 1, 11, 15, 30)) == "2024-03-01T11:15:30"
    assert to_value(Date(2024, 3, 1)) == "2024-03-01"
    assert to_value(Time(9, 5, 0)) == "09:05:00"
    assert to_value(Duration(days=2, hours=3)) == "P2DT3H"
    # The same instant in another zone reads back in UTC, as Clew writes it.
    one_hour_east = DateTime.from_native(datetime.fromisoformat("2024-03-01T12:15:00+01:00"))
    assert to_value(one_hour_east) == "2024-03-01T11:15:00Z"


def test_points_and_plain_values() -> None:
    assert to_value(WGS84Point((-0.1, 51.5))) == {"latitude": 51.5, "longitude": -0.1}
    assert to_value(CartesianPoint((1.0, 2.0))) == {"x": 1.0, "y": 2.0}
    for plain in (None, True, 3, 2.5, "x"):
        assert to_value(plain) == plain
    assert to_value((1, "a")) == [1, "a"]


# -- errors


def _server_error(code: str, message: str = "engine says no") -> Neo4jError:
    # How the driver builds an error from the server's FAILURE message.
    return Neo4jError._hydrate_neo4j(code=code, message=message)


def test_read_in_write_mode_is_read_only_violation() -> None:
    exc = _server_error("Neo.ClientError.Statement.AccessMode", "Writing in read access mode")
    err = to_clew_error(exc, query="CREATE (n)")
    assert isinstance(err, ReadOnlyViolation)
    assert err.engine_message == "Writing in read access mode"
    assert err.query == "CREATE (n)"


@pytest.mark.parametrize(
    "code",
    [
        "Neo.ClientError.Transaction.TransactionTimedOut",
        "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
        "Neo.TransientError.Transaction.TransactionTimedOut",
    ],
)
def test_timeouts(code: str) -> None:
    err = to_clew_error(_server_error(code), query="MATCH (n) RETURN n", timeout_ms=250)
    assert isinstance(err, QueryTimeout)
    assert err.timeout_ms == 250
    assert "250 ms" in str(err)


def test_constraint_violation_keeps_the_engine_message() -> None:
    exc = _server_error("Neo.ClientError.Schema.ConstraintValidationFailed", "already exists")
    err = to_clew_error(exc, query="CREATE (:Person {id: 'p1'})")
    assert type(err) is ConstraintViolation
    assert err.engine_message == "already exists"


@pytest.mark.parametrize(
    "code",
    [
        "Neo.ClientError.Statement.SyntaxError",
        "Neo.ClientError.Statement.TypeError",
        "Neo.ClientError.Statement.ArgumentError",
        "Neo.DatabaseError.General.UnknownError",
    ],
)
def test_other_engine_errors_are_query_errors(code: str) -> None:
    err = to_clew_error(_server_error(code, "Invalid input 'MATCHX'"), query="MATCHX (n)")
    assert type(err) is QueryError
    assert err.engine_message == "Invalid input 'MATCHX'"
    assert err.query == "MATCHX (n)"


def test_auth_failure_names_the_user_not_the_password() -> None:
    exc = _server_error("Neo.ClientError.Security.Unauthorized", "bad credentials")
    assert isinstance(exc, AuthError)
    err = to_clew_error(exc, location="bolt://db:7687/neo4j", user="analyst")
    assert type(err) is StoreUnavailable
    assert str(err) == "Neo4j at bolt://db:7687/neo4j refused the credentials for user 'analyst'"


@pytest.mark.parametrize(
    "exc",
    [
        ServiceUnavailable("Couldn't connect to db:7687\n  (reason: refused)"),
        SessionExpired("leader switched"),
        ConnectionRefusedError(111, "Connection refused"),
        _server_error("Neo.ClientError.Database.DatabaseNotFound", "no database clew"),
    ],
)
def test_no_server_is_store_unavailable(exc: Exception) -> None:
    err = to_clew_error(exc, location="bolt://db:7687/neo4j")
    assert type(err) is StoreUnavailable
    assert "\n" not in str(err)


def test_lost_commit_is_a_durability_error_and_others_stay_store_errors() -> None:
    assert type(to_clew_error(IncompleteCommit("lost"))) is DurabilityError
    assert type(to_clew_error(ConfigurationError("bad trust"))) is ConfigError
    assert type(to_clew_error(DriverError("closed"))) is StoreError


# -- rows


def test_rows_need_ids() -> None:
    check_row({"id": "p1", "name": "Ann"}, 0, NODE_KEYS)
    with pytest.raises(QueryError, match="row 3 has no 'id'"):
        check_row({"name": "Ann"}, 3, NODE_KEYS)
    with pytest.raises(QueryError, match="row 0 has no 'id'"):
        check_row({"id": ""}, 0, NODE_KEYS)
    with pytest.raises(QueryError, match="row 1 has no 'end'"):
        check_row({"id": "e", "start": "a"}, 1, EDGE_KEYS)
    with pytest.raises(QueryError, match="'props' that is not a map"):
        check_row({"id": "e", "start": "a", "end": "b", "props": [1]}, 0, EDGE_KEYS)
    with pytest.raises(QueryError, match="not a map"):
        check_row(["p1"], 0, NODE_KEYS)


def test_batches_name_the_bad_rows_global_index() -> None:
    rows = [{"id": f"p{i}"} for i in range(5)] + [{"name": "no id"}]
    batches = encoded_batches(rows, 2, NODE_KEYS)
    assert next(batches) == [{"id": "p0"}, {"id": "p1"}]
    assert next(batches) == [{"id": "p2"}, {"id": "p3"}]
    with pytest.raises(QueryError, match="row 5"):
        list(batches)


def test_batches_encode_values_with_the_row_index() -> None:
    when = datetime(2024, 3, 1, 10, 15, tzinfo=UTC)
    assert list(encoded_batches([{"id": "p", "seen": when}], 10, NODE_KEYS)) == [
        [{"id": "p", "seen": "2024-03-01T10:15:00Z"}]
    ]
    with pytest.raises(QueryError, match=r"rows\[1\]\.score is nan"):
        list(encoded_batches([{"id": "a"}, {"id": "b", "score": float("nan")}], 10, NODE_KEYS))
    with pytest.raises(ValueError, match="batch_size"):
        list(encoded_batches([], 0, NODE_KEYS))


# -- the store over a fake driver


@dataclass
class _Counters:
    nodes_created: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0
    labels_added: int = 0


@dataclass
class _Summary:
    counters: _Counters


class _Result:
    def __init__(self, columns: tuple[str, ...], rows: list[tuple[Any, ...]], c: _Counters):
        self._columns, self._rows, self._counters = columns, rows, c

    def keys(self) -> tuple[str, ...]:
        return self._columns

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._rows)

    def consume(self) -> _Summary:
        return _Summary(self._counters)


@dataclass
class _FakeServer:
    """Answers each query with ``reply(query, params)``; records what ran and how it ended."""

    reply: Callable[[str, dict[str, Any]], _Result]
    ran: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)
    timeouts: list[float | None] = field(default_factory=list)
    retry_s: list[float] = field(default_factory=list)


class _FakeTx:
    def __init__(self, server: _FakeServer, mode: str) -> None:
        self.server, self.mode, self.done = server, mode, False

    def run(self, query: str, params: dict[str, Any]) -> _Result:
        self.server.ran.append((self.mode, query, params))
        return self.server.reply(query, params)

    def commit(self) -> None:
        self.server.ended.append("commit")
        self.done = True

    def close(self) -> None:
        if not self.done:
            self.server.ended.append("rollback")
            self.done = True


class _FakeSession:
    def __init__(self, server: _FakeServer, mode: str) -> None:
        self.server, self.mode = server, mode

    def __enter__(self) -> _FakeSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        pass

    def _managed(self, mode: str, fn: Any) -> Any:
        self.server.timeouts.append(fn.timeout)
        tx = _FakeTx(self.server, mode)
        try:
            out = fn(tx)
        except Exception:
            tx.close()
            raise
        tx.commit()
        return out

    def execute_read(self, fn: Any) -> Any:
        return self._managed("READ", fn)

    def execute_write(self, fn: Any) -> Any:
        return self._managed("WRITE", fn)

    def begin_transaction(self, timeout: float | None = None) -> _FakeTx:
        self.server.timeouts.append(timeout)
        return _FakeTx(self.server, self.mode)


class _FakeDriver:
    execute_query_bookmark_manager = None

    def __init__(self, server: _FakeServer) -> None:
        self.server = server

    def session(self, *, default_access_mode: str, **config: Any) -> _FakeSession:
        self.server.retry_s.append(config["max_transaction_retry_time"])
        return _FakeSession(self.server, default_access_mode)

    def close(self) -> None:
        pass


def _written(query: str, params: dict[str, Any]) -> _Result:
    rows = params.get("rows", [])
    return _Result(("written",), [(len(rows),)], _Counters(nodes_created=len(rows)))


@pytest.fixture
def server() -> _FakeServer:
    return _FakeServer(reply=_written)


@pytest.fixture
def store(server: _FakeServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Neo4jStore]:
    s = Neo4jStore("bolt://localhost", user="neo4j", password="x", default_timeout_ms=1500)
    real = s._driver
    monkeypatch.setattr(s, "_driver", _FakeDriver(server))
    yield s
    real.close()


def test_upsert_nodes_sums_batches(store: Neo4jStore, server: _FakeServer) -> None:
    rows = ({"id": f"p{i}", "name": "x"} for i in range(5))
    summary = store.upsert_nodes("Person", rows, batch_size=2, extra_labels=("Entity",))
    assert (summary.rows, summary.written, summary.batches, summary.missing) == (5, 5, 3, 0)
    assert summary.counters.nodes_created == 5
    assert [mode for mode, _, _ in server.ran] == ["WRITE"] * 3
    assert server.ended == ["commit"] * 3
    assert server.ran[0][1].startswith("UNWIND $rows AS row MERGE (n:Person:Entity {id: row.id})")
    assert server.timeouts == [1.5, 1.5, 1.5]


def test_upsert_edges_counts_missing_ends(store: Neo4jStore, server: _FakeServer) -> None:
    server.reply = lambda q, p: _Result(("written",), [(1,)], _Counters())
    rows = [{"id": "e1", "start": "a", "end": "b"}, {"id": "e2", "start": "a", "end": "zz"}]
    summary = store.upsert_edges("CALLED", rows, start_label="Phone", end_label="Phone")
    assert (summary.rows, summary.written, summary.missing) == (2, 1, 1)


def test_a_bad_row_stops_before_its_batch_is_sent(store: Neo4jStore, server: _FakeServer) -> None:
    rows: list[dict[str, Any]] = [{"id": "a"}, {"id": "b"}, {"oops": 1}]
    with pytest.raises(QueryError, match="row 2"):
        store.write_back("Person", rows, batch_size=2)
    assert len(server.ran) == 1  # the first batch was sent and stays


def test_read_runs_in_read_mode_and_converts(store: Neo4jStore, server: _FakeServer) -> None:
    a, _, _ = _graph()
    server.reply = lambda q, p: _Result(("n", "k"), [(a, 1)], _Counters())
    result = store.read("MATCH (n) RETURN n, $k AS k", {"k": 1}, timeout_ms=20)
    assert server.ran == [("READ", "MATCH (n) RETURN n, $k AS k", {"k": 1})]
    assert result.columns == ("n", "k")
    assert result.rows[0][0].labels == ("Person", "Record")
    assert server.timeouts == [0.02]


def test_engine_errors_surface_as_clew_errors(store: Neo4jStore, server: _FakeServer) -> None:
    def refuse(query: str, params: dict[str, Any]) -> _Result:
        raise _server_error("Neo.ClientError.Statement.AccessMode", "Writing in read access mode")

    server.reply = refuse
    with pytest.raises(ReadOnlyViolation) as info:
        store.read("CREATE (n)")
    assert info.value.query == "CREATE (n)"
    assert isinstance(info.value.__cause__, Neo4jError)
    assert server.ended == ["rollback"]


def test_a_timeout_is_not_left_to_the_drivers_retries(
    store: Neo4jStore, server: _FakeServer
) -> None:
    def slow(query: str, params: dict[str, Any]) -> _Result:
        raise _server_error("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration")

    server.reply = slow
    with pytest.raises(QueryTimeout) as info:
        store.read("MATCH p = (a)-[*]-(b) RETURN p", timeout_ms=100)
    assert info.value.timeout_ms == 100


def test_transaction_commits_a_clean_block(store: Neo4jStore, server: _FakeServer) -> None:
    with store.transaction() as tx:
        tx.run("CREATE (:A {id: $id})", {"id": "a"})
        tx.run("CREATE (:B {id: $id})", {"id": "b"})
    assert [q for _, q, _ in server.ran] == ["CREATE (:A {id: $id})", "CREATE (:B {id: $id})"]
    assert server.ended == ["commit"]


def test_transaction_statements_may_not_return_rows(store: Neo4jStore, server: _FakeServer) -> None:
    def block() -> None:
        with store.transaction() as tx:
            tx.run("CREATE (n:Person {id: 'a'}) RETURN n")

    with pytest.raises(QueryError, match="cannot RETURN"):
        block()
    assert server.ran == []
    assert server.ended == ["rollback"]


def test_transaction_rolls_back_on_an_exception(store: Neo4jStore, server: _FakeServer) -> None:
    def block() -> None:
        with store.transaction() as tx:
            tx.run("CREATE (:A {id: 'a'})")
            raise RuntimeError("analyst code failed")

    with pytest.raises(RuntimeError):
        block()
    assert server.ended == ["rollback"]


def test_transaction_rolls_back_a_swallowed_engine_error(
    store: Neo4jStore, server: _FakeServer
) -> None:
    def clash(query: str, params: dict[str, Any]) -> _Result:
        if "B" in query:
            raise _server_error("Neo.ClientError.Schema.ConstraintValidationFailed", "exists")
        return _Result((), [], _Counters())

    server.reply = clash

    def block() -> None:
        with store.transaction() as tx:
            tx.run("CREATE (:A {id: 'a'})")
            with pytest.raises(ConstraintViolation):
                tx.run("CREATE (:B {id: 'b'})")
            with pytest.raises(QueryError, match="earlier statement"):
                tx.run("CREATE (:C {id: 'c'})")

    with pytest.raises(ConstraintViolation):
        block()
    assert server.ended == ["rollback"]


def test_schema_state_leaves_out_lookup_and_constraint_indexes(
    store: Neo4jStore, server: _FakeServer
) -> None:
    def show(query: str, params: dict[str, Any]) -> _Result:
        if query.startswith("SHOW INDEXES"):
            assert "type <> 'LOOKUP'" in query
            rows = [
                ("idx_person_name", "RANGE", None),
                ("uniq_person_id", "RANGE", "uniq_person_id"),
                ("ft_person", "FULLTEXT", None),
            ]
            return _Result(("name", "type", "owningConstraint"), rows, _Counters())
        return _Result(("name",), [("uniq_person_id",)], _Counters())

    server.reply = show
    state = store.schema_state()
    assert state.indexes == ("idx_person_name",)
    assert state.constraints == ("uniq_person_id",)
    assert state.fulltext == ("ft_person",)


def test_apply_and_drop_schema_use_the_dialect(store: Neo4jStore, server: _FakeServer) -> None:
    server.reply = lambda q, p: _Result((), [], _Counters())
    store.apply_schema(UniqueSpec(label="Person", property="id"))
    store.apply_schema(IndexSpec(label="Person", properties=("name",)))
    store.apply_schema(FullTextSpec(label="Person", properties=("name",)))
    store.drop_schema(UniqueSpec(label="Person", property="id"))
    assert [q.split(" IF ")[0] for _, q, _ in server.ran] == [
        "CREATE CONSTRAINT uniq_person_id",
        "CREATE INDEX idx_person_name",
        "CREATE FULLTEXT INDEX ft_person",
        "DROP CONSTRAINT uniq_person_id",
    ]


def test_clear_deletes_in_batches_then_drops_by_quoted_name(
    store: Neo4jStore, server: _FakeServer
) -> None:
    left = [3]

    def reply(query: str, params: dict[str, Any]) -> _Result:
        if query.startswith("MATCH (n) WITH n LIMIT"):
            deleted, left[0] = left[0], 0
            return _Result(("deleted",), [(deleted,)], _Counters(nodes_deleted=deleted))
        if query.startswith("SHOW INDEXES"):
            rows = [("idx_a", "RANGE", None), ("odd`name", "TEXT", None)]
            return _Result(("name", "type", "owningConstraint"), rows, _Counters())
        if query.startswith("SHOW CONSTRAINTS"):
            return _Result(("name",), [("uniq_a",)], _Counters())
        return _Result((), [], _Counters())

    server.reply = reply
    store.clear()
    drops = [q for _, q, _ in server.ran if q.startswith("DROP")]
    assert drops == [
        "DROP CONSTRAINT `uniq_a` IF EXISTS",
        "DROP INDEX `idx_a` IF EXISTS",
        "DROP INDEX `odd``name` IF EXISTS",
    ]
    assert sum(q.startswith("MATCH (n) WITH n LIMIT") for _, q, _ in server.ran) == 2


def test_export_projection_streams_in_windows(store: Neo4jStore, server: _FakeServer) -> None:
    def reply(query: str, params: dict[str, Any]) -> _Result:
        if "AS internal_id" in query:
            rows = [("4:x:1", "p1", "Person"), ("4:x:2", "p2", "Person"), ("4:x:3", "p3", "Person")]
            return _Result(("internal_id", "id", "label"), rows, _Counters())
        assert params == {"default_weight": 1.0}
        edges = [("4:x:1", "4:x:2", "CALLED", 2.0), ("4:x:2", "4:x:3", "CALLED", 1.0)]
        return _Result(("source", "target", "type", "weight"), list(edges), _Counters())

    server.reply = reply
    spec = ProjectionSpec(
        node_labels=("Person",), relationship_types=("CALLED",), weight_property="calls", window=2
    )
    assert [len(c.ids) for c in store.stream_nodes(spec)] == [2, 1]
    projection = store.export_projection(spec)
    assert projection.ids == ["p1", "p2", "p3"]
    assert projection.sources.tolist() == [0, 1]
    assert projection.targets.tolist() == [1, 2]
    assert projection.weights.tolist() == [2.0, 1.0]
    assert all(mode == "READ" for mode, _, _ in server.ran)
    assert set(server.timeouts) == {None}  # an export is not bounded like one analyst query


def test_health_reports_version_and_gds(store: Neo4jStore, server: _FakeServer) -> None:
    def reply(query: str, params: dict[str, Any]) -> _Result:
        if "dbms.components" in query:
            return _Result(("version", "edition"), [("5.26.0", "community")], _Counters())
        raise _server_error("Neo.ClientError.Statement.SyntaxError", "Unknown function")

    server.reply = reply
    health = store.health()
    assert (health.ok, health.engine, health.version) == (True, "neo4j", "5.26.0")
    assert health.detail == "community edition, no GDS plugin, database neo4j"

    def down(query: str, params: dict[str, Any]) -> _Result:
        raise ServiceUnavailable("refused")

    server.reply = down
    assert store.health().ok is False
    assert set(server.retry_s) == {0.0}  # a health check does not wait out the driver's retries


# -- against a server (NEO4J_URI)

needs_server = pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason="NEO4J_URI is not set")


@pytest.fixture
def live() -> Iterator[Neo4jStore]:
    store = Neo4jStore.connect(
        os.environ["NEO4J_URI"],
        user=os.environ.get("NEO4J_USER", "neo4j"),
        password=os.environ.get("NEO4J_PASSWORD", ""),
        database=os.environ.get("NEO4J_DATABASE", "neo4j"),
    )
    store.clear()
    yield store
    store.clear()
    store.close()


@pytest.mark.neo4j
@needs_server
def test_live_read_refuses_a_write(live: Neo4jStore) -> None:
    with pytest.raises(ReadOnlyViolation):
        live.read("CREATE (:Person {id: 'p1'})")
    assert live.read("MATCH (n) RETURN count(n)").single() == 0


@pytest.mark.neo4j
@needs_server
def test_live_round_trip_and_timeout(live: Neo4jStore) -> None:
    live.upsert_nodes("Person", [{"id": "p1", "seen": datetime(2024, 3, 1, tzinfo=UTC)}])
    node = live.read("MATCH (n:Person {id: 'p1'}) RETURN n").single()
    assert node == NodeValue(("Person",), {"id": "p1", "seen": "2024-03-01T00:00:00Z"})
    with pytest.raises(QueryTimeout):
        live.read("UNWIND range(1, 100000000) AS x RETURN sum(x)", timeout_ms=50)


@pytest.mark.neo4j
@needs_server
def test_live_schema_is_idempotent_and_transaction_rolls_back(live: Neo4jStore) -> None:
    unique = UniqueSpec(label="Person", property="id")
    live.apply_schema(unique)
    live.apply_schema(unique)
    assert live.schema_state().constraints == ("uniq_person_id",)

    def block() -> None:
        with live.transaction() as tx:
            tx.run("CREATE (:Person {id: 'a'})")
            tx.run("CREATE (:Person {id: 'a'})")

    with pytest.raises(ConstraintViolation):
        block()
    assert live.read("MATCH (n) RETURN count(n)").single() == 0
