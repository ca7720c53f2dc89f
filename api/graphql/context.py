"""What one GraphQL request's resolvers receive (``Context``) and what the request did
(``Exchange``, read by the view to write the audit entry, the metrics and the log line).

The context is built per request by the view (``api.http.view``) after the caller is known, so a
resolver never runs for an unidentified caller or one without a purpose. Connections are not
opened here: the store and the audit log are the application's, opened in its lifespan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any, TypeVar

import anyio.to_thread
from graphql import GraphQLError
from strawberry.dataloader import DataLoader

from api.auth.identity import Caller
from api.auth.purpose import Purpose
from api.graphql.limits import Limits
from graph.audit_log import AuditLog
from graph.results import Result
from graph.store import GraphStore, Params

T = TypeVar("T")


def _ignore(_seconds: float) -> None:
    return None


@dataclass(slots=True)
class Exchange:
    """What happened in one request, gathered while it runs: the query as sent, the operation,
    the entity ids returned, expected refusals and invalid inputs, and the GraphQL errors (as
    raised, before masking)."""

    query: str = ""
    operation: str | None = None
    variables: dict[str, Any] = field(default_factory=dict)
    root_fields: tuple[str, ...] = ()
    returned_ids: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    errors: list[GraphQLError] = field(default_factory=list)


@dataclass(slots=True)
class Context:
    """One request: who asks and why (``caller``, whose ``purpose`` is set), the application's
    store and audit log, the limits, DataLoaders made for this request, and its ``exchange``."""

    caller: Caller
    store: GraphStore
    audit: AuditLog
    limits: Limits
    request_id: str
    exchange: Exchange = field(default_factory=Exchange)
    dataloaders: dict[str, DataLoader[Any, Any]] = field(default_factory=dict)
    observe_store: Callable[[float], None] = _ignore
    """Called with each store query's duration in seconds (the store latency metric)."""

    @property
    def purpose(self) -> Purpose:
        assert self.caller.purpose is not None  # the view refuses a request without one
        return self.caller.purpose

    def returned(self, entity_ids: Iterable[str]) -> None:
        """Note entity ids this request shows the caller: they go into its audit entry."""
        self.exchange.returned_ids.extend(entity_ids)

    def loader(self, name: str, make: Callable[[], DataLoader[Any, Any]]) -> DataLoader[Any, Any]:
        """This request's DataLoader ``name``, made on first use: batching and caching never
        cross requests, so one caller's results are never served to another."""
        found = self.dataloaders.get(name)
        if found is None:
            found = self.dataloaders[name] = make()
        return found

    async def run_sync(self, call: Callable[[], T]) -> T:
        """Run a blocking call (the store's and the audit log's clients are synchronous) in the
        worker thread pool, so that the event loop keeps serving other requests."""
        return await anyio.to_thread.run_sync(call)

    def read_sync(self, query: str, params: Params | None = None) -> Result:
        """A read-only store query under the API's time limit, timed for the metrics, on the
        calling thread: for a walk that issues many queries and runs whole in one worker thread
        (``run_sync``) rather than hopping off the event loop once per query."""
        started = perf_counter()
        try:
            return self.store.read(query, params, timeout_ms=self.limits.query_timeout_ms)
        finally:
            self.observe_store(perf_counter() - started)

    async def read(self, query: str, params: Params | None = None) -> Result:
        """A read-only store query under the API's time limit, timed for the metrics."""
        timeout_ms = self.limits.query_timeout_ms
        started = perf_counter()
        try:
            return await self.run_sync(
                lambda: self.store.read(query, params, timeout_ms=timeout_ms)
            )
        finally:
            self.observe_store(perf_counter() - started)
