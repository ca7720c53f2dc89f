"""The Starlette application: routes, middleware, and the lifespan that opens the store, the
audit log and the token verifier once, and closes what it opened (STYLE 3).

Routes: ``/graphql`` (POST; GraphiQL on GET in development), ``/healthz``, ``/readyz``,
``/metrics``. Middleware, outermost first: security headers, then CORS when
``CLEW_API_CORS_ORIGINS`` lists origins (none by default: only same-origin pages and
non-browser clients can call the API).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Route

from api.auth.purpose import PURPOSE_HEADER
from api.auth.tokens import TokenVerifier, build_verifier
from api.graphql.limits import Limits
from api.graphql.schema import build_schema
from api.http.headers import SecurityHeaders
from api.http.health import healthz, readyz
from api.http.metrics import Metrics
from api.http.services import STATE_KEY, Services
from api.http.view import REQUEST_ID_HEADER, GraphQLView
from api.settings import Settings
from graph.audit_log import AuditLog, open_audit_log
from graph.connect import open_store
from graph.store import GraphStore


def limits_of(settings: Settings) -> Limits:
    return Limits(
        max_depth=settings.api_max_depth,
        max_aliases=settings.api_max_aliases,
        max_tokens=settings.api_max_tokens,
        max_cost=settings.api_max_cost,
        max_page_size=settings.api_max_page_size,
        max_hops=settings.api_max_hops,
        hub_degree=settings.api_hub_degree,
        hop_budget=settings.api_hop_budget,
        introspection=settings.api_introspection_enabled,
        query_timeout_ms=settings.query_timeout_ms,
    )


def create_app(
    settings: Settings,
    *,
    store: GraphStore | None = None,
    audit_log: AuditLog | None = None,
    verifier: TokenVerifier | None = None,
    schema: Any = None,
) -> Starlette:
    """The API for ``settings``. A ``store``, ``audit_log`` or ``verifier`` given here is used
    as it is and left open at shutdown (its owner closes it); the others are opened by the
    lifespan and closed by it. ``schema`` is the GraphQL schema to serve (by default
    ``build_schema`` with the settings' limits)."""
    limits = limits_of(settings)
    metrics = Metrics()
    development = settings.auth_mode == "development"
    view = GraphQLView(schema or build_schema(limits), graphiql=development)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Services]]:
        async with AsyncExitStack() as owned:
            opened_store = store
            if opened_store is None:
                opened_store = open_store(
                    settings.store_target(),
                    durable=settings.durable,
                    timeout_ms=settings.query_timeout_ms,
                )
                owned.callback(opened_store.close)
            opened_audit = audit_log
            if opened_audit is None:
                opened_audit = open_audit_log(
                    settings.audit_log_url(),
                    data_dir=settings.data_dir,
                    key=settings.audit_key,
                    durable=settings.durable,
                )
                owned.callback(opened_audit.close)
            services = Services(
                store=opened_store,
                audit=opened_audit,
                verifier=verifier or build_verifier(settings.auth_config()),
                limits=limits,
                metrics=metrics,
                max_body_bytes=settings.api_max_body_bytes,
            )
            yield {STATE_KEY: services}

    middleware = [Middleware(SecurityHeaders)]
    if settings.api_cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.api_cors_origins),
                allow_methods=["POST"],
                allow_headers=["Authorization", "Content-Type", PURPOSE_HEADER, REQUEST_ID_HEADER],
                expose_headers=[REQUEST_ID_HEADER],
                # Tokens travel in the Authorization header, never in cookies.
                allow_credentials=False,
                max_age=600,
            )
        )
    routes = [
        Route("/graphql", view, methods=["GET", "POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics.endpoint, methods=["GET"]),
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


def app_from_env() -> Starlette:
    """The application for ``CLEW_*`` settings: the factory ``clew serve`` hands uvicorn (each
    worker process calls it)."""
    return create_app(Settings.from_env())
