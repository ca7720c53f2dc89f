"""``Neo4jStore``: the ``GraphStore`` protocol on Neo4j 5, through the official ``neo4j`` driver.

The production engine (compose.yaml runs it with the Graph Data Science plugin). What differs from
``FalkorStore``, and why:

- Transactions are real. ``read`` runs in a READ access-mode transaction, which the server itself
  refuses to write in (``Neo.ClientError.Statement.AccessMode`` becomes ``ReadOnlyViolation``);
  ``write`` and every upsert batch are managed write transactions, durable when the commit
  returns; ``transaction()`` is one explicit transaction. Managed transactions are retried by the
  driver on transient errors (a cluster leader change, a deadlock), so a batch is never half
  applied and a retry never doubles it (every write MERGEs on ``id``).
- Clusters and Aura: ``neo4j://`` URIs route reads to followers and writes to the leader. Every
  session shares the driver's bookmark manager, so a read sees the writes this store committed
  before it, whichever member serves it.
- Internal ids are ``elementId`` strings, not integers: they cannot be cut into id windows, so a
  projection is one query per part whose records the driver streams (1,000 at a time), cut into
  chunks of ``spec.window`` rows here. FalkorDB materialises a reply whole and is windowed instead.
- Schema objects carry Clew's names (``IF NOT EXISTS`` / ``IF EXISTS`` make DDL idempotent on the
  server), and ``SHOW INDEXES`` reports those names; FalkorDB's are unnamed.
- Time limits are transaction timeouts enforced by the server; a timed-out query is not retried.
- Durability is Neo4j's own: a committed transaction is on disk (in the transaction log), so no
  ``WAITAOF`` step is needed.

Driver objects never leave this module: records become ``graph.results`` values and driver errors
become ``schema.errors`` (the driver's exception is chained as the cause).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from typing import Any, Final

import neo4j
from neo4j import GraphDatabase, ManagedTransaction, Session, unit_of_work
from neo4j.exceptions import (
    ConfigurationError,
    Neo4jError,
)

from graph import cypher
from graph.dialect import Neo4jDialect
from graph.neo4j_convert import (
    DRIVER_ERRORS,
    EDGE_KEYS,
    NODE_KEYS,
    collect,
    encoded_batches,
    is_timeout,
    neo4j_location,
    one_line,
    quote_name,
    to_clew_error,
)
from graph.params import encode_params
from graph.projection import EdgeChunk, NodeChunk, Projection, ProjectionSpec
from graph.projection_cypher import edge_params, projection_edges, projection_nodes
from graph.results import Result, UpsertSummary
from graph.store import DEFAULT_BATCH_SIZE, Health, Params, SchemaState, WriteTransaction
from graph.txn import returns_rows
from schema.errors import (
    ClewError,
    ConfigError,
    QueryError,
    StoreError,
)
from schema.specs import FullTextSpec, SchemaObject, UniqueSpec

# Neo4j-only statements (the engine-neutral ones live in graph.cypher / graph.projection_cypher).
SHOW_INDEXES: Final = (
    "SHOW INDEXES YIELD name, type, owningConstraint WHERE type <> 'LOOKUP' "
    "RETURN name, type, owningConstraint"
)
SHOW_CONSTRAINTS: Final = "SHOW CONSTRAINTS YIELD name RETURN name"
COMPONENTS: Final = (
    "CALL dbms.components() YIELD name, versions, edition "
    "WHERE name = 'Neo4j Kernel' RETURN versions[0] AS version, edition"
)
GDS_VERSION: Final = "RETURN gds.version() AS version"
CHECK: Final = "RETURN 1 AS ok"

_CLEAR_BATCH: Final = 10_000
_RETRY_S: Final = 30.0  # how long the driver retries a transient failure (its own default)


# -- the store -------------------------------------------------------------------------------


class _Transaction:
    """``WriteTransaction`` over one explicit Neo4j transaction."""

    def __init__(self, tx: neo4j.Transaction, error: Callable[[BaseException, str], ClewError]):
        self._tx = tx
        self._error = error
        self.failure: ClewError | None = None

    def run(self, query: str, params: Params | None = None) -> None:
        if self.failure is not None:
            raise QueryError("an earlier statement of this transaction failed", query=query)
        try:
            if returns_rows(query):
                # Refused on every engine (FalkorDB composes a transaction into one query).
                raise QueryError(
                    "a statement in a transaction cannot RETURN rows; run it with write() instead",
                    query=query,
                )
            self._tx.run(query, encode_params(params)).consume()
        except ClewError as err:
            self.failure = err
            raise
        except DRIVER_ERRORS as exc:
            self.failure = self._error(exc, query)
            raise self.failure from exc


class Neo4jStore:
    """A Neo4j 5 database as a ``GraphStore``.

    Creating a store opens no connection; ``connect`` also proves that the server answers, takes
    the credentials and has the database. ``default_timeout_ms`` bounds every query that does
    not give its own (None: the server's ``db.transaction.timeout``; 0: no limit).
    """

    def __init__(
        self,
        uri: str,
        *,
        user: str,
        password: str,
        database: str = "neo4j",
        default_timeout_ms: int | None = None,
    ) -> None:
        self._location = neo4j_location(uri, database)
        if default_timeout_ms is not None and default_timeout_ms < 0:
            raise ConfigError(f"the Neo4j query timeout is negative ({default_timeout_ms} ms)")
        self._user = user
        self._database = database
        self._default_timeout_ms = default_timeout_ms
        self._dialect = Neo4jDialect()
        try:
            self._driver = GraphDatabase.driver(uri, auth=(user, password), user_agent="clew")
        except (ConfigurationError, ValueError) as exc:
            raise ConfigError(f"Neo4j URL {self._location}: {one_line(str(exc))}") from exc

    @classmethod
    def connect(
        cls,
        uri: str,
        *,
        user: str,
        password: str,
        database: str = "neo4j",
        default_timeout_ms: int | None = None,
    ) -> Neo4jStore:
        """A store whose server has answered: reachable, credentials taken, database online."""
        store = cls(
            uri,
            user=user,
            password=password,
            database=database,
            default_timeout_ms=default_timeout_ms,
        )
        try:
            try:
                store._driver.verify_connectivity()
            except DRIVER_ERRORS as exc:
                raise store._error(exc) from exc
            store.read(CHECK)
        except ClewError:
            store.close()
            raise
        return store

    # -- protocol: identity

    @property
    def engine(self) -> str:
        return "neo4j"

    @property
    def location(self) -> str:
        return self._location

    # -- protocol: queries

    def read(
        self, query: str, params: Params | None = None, *, timeout_ms: int | None = None
    ) -> Result:
        return self._execute(neo4j.READ_ACCESS, query, encode_params(params), timeout_ms)

    def write(
        self, query: str, params: Params | None = None, *, timeout_ms: int | None = None
    ) -> Result:
        return self._execute(neo4j.WRITE_ACCESS, query, encode_params(params), timeout_ms)

    @contextmanager
    def transaction(self) -> Iterator[WriteTransaction]:
        session = self._session(neo4j.WRITE_ACCESS)
        try:
            try:
                tx = session.begin_transaction(timeout=self._timeout_s(None))
            except DRIVER_ERRORS as exc:
                raise self._error(exc) from exc
            handle = _Transaction(tx, self._error)
            try:
                yield handle
            except BaseException:
                _close_quietly(tx)
                raise
            if handle.failure is not None:
                # The block swallowed an engine error: the transaction still applies nothing.
                _close_quietly(tx)
                raise handle.failure
            try:
                tx.commit()
            except DRIVER_ERRORS as exc:
                raise self._error(exc) from exc
        finally:
            _close_quietly(session)

    # -- protocol: batched writes

    def upsert_nodes(
        self,
        label: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        extra_labels: tuple[str, ...] = (),
    ) -> UpsertSummary:
        query = cypher.upsert_nodes(label, extra_labels)
        return self._batched(query, encoded_batches(rows, batch_size, NODE_KEYS))

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
        return self._batched(query, encoded_batches(rows, batch_size, EDGE_KEYS))

    def write_back(
        self,
        label: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> UpsertSummary:
        query = cypher.write_back(label)
        return self._batched(query, encoded_batches(rows, batch_size, NODE_KEYS))

    # -- protocol: schema

    def apply_schema(self, obj: SchemaObject) -> None:
        if isinstance(obj, UniqueSpec):
            ddl = self._dialect.create_unique(obj)
        elif isinstance(obj, FullTextSpec):
            ddl = self._dialect.create_fulltext(obj)
        else:
            ddl = self._dialect.create_index(obj)
        self._execute(neo4j.WRITE_ACCESS, ddl, {}, None)

    def drop_schema(self, obj: SchemaObject) -> None:
        if isinstance(obj, UniqueSpec):
            ddl = self._dialect.drop_unique(obj)
        elif isinstance(obj, FullTextSpec):
            ddl = self._dialect.drop_fulltext(obj)
        else:
            ddl = self._dialect.drop_index(obj)
        self._execute(neo4j.WRITE_ACCESS, ddl, {}, None)

    def schema_state(self) -> SchemaState:
        """Names as the server reports them; token lookup indexes are left out (every database
        has them and Clew never makes one), and so are the indexes that back a constraint (they
        come and go with the constraint, which is listed)."""
        indexes: list[str] = []
        fulltext: list[str] = []
        for name, kind, owner in self.read(SHOW_INDEXES):
            if kind == "FULLTEXT":
                fulltext.append(name)
            elif owner is None:
                indexes.append(name)
        constraints = [row[0] for row in self.read(SHOW_CONSTRAINTS)]
        return SchemaState(
            indexes=tuple(sorted(indexes)),
            constraints=tuple(sorted(constraints)),
            fulltext=tuple(sorted(fulltext)),
        )

    # -- protocol: projections

    def stream_nodes(self, spec: ProjectionSpec) -> Iterator[NodeChunk]:
        query = projection_nodes(spec, self._dialect, windowed=False)
        for rows in self._stream(query, {}, spec.window):
            yield NodeChunk(
                internal_ids=[r[0] for r in rows],
                ids=[r[1] for r in rows],
                labels=[r[2] for r in rows],
            )

    def stream_edges(self, spec: ProjectionSpec) -> Iterator[EdgeChunk]:
        query = projection_edges(spec, self._dialect, windowed=False)
        for rows in self._stream(query, edge_params(spec), spec.window):
            yield EdgeChunk(
                sources=[r[0] for r in rows],
                targets=[r[1] for r in rows],
                types=[r[2] for r in rows],
                weights=[r[3] for r in rows],
            )

    def export_projection(self, spec: ProjectionSpec) -> Projection:
        return Projection.gather(self.stream_nodes(spec), self.stream_edges(spec))

    # -- protocol: operations

    def health(self) -> Health:
        try:
            row = self._check(COMPONENTS).records()[0]
        except (StoreError, IndexError) as err:
            return Health(ok=False, engine="neo4j", version="", detail=str(err))
        try:
            gds = f"GDS {self._check(GDS_VERSION).single()}"
        except StoreError:
            gds = "no GDS plugin"
        detail = f"{row['edition']} edition, {gds}, database {self._database}"
        return Health(ok=True, engine="neo4j", version=str(row["version"]), detail=detail)

    def clear(self) -> None:
        while self.write(cypher.delete_everything(_CLEAR_BATCH)).single():
            pass
        state = self.schema_state()
        # Constraints first: dropping one drops the index that backs it.
        for name in state.constraints:
            self.write(f"DROP CONSTRAINT {quote_name(name)} IF EXISTS")
        for name in (*state.indexes, *state.fulltext):
            self.write(f"DROP INDEX {quote_name(name)} IF EXISTS")

    def close(self) -> None:
        self._driver.close()

    # -- internals

    def _timeout_s(self, timeout_ms: int | None) -> float | None:
        ms = self._default_timeout_ms if timeout_ms is None else timeout_ms
        return None if ms is None else ms / 1000

    def _error(
        self, exc: BaseException, query: str | None = None, timeout_ms: int | None = None
    ) -> ClewError:
        return to_clew_error(
            exc,
            query=query,
            location=self._location,
            user=self._user,
            timeout_ms=timeout_ms if timeout_ms is not None else self._default_timeout_ms,
        )

    def _session(self, access_mode: str, *, retry: bool = True) -> Session:
        return self._driver.session(
            database=self._database,
            default_access_mode=access_mode,
            bookmark_manager=self._driver.execute_query_bookmark_manager,
            max_transaction_retry_time=_RETRY_S if retry else 0.0,
        )

    def _execute(
        self,
        access_mode: str,
        query: str,
        params: dict[str, Any],
        timeout_ms: int | None,
        *,
        retry: bool = True,
    ) -> Result:
        """One statement in a managed transaction of ``access_mode``, committed on return.

        ``retry=False`` gives up after one retry instead of the driver's 30 s of them (health
        checks must answer quickly that the server is down)."""

        def work(tx: ManagedTransaction) -> Result:
            try:
                return collect(tx.run(query, params))
            except Neo4jError as exc:
                # Raised as Clew's error here, inside the transaction function, so that the
                # driver does not retry it: a query that ran out of time would do so again.
                if is_timeout(exc):
                    raise self._error(exc, query, timeout_ms) from exc
                raise

        unit = unit_of_work(timeout=self._timeout_s(timeout_ms))(work)
        try:
            with self._session(access_mode, retry=retry) as session:
                if access_mode == neo4j.READ_ACCESS:
                    return session.execute_read(unit)
                return session.execute_write(unit)
        except DRIVER_ERRORS as exc:
            raise self._error(exc, query, timeout_ms) from exc

    def _check(self, query: str) -> Result:
        return self._execute(neo4j.READ_ACCESS, query, {}, None, retry=False)

    def _batched(self, query: str, batches: Iterator[list[dict[str, Any]]]) -> UpsertSummary:
        total = UpsertSummary()
        for batch in batches:
            result = self._execute(neo4j.WRITE_ACCESS, query, {"rows": batch}, None)
            total += UpsertSummary(
                rows=len(batch),
                written=int(result.single()),
                batches=1,
                counters=result.counters,
            )
        return total

    def _stream(
        self, query: str, params: dict[str, Any], window: int
    ) -> Iterator[list[tuple[Any, ...]]]:
        """One read query's records in lists of ``window``, as the driver streams them.

        An explicit transaction, not a managed one: the records are handed out while the
        transaction is open, so a failure cannot be retried from the start behind the caller.
        No client time limit (the server's ``db.transaction.timeout`` still applies): the default
        bounds one analyst query, while this is a whole export, which FalkorDB spreads over many
        windowed queries that the default bounds one by one.
        """
        session = self._session(neo4j.READ_ACCESS)
        try:
            tx = session.begin_transaction()
            try:
                batch: list[tuple[Any, ...]] = []
                for record in tx.run(query, params):
                    batch.append(tuple(record))
                    if len(batch) == window:
                        yield batch
                        batch = []
                if batch:
                    yield batch
            finally:
                _close_quietly(tx)
        except DRIVER_ERRORS as exc:
            raise to_clew_error(exc, query=query, location=self._location, user=self._user) from exc
        finally:
            _close_quietly(session)


def _close_quietly(closable: neo4j.Transaction | Session) -> None:
    # Closing after a failure (rolling back) may itself fail on a dead connection; the error
    # that matters is the one already being raised.
    with suppress(*DRIVER_ERRORS):
        closable.close()
