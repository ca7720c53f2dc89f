"""``GraphStore`` on FalkorDB: the embedded server Clew starts itself, or any FalkorDB server.

Client choice (the dependency conflict DESIGN.md warns of): arq 0.28 pins redis-py < 6 and
falkordb >= 1.2.2 needs redis-py >= 6, so Clew pins falkordb 1.2.0, the newest client that installs
beside arq. Its asyncio client cannot connect over a unix socket (it passes ``path=`` where
redis-py 5 expects ``unix_socket_path=``), and the embedded server listens only on a unix socket.
So this store uses the *synchronous* client; async callers (the API, jobs) run store calls in a
worker thread, which the sync client's connection pool supports. redis-py's own asyncio client
works over the socket, so arq shares the server without this limitation. When arq lifts its pin,
move to falkordb >= 1.2.2 and drop this note.

Durability: each write is sent in one pipeline with ``WAITAOF 1 0`` on the same connection; the
reply says how many local fsyncs covered the write. The embedded server runs with
``appendfsync always``, so that confirmation is immediate (bench/RESULTS.md has the cost);
on a server with ``appendfsync everysec`` it waits up to a second per write, and on one with
the append-only file off ``connect`` refuses unless durability is turned off explicitly.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final

import redis
from falkordb import FalkorDB
from falkordb.graph import Graph
from falkordb.query_result import QueryResult

from graph import cypher
from graph.dialect import FalkorDialect
from graph.falkor_convert import batches, check_rows, map_error, to_result
from graph.falkor_params import params_header
from graph.params import encode_params
from graph.projection import EdgeChunk, NodeChunk, Projection, ProjectionSpec
from graph.projection_cypher import (
    edge_params,
    projection_edges,
    projection_nodes,
    window_params,
)
from graph.redis_calls import aof_enabled, client_kwargs, command, info, module_version
from graph.results import Result, UpsertSummary
from graph.store import DEFAULT_BATCH_SIZE, Health, Params, SchemaState
from graph.txn import compose
from schema.errors import (
    ConstraintViolation,
    DurabilityError,
    QueryTimeout,
    StoreError,
    StoreUnavailable,
)
from schema.specs import FullTextSpec, IndexSpec, SchemaObject, UniqueSpec

WAITAOF_TIMEOUT_MS: Final = 30_000
INDEX_BUILD_TIMEOUT_S: Final = 3_600
_Indexed = dict[tuple[str, str, str], set[str]]
"""(entity, label, property) -> the kinds of index on it (RANGE, FULLTEXT, VECTOR)."""
_DIALECT: Final = FalkorDialect()


def _lacks(key: tuple[str, str, str], kind: str) -> Callable[[_Indexed], bool]:
    return lambda now: kind not in now.get(key, ())


class _Transaction:
    def __init__(self) -> None:
        self.statements: list[tuple[str, Mapping[str, Any]]] = []

    def run(self, query: str, params: Params | None = None) -> None:
        self.statements.append((query, encode_params(params)))


class FalkorStore:
    """A FalkorDB graph (one named graph on one server) as a ``GraphStore``."""

    engine: Final = "falkordb"

    def __init__(
        self,
        db: FalkorDB,
        graph: str,
        *,
        location: str,
        durable: bool = True,
        default_timeout_ms: int | None = None,
    ) -> None:
        self._db = db
        self._redis: redis.Redis = db.connection
        self._graph: Graph = db.select_graph(graph)
        self._location = location
        self._durable = durable
        self._default_timeout_ms = default_timeout_ms
        self.graph_name = graph

    @classmethod
    def connect(
        cls,
        *,
        graph: str,
        unix_socket_path: str | None = None,
        host: str = "localhost",
        port: int = 6379,
        username: str | None = None,
        password: str | None = None,
        ssl: bool = False,
        durable: bool = True,
        default_timeout_ms: int | None = None,
        socket_timeout_s: float | None = 600.0,
    ) -> FalkorStore:
        """Connect, check the server answers and, when ``durable``, that it can confirm fsyncs."""
        kwargs, location = client_kwargs(
            unix_socket_path=unix_socket_path,
            host=host,
            port=port,
            username=username,
            password=password,
            ssl=ssl,
            socket_timeout_s=socket_timeout_s,
        )
        try:
            db = FalkorDB(**kwargs)
            db.connection.ping()
            if durable and not aof_enabled(db.connection):
                raise StoreUnavailable(
                    f"FalkorDB at {location} has its append-only file off, so acknowledged "
                    "writes could be lost in a crash; turn on appendonly there or set "
                    "CLEW_DURABLE=false to accept that"
                )
        except StoreError:
            raise
        except Exception as exc:
            raise map_error(exc, query=None, location=location) from exc
        return cls(
            db, graph, location=location, durable=durable, default_timeout_ms=default_timeout_ms
        )

    def _ensure_graph(self) -> None:
        try:
            command(self._redis, "GRAPH.QUERY", self.graph_name, "RETURN 0")
        except Exception as exc:
            raise map_error(exc, query=None, location=self._location) from exc

    # -- identity ---------------------------------------------------------------------------

    @property
    def location(self) -> str:
        return f"{self._location} graph {self.graph_name!r}"

    @property
    def dialect(self) -> FalkorDialect:
        return _DIALECT

    # -- queries ----------------------------------------------------------------------------

    def _timeout(self, timeout_ms: int | None) -> int | None:
        return timeout_ms if timeout_ms is not None else self._default_timeout_ms

    def _args(self, read_only: bool, text: str, timeout: int | None) -> list[Any]:
        args: list[Any] = [
            "GRAPH.RO_QUERY" if read_only else "GRAPH.QUERY",
            self.graph_name,
            text,
            "--compact",
        ]
        if timeout is not None:
            args += ["timeout", int(timeout)]
        return args

    def read(
        self, query: str, params: Params | None = None, *, timeout_ms: int | None = None
    ) -> Result:
        timeout = self._timeout(timeout_ms)
        args = self._args(True, params_header(params) + query, timeout)
        for attempt in (0, 1):
            try:
                return to_result(QueryResult(self._graph, command(self._redis, *args)))
            except redis.ResponseError as exc:
                # A graph that was never written (or was cleared) does not exist as a key, and
                # FalkorDB refuses reads of it; an empty graph is what the caller means.
                if attempt or "empty key" not in str(exc):
                    raise map_error(
                        exc, query=query, location=self._location, timeout_ms=timeout
                    ) from exc
                self._ensure_graph()
            except StoreError:
                raise
            except Exception as exc:
                raise map_error(
                    exc, query=query, location=self._location, timeout_ms=timeout
                ) from exc
        raise AssertionError("unreachable")

    def write(
        self, query: str, params: Params | None = None, *, timeout_ms: int | None = None
    ) -> Result:
        return self._write(query, params_header(params), self._timeout(timeout_ms))

    def _write(self, query: str, header: str, timeout: int | None) -> Result:
        """Send one write and, when durable, its WAITAOF in the same round trip."""
        try:
            pipe = self._redis.pipeline(transaction=False)
            command(pipe, *self._args(False, header + query, timeout))
            if self._durable:
                command(pipe, "WAITAOF", 1, 0, WAITAOF_TIMEOUT_MS)
            replies = pipe.execute(raise_on_error=False)
            if isinstance(replies[0], Exception):
                raise replies[0]
            result = QueryResult(self._graph, replies[0])
        except Exception as exc:
            raise map_error(exc, query=query, location=self._location, timeout_ms=timeout) from exc
        if self._durable:
            confirm = replies[1]
            if isinstance(confirm, Exception) or int(confirm[0]) < 1:
                raise DurabilityError(
                    f"FalkorDB at {self._location} applied the write but did not confirm it "
                    f"reached disk within {WAITAOF_TIMEOUT_MS} ms ({confirm!r})"
                )
        return to_result(result)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[_Transaction]:
        tx = _Transaction()
        yield tx
        if tx.statements:
            query, params = compose(tx.statements)
            self._write(query, params_header(params), self._default_timeout_ms)

    # -- batched writes ---------------------------------------------------------------------

    def _batched(
        self,
        query: str,
        rows: Iterable[Mapping[str, Any]],
        batch_size: int,
        keys: tuple[str, ...],
    ) -> UpsertSummary:
        summary = UpsertSummary()
        for batch in batches(rows, batch_size):
            check_rows(batch, keys, summary.rows)
            result = self._write(query, params_header({"rows": batch}), None)
            summary = summary + UpsertSummary(
                rows=len(batch), written=int(result.single()), batches=1, counters=result.counters
            )
        return summary

    def upsert_nodes(
        self,
        label: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        extra_labels: tuple[str, ...] = (),
    ) -> UpsertSummary:
        return self._batched(cypher.upsert_nodes(label, extra_labels), rows, batch_size, ("id",))

    def upsert_edges(
        self,
        rel_type: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        start_label: str,
        end_label: str,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> UpsertSummary:
        query = cypher.upsert_edges(rel_type, start_label, end_label)
        return self._batched(query, rows, batch_size, ("id", "start", "end"))

    def write_back(
        self,
        label: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> UpsertSummary:
        return self._batched(cypher.write_back(label), rows, batch_size, ("id",))

    # -- schema -----------------------------------------------------------------------------

    def _indexed(self) -> _Indexed:
        """(entity, label, property) -> index types (RANGE, FULLTEXT, VECTOR)."""
        found: dict[tuple[str, str, str], set[str]] = {}
        for entity, label, types, _status in self._index_rows():
            for prop, kinds in (types or {}).items():
                found.setdefault((str(entity).lower(), str(label), str(prop)), set()).update(kinds)
        return found

    def _index_rows(self) -> tuple[tuple[Any, ...], ...]:
        return self.read(
            "CALL db.indexes() YIELD label, types, entitytype, status "
            "RETURN entitytype, label, types, status"
        ).rows

    def _settle(
        self, ddl: str, done: Callable[[dict[tuple[str, str, str], set[str]]], bool]
    ) -> None:
        """Run index DDL and wait until FalkorDB has finished it.

        FalkorDB builds and drops indexes in the background; an index is usable (and a later
        change to the same label's index is reliable) only once none is under construction.
        """
        self.write(ddl)
        deadline = time.monotonic() + INDEX_BUILD_TIMEOUT_S
        while time.monotonic() < deadline:
            rows = self._index_rows()
            building = any("UNDER CONSTRUCTION" in str(row[3]) for row in rows)
            if not building and done(self._indexed()):
                return
            time.sleep(0.02)
        raise QueryTimeout(f"FalkorDB had not finished {ddl!r} after {INDEX_BUILD_TIMEOUT_S} s")

    def _constraints(self) -> list[dict[str, Any]]:
        try:
            return list(self._graph.list_constraints())
        except Exception as exc:
            raise map_error(exc, query=None, location=self._location) from exc

    def apply_schema(self, obj: SchemaObject) -> None:
        indexed = self._indexed()
        if isinstance(obj, IndexSpec):
            entity = "node" if obj.entity == "node" else "relationship"
            keys = [(entity, obj.label, p) for p in obj.properties]
            if all("RANGE" in indexed.get(k, ()) for k in keys):
                return
            self._settle(
                _DIALECT.create_index(obj),
                lambda now: all("RANGE" in now.get(k, ()) for k in keys),
            )
        elif isinstance(obj, FullTextSpec):
            have = {
                p
                for (e, lab, p), k in indexed.items()
                if e == "node" and lab == obj.label and "FULLTEXT" in k
            }
            missing = [p for p in obj.properties if p not in have]
            if not missing:
                return
            keys = [("node", obj.label, p) for p in obj.properties]
            self._settle(
                _DIALECT.create_fulltext(obj.model_copy(update={"properties": tuple(missing)})),
                lambda now: all("FULLTEXT" in now.get(k, ()) for k in keys),
            )
        elif isinstance(obj, UniqueSpec):
            if self._unique(obj) is not None:
                return
            # FalkorDB backs a unique constraint with a range index on the same property.
            self.apply_schema(IndexSpec(label=obj.label, properties=(obj.property,)))
            self._constraint_command("CREATE", obj)
            self._await_constraint(obj)

    def _unique(self, obj: UniqueSpec) -> dict[str, Any] | None:
        """The engine's entry for ``obj``'s unique constraint, if there is one."""
        for c in self._constraints():
            if (
                c.get("type") == "UNIQUE"
                and c.get("label") == obj.label
                and list(c.get("properties", [])) == [obj.property]
            ):
                return c
        return None

    def _constraint_command(self, verb: str, obj: UniqueSpec) -> None:
        # A unique constraint is a GRAPH.CONSTRAINT command on FalkorDB, not Cypher.
        args = ("UNIQUE", "NODE", obj.label, "PROPERTIES", 1, obj.property)
        try:
            command(self._redis, "GRAPH.CONSTRAINT", verb, self.graph_name, *args)
        except Exception as exc:
            raise map_error(exc, query=None, location=self._location) from exc

    def _await_constraint(self, obj: UniqueSpec) -> None:
        deadline = time.monotonic() + INDEX_BUILD_TIMEOUT_S
        while time.monotonic() < deadline:
            c = self._unique(obj)
            if c is not None:
                if c.get("status") == "OPERATIONAL":
                    return
                if c.get("status") == "FAILED":
                    raise ConstraintViolation(
                        f"unique constraint on :{obj.label}({obj.property}) could not be "
                        "built: existing nodes share a value; resolve the duplicates first"
                    )
            time.sleep(0.05)
        raise QueryTimeout(f"unique constraint on :{obj.label}({obj.property}) still pending")

    def drop_schema(self, obj: SchemaObject) -> None:
        indexed = self._indexed()
        # One property per statement: FalkorDB 4.16 drops only the first property a DROP names.
        if isinstance(obj, IndexSpec):
            entity = "node" if obj.entity == "node" else "relationship"
            for prop in obj.properties:
                key = (entity, obj.label, prop)
                if "RANGE" in indexed.get(key, ()):
                    self._settle(
                        _DIALECT.drop_index(obj.model_copy(update={"properties": (prop,)})),
                        _lacks(key, "RANGE"),
                    )
        elif isinstance(obj, FullTextSpec):
            for prop in obj.properties:
                key = ("node", obj.label, prop)
                if "FULLTEXT" in indexed.get(key, ()):
                    self._settle(
                        _DIALECT.drop_fulltext(obj.model_copy(update={"properties": (prop,)})),
                        _lacks(key, "FULLTEXT"),
                    )
        elif isinstance(obj, UniqueSpec) and self._unique(obj) is not None:
            self._constraint_command("DROP", obj)

    def schema_state(self) -> SchemaState:
        indexes: list[str] = []
        fulltext: dict[str, list[str]] = {}
        for (entity, label, prop), kinds in sorted(self._indexed().items()):
            if "RANGE" in kinds:
                indexes.append(
                    IndexSpec(
                        entity="node" if entity == "node" else "relationship",
                        label=label,
                        properties=(prop,),
                    ).name
                )
            if "FULLTEXT" in kinds:
                fulltext.setdefault(label, []).append(prop)
        constraints = [
            UniqueSpec(label=str(c["label"]), property=str(c["properties"][0])).name
            for c in self._constraints()
            if c.get("type") == "UNIQUE"
            and c.get("status") == "OPERATIONAL"
            and len(c.get("properties", [])) == 1
        ]
        return SchemaState(
            indexes=tuple(indexes),
            constraints=tuple(sorted(constraints)),
            fulltext=tuple(
                sorted(
                    FullTextSpec(label=lab, properties=tuple(p)).name for lab, p in fulltext.items()
                )
            ),
        )

    # -- projections ------------------------------------------------------------------------

    def _max_internal_id(self) -> int:
        value = self.read("MATCH (n) RETURN max(id(n))").single()
        return -1 if value is None else int(value)

    def _windows(self, spec: ProjectionSpec) -> Iterator[dict[str, int]]:
        top = self._max_internal_id()
        for lo in range(0, top + 1, spec.window):
            yield window_params(lo, lo + spec.window)

    def stream_nodes(self, spec: ProjectionSpec) -> Iterator[NodeChunk]:
        query = projection_nodes(spec, _DIALECT, windowed=True)
        for window in self._windows(spec):
            rows = self.read(query, window).rows
            if rows:
                ids, business, labels = zip(*rows, strict=True)
                yield NodeChunk(internal_ids=ids, ids=business, labels=labels)

    def stream_edges(self, spec: ProjectionSpec) -> Iterator[EdgeChunk]:
        query = projection_edges(spec, _DIALECT, windowed=True)
        params = edge_params(spec)
        for window in self._windows(spec):
            rows = self.read(query, {**params, **window}).rows
            if rows:
                sources, targets, types, weights = zip(*rows, strict=True)
                yield EdgeChunk(sources=sources, targets=targets, types=types, weights=weights)

    def export_projection(self, spec: ProjectionSpec) -> Projection:
        return Projection.gather(self.stream_nodes(spec), self.stream_edges(spec))

    # -- operations -------------------------------------------------------------------------

    def health(self) -> Health:
        try:
            self._redis.ping()
            persistence = info(self._redis, "persistence")
            version = module_version(self._redis) or "unknown"
        except Exception as exc:
            raise map_error(exc, query=None, location=self._location) from exc
        aof_ok = persistence.get("aof_last_write_status", "ok") == "ok"
        detail = "append-only file writes ok" if aof_ok else "append-only file write failing"
        return Health(ok=aof_ok, engine="falkordb", version=version, detail=detail)

    def clear(self) -> None:
        try:
            self._graph.delete()
        except redis.ResponseError as exc:
            if "empty key" not in str(exc).lower() and "invalid graph" not in str(exc).lower():
                raise map_error(exc, query=None, location=self._location) from exc
        except Exception as exc:
            raise map_error(exc, query=None, location=self._location) from exc
        self._graph = self._db.select_graph(self.graph_name)
        self._ensure_graph()

    def close(self) -> None:
        self._redis.close()
        with contextlib.suppress(Exception):
            self._redis.connection_pool.disconnect()
