"""``Services``: what the application's lifespan opens once and every request uses."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from api.auth.tokens import TokenVerifier
from api.graphql.limits import Limits
from api.http.metrics import Metrics
from graph.audit_log import AuditLog
from graph.store import GraphStore


@dataclass(frozen=True, slots=True)
class Services:
    store: GraphStore
    audit: AuditLog
    verifier: TokenVerifier
    limits: Limits
    metrics: Metrics
    max_body_bytes: int


STATE_KEY = "services"


def services_of(request: Request) -> Services:
    """The services the lifespan put in the request's state."""
    found = getattr(request.state, STATE_KEY, None)
    if not isinstance(found, Services):
        raise RuntimeError("the application was not started through its lifespan")
    return found
