"""The HTTP application: Starlette serving the GraphQL API (strawberry) under uvicorn.

- ``app``: ``create_app`` (routes, middleware, the lifespan that opens and closes the store and
  the audit log) and ``app_from_env``, the factory ``clew serve`` gives uvicorn;
- ``services``: ``Services``, what the lifespan opens and every request uses;
- ``view``: the GraphQL endpoint: who is asking, the request context, the audit entry;
- ``recording``: from a finished request to its ``AuditEvent``, outcome and error code;
- ``health``: ``/healthz`` and ``/readyz``; ``metrics``: Prometheus ``/metrics``;
- ``headers``: security headers; ``logs``: one JSON log line per request, JSON log format.
"""

from api.http.app import app_from_env, create_app

__all__ = ["app_from_env", "create_app"]
