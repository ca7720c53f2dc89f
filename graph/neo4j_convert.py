"""Conversions at the Neo4j boundary: URLs, driver values, driver errors and batch rows.

Pure functions, kept apart from ``graph.neo4j_store`` so that each can be tested without a
server; driver objects never travel further than these two modules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC
from typing import Any, Final
from urllib.parse import urlsplit

import neo4j
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    ConnectionPoolError,
    ConstraintError,
    DriverError,
    IncompleteCommit,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from neo4j.graph import Node, Path, Relationship
from neo4j.spatial import Point
from neo4j.time import Date, DateTime, Duration, Time
from neo4j.vector import Vector

from graph.params import encode_value
from graph.results import Counters, EdgeValue, NodeValue, PathValue, Result
from schema.errors import (
    ClewError,
    ConfigError,
    ConstraintViolation,
    DurabilityError,
    QueryError,
    QueryTimeout,
    ReadOnlyViolation,
    StoreError,
    StoreUnavailable,
)

SCHEMES: Final = frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"})
DEFAULT_PORT: Final = 7687

_DRIVER_REASON: Final = re.compile(r"\(reason (?:\[Errno -?\d+\] )?([^)]+)\)")
DRIVER_ERRORS: Final = (Neo4jError, DriverError, OSError)
_READ_ONLY_CODES: Final = frozenset(
    {
        "Neo.ClientError.General.ReadOnly",
        "Neo.ClientError.General.ForbiddenOnReadOnlyDatabase",
    }
)
_UNAVAILABLE_CODES: Final = frozenset(
    {
        "Neo.ClientError.Database.DatabaseNotFound",
        "Neo.TransientError.General.DatabaseUnavailable",
    }
)


# -- URLs ------------------------------------------------------------------------------------


def neo4j_location(uri: str, database: str) -> str:
    """Check a Neo4j URI and return it as ``scheme://host:port/database`` for messages.

    Raises ``ConfigError`` for a scheme the driver cannot use, a missing host, a bad port, or
    credentials in the URI (they belong in the user and password settings, never in a URL that
    ends up in logs).
    """
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"Neo4j URL {uri!r} cannot be parsed: {exc}") from exc
    if parts.scheme not in SCHEMES:
        raise ConfigError(
            f"Neo4j URL scheme {parts.scheme!r} is not supported; "
            f"use one of {', '.join(sorted(SCHEMES))}"
        )
    if parts.username is not None or parts.password is not None:
        raise ConfigError(
            "the Neo4j URL carries credentials; give the user and password as settings instead"
        )
    if not parts.hostname:
        raise ConfigError(f"Neo4j URL {uri!r} names no host")
    if parts.path not in ("", "/"):
        raise ConfigError(
            f"Neo4j URL {uri!r} has a path; name the database with the database setting"
        )
    if not database:
        raise ConfigError("the Neo4j database name is empty")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}:{port or DEFAULT_PORT}/{database}"


# -- values ----------------------------------------------------------------------------------


def _properties(entity: Node | Relationship) -> dict[str, Any]:
    return {key: to_value(value) for key, value in entity.items()}


def _node(node: Node) -> NodeValue:
    # Neo4j keeps a node's labels as a set; sorted, so that a value compares equal run to run.
    return NodeValue(labels=tuple(sorted(node.labels)), properties=_properties(node))


def _edge(rel: Relationship) -> EdgeValue:
    return EdgeValue(type=rel.type, properties=_properties(rel))


def _point(point: Point) -> dict[str, float]:
    if point.srid in (4326, 4979):  # WGS-84: the shape FalkorDB returns its points in
        return {"latitude": point.y, "longitude": point.x}
    return {"xyz"[i]: float(c) for i, c in enumerate(point)}


def to_value(value: Any) -> Any:
    """A driver value as a plain, engine-neutral one.

    Nodes, relationships and paths become ``graph.results`` values; temporal values become
    ISO-8601 strings as Clew stores them (an instant in UTC with ``Z``, see ``graph.params``);
    lists and maps are converted element by element.
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Node):
        return _node(value)
    if isinstance(value, Relationship):
        return _edge(value)
    if isinstance(value, Path):
        return PathValue(
            nodes=tuple(_node(n) for n in value.nodes),
            edges=tuple(_edge(r) for r in value.relationships),
        )
    if isinstance(value, DateTime):
        native = value.to_native()
        if native.tzinfo is None:
            return native.isoformat()
        return native.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, Date):
        return value.iso_format()
    if isinstance(value, Time):
        return value.to_native().isoformat()
    if isinstance(value, Duration):
        return value.iso_format()
    if isinstance(value, Vector):
        return value.to_native()
    # Points (like durations, above) are tuples: converted before plain sequences.
    if isinstance(value, Point):
        return _point(value)
    if isinstance(value, list | tuple):
        return [to_value(v) for v in value]
    if isinstance(value, dict):
        return {k: to_value(v) for k, v in value.items()}
    if isinstance(value, bytearray):
        return bytes(value)
    return value


def to_counters(counters: neo4j.SummaryCounters) -> Counters:
    return Counters(
        nodes_created=counters.nodes_created,
        nodes_deleted=counters.nodes_deleted,
        relationships_created=counters.relationships_created,
        relationships_deleted=counters.relationships_deleted,
        properties_set=counters.properties_set,
        labels_added=counters.labels_added,
    )


def collect(result: neo4j.Result) -> Result:
    columns = tuple(result.keys())
    rows = tuple(tuple(to_value(v) for v in record) for record in result)
    return Result(columns=columns, rows=rows, counters=to_counters(result.consume().counters))


# -- errors ----------------------------------------------------------------------------------


def one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _reason(exc: BaseException) -> str:
    # The driver says "Couldn't connect to h:p (resolved to ...): Failed to establish connection
    # to ResolvedIPv4Address(...) (reason [Errno 111] Connection refused)": the reason is enough.
    text = str(exc)
    found = _DRIVER_REASON.search(text)
    return found.group(1).strip() if found else one_line(text)


def is_timeout(exc: Neo4jError) -> bool:
    # Neo.ClientError.Transaction.TransactionTimedOut(ClientConfiguration) in Neo4j 5; the
    # TransientError spelling of 4.x as well, which the driver would otherwise retry.
    return "TransactionTimedOut" in (exc.code or "")


def to_clew_error(
    exc: BaseException,
    *,
    query: str | None = None,
    location: str = "Neo4j",
    user: str | None = None,
    timeout_ms: int | None = None,
) -> ClewError:
    """The Clew error for a driver exception (the caller raises it ``from exc``)."""
    if isinstance(exc, AuthError):
        who = f" for user {user!r}" if user is not None else ""
        return StoreUnavailable(f"Neo4j at {location} refused the credentials{who}")
    if isinstance(exc, Neo4jError):
        code = exc.code or ""
        message = exc.message or str(exc)
        if is_timeout(exc):
            limit = f" of {timeout_ms} ms" if timeout_ms is not None else ""
            return QueryTimeout(
                f"Neo4j stopped the query at its time limit{limit}", timeout_ms=timeout_ms
            )
        if code.endswith(".AccessMode") or code in _READ_ONLY_CODES:
            return ReadOnlyViolation(message, query=query)
        if isinstance(exc, ConstraintError):
            return ConstraintViolation(message, query=query)
        if code in _UNAVAILABLE_CODES:
            return StoreUnavailable(f"Neo4j at {location} cannot serve the database: {message}")
        return QueryError(message, query=query)
    if isinstance(exc, IncompleteCommit):
        return DurabilityError(
            f"the connection to Neo4j at {location} was lost while committing; "
            "the write may or may not have been applied"
        )
    if isinstance(exc, ServiceUnavailable | SessionExpired | ConnectionPoolError | OSError):
        return StoreUnavailable(f"Neo4j at {location} is not answering ({_reason(exc)})")
    if isinstance(exc, ConfigurationError):
        return ConfigError(f"Neo4j at {location}: {one_line(str(exc))}")
    return StoreError(f"Neo4j at {location}: {one_line(str(exc))}")


# -- rows ------------------------------------------------------------------------------------


NODE_KEYS: Final = ("id",)
EDGE_KEYS: Final = ("id", "start", "end")


def check_row(row: Any, index: int, keys: tuple[str, ...]) -> None:
    """Refuse a row without a non-empty string for each of ``keys`` (before anything is sent);
    an edge row's optional ``props`` must be a map."""
    if not isinstance(row, Mapping):
        raise QueryError(f"row {index} is a {type(row).__name__}, not a map")
    for key in keys:
        value = row.get(key)
        if not isinstance(value, str) or not value:
            raise QueryError(
                f"row {index} has no {key!r}: every row needs a non-empty string {key}"
            )
    props = row.get("props")
    if keys == EDGE_KEYS and props is not None and not isinstance(props, Mapping):
        raise QueryError(f"row {index} has 'props' that is not a map")


def encoded_batches(
    rows: Iterable[Mapping[str, Any]], batch_size: int, keys: tuple[str, ...]
) -> Iterator[list[dict[str, Any]]]:
    """Rows checked and encoded, in lists of ``batch_size``; errors name the row's index."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, not {batch_size}")
    batch: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        check_row(row, index, keys)
        batch.append(encode_value(row, f"rows[{index}]"))
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def quote_name(name: str) -> str:
    # Names read back from SHOW are spliced into DDL (which takes no parameters): quote them.
    return "`" + name.replace("`", "``") + "`"
