"""Conversions at the FalkorDB boundary: replies to Clew values, driver errors to Clew errors,
and rows into checked batches.

Driver objects (``falkordb.Node``, ``redis`` exceptions) travel no further than this module and
``graph.falkor``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import redis
from falkordb.edge import Edge
from falkordb.node import Node
from falkordb.path import Path
from falkordb.query_result import QueryResult

from graph.results import Counters, EdgeValue, NodeValue, PathValue, Result
from schema.errors import (
    ConstraintViolation,
    QueryError,
    QueryTimeout,
    ReadOnlyViolation,
    StoreError,
    StoreUnavailable,
)


def to_value(v: Any) -> Any:
    if isinstance(v, Node):
        return NodeValue(tuple(v.labels or ()), {k: to_value(x) for k, x in v.properties.items()})
    if isinstance(v, Edge):
        return EdgeValue(str(v.relation), {k: to_value(x) for k, x in v.properties.items()})
    if isinstance(v, Path):
        return PathValue(
            tuple(to_value(n) for n in v.nodes()), tuple(to_value(e) for e in v.edges())
        )
    if isinstance(v, list):
        return [to_value(x) for x in v]
    if isinstance(v, dict):
        return {k: to_value(x) for k, x in v.items()}
    return v


def to_counters(r: QueryResult) -> Counters:
    return Counters(
        nodes_created=int(r.nodes_created),
        nodes_deleted=int(r.nodes_deleted),
        relationships_created=int(r.relationships_created),
        relationships_deleted=int(r.relationships_deleted),
        properties_set=int(r.properties_set),
        labels_added=int(r.labels_added),
    )


def to_result(r: QueryResult) -> Result:
    columns = tuple(str(h[1]) for h in (r.header or ()))
    rows = tuple(tuple(to_value(v) for v in row) for row in (r.result_set or ()))
    return Result(columns=columns, rows=rows, counters=to_counters(r))


def map_error(
    exc: Exception, *, query: str | None, location: str, timeout_ms: int | None = None
) -> StoreError:
    """The Clew error for a redis-py or FalkorDB exception (the caller chains the cause)."""
    if isinstance(exc, redis.AuthenticationError):
        return StoreUnavailable(f"FalkorDB at {location} refused the credentials: {exc}")
    if isinstance(exc, redis.BusyLoadingError):
        return StoreUnavailable(
            f"FalkorDB at {location} is still loading its data; try again shortly"
        )
    if isinstance(exc, redis.ConnectionError | redis.TimeoutError | OSError):
        return StoreUnavailable(
            f"no FalkorDB server at {location} ({exc}); start it with `clew db start`"
        )
    message = str(exc)
    lowered = message.lower()
    if "timed out" in lowered or ("timeout" in lowered and "query" in lowered):
        return QueryTimeout(f"the query ran past its time limit: {message}", timeout_ms=timeout_ms)
    if "constraint violation" in lowered:
        return ConstraintViolation(message, query=query)
    if "read-only" in lowered or "ro_query" in lowered:
        return ReadOnlyViolation(
            "this query writes to the graph but was sent as a read; send it as a write "
            f"(engine said: {message})",
            query=query,
        )
    if isinstance(exc, redis.exceptions.NoPermissionError):
        return StoreUnavailable(f"FalkorDB at {location} refused the command: {message}")
    return QueryError(message, query=query)


def check_rows(rows: Sequence[Mapping[str, Any]], keys: tuple[str, ...], offset: int) -> None:
    for i, row in enumerate(rows):
        for key in keys:
            value = row.get(key)
            if not isinstance(value, str) or not value:
                raise QueryError(
                    f"row {offset + i} has no {key!r} (a non-empty string is required): "
                    f"keys present are {sorted(row)}"
                )


def batches(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    if size < 1:
        raise ValueError("batch_size must be at least 1")
    batch: list[Mapping[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
