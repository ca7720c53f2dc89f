"""Prometheus metrics of one application (its own registry, so that apps built side by side, as
tests do, do not collide).

Labels never carry user data: ``operation`` is the root field of the query (``me``,
``auditLog``; ``multiple`` for several, ``none`` when the request never reached a valid
document), a set bounded by the schema, and never the client's free-text operation name.

With ``CLEW_API_WORKERS`` above 1 each worker process keeps its own counts and a scrape reaches
one of them; run one worker per container (and scale containers) where metrics matter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import Response

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


def operation_label(root_fields: tuple[str, ...]) -> str:
    if not root_fields:
        return "none"
    return root_fields[0] if len(root_fields) == 1 else "multiple"


@dataclass
class Metrics:
    registry: CollectorRegistry = field(
        default_factory=lambda: CollectorRegistry(auto_describe=True)
    )

    def __post_init__(self) -> None:
        self.requests = Counter(
            "clew_api_requests",
            "GraphQL requests by root field and outcome (ok, refused, error).",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "clew_api_request_duration_seconds",
            "GraphQL request latency, from arrival to the audited response.",
            ["operation"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.store_latency = Histogram(
            "clew_api_store_query_duration_seconds",
            "Graph store queries made by GraphQL resolvers.",
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.audit_failures = Counter(
            "clew_api_audit_failures",
            "Requests whose audit entry could not be written (each was answered 503).",
            registry=self.registry,
        )
        # The labelled children, found once per label values: ``labels()`` validates and locks
        # on every call. Both label sets are bounded (by the schema's root fields and outcomes).
        self._counted: dict[tuple[str, str], Counter] = {}
        self._timed: dict[str, Histogram] = {}

    def request(self, root_fields: tuple[str, ...], outcome: str, seconds: float) -> None:
        operation = operation_label(root_fields)
        counted = self._counted.get((operation, outcome))
        if counted is None:
            counted = self._counted[operation, outcome] = self.requests.labels(operation, outcome)
        timed = self._timed.get(operation)
        if timed is None:
            timed = self._timed[operation] = self.latency.labels(operation)
        counted.inc()
        timed.observe(seconds)

    async def endpoint(self, request: Request) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)
