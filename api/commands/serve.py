"""``clew serve``: the GraphQL API under uvicorn.

Host, port and workers default to ``CLEW_API_HOST``, ``CLEW_API_PORT`` and ``CLEW_API_WORKERS``.
Each worker builds the application from the environment (``api.http.app_from_env``), so the
command line changes only where uvicorn listens. The store, the audit log and the token keys are
checked once before uvicorn starts, so that a stopped store is one line here rather than a
traceback from every worker.
"""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from api.auth.tokens import build_verifier
from api.console import err, state
from api.http.logs import log_config
from graph.audit_log import open_audit_log

APP_FACTORY = "api.http.app:app_from_env"


def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option("--host", help="Address to listen on (CLEW_API_HOST).")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option("--port", min=1, max=65_535, help="Port to listen on (CLEW_API_PORT)."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, max=64, help="Worker processes (CLEW_API_WORKERS)."),
    ] = None,
    log_level: Annotated[
        str, typer.Option("--log-level", help="debug, info, warning or error.")
    ] = "info",
) -> None:
    """Serve the GraphQL API at /graphql (health at /healthz and /readyz, metrics at /metrics)."""
    cli = state(ctx)
    settings = cli.settings
    build_verifier(settings.auth_config())
    cli.open_store().close()
    open_audit_log(
        settings.audit_log_url(),
        data_dir=settings.data_dir,
        key=settings.audit_key,
        durable=settings.durable,
    ).close()
    where = f"http://{host or settings.api_host}:{port or settings.api_port}/graphql"
    err.print(f"serving the Clew API at {where} ({settings.auth_mode} mode)", markup=False)
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host or settings.api_host,
        port=port or settings.api_port,
        workers=workers or settings.api_workers,
        log_config=log_config(log_level.upper()),
        access_log=False,  # the request log says more, once the request is audited
        server_header=False,
        proxy_headers=True,  # client addresses from a proxy on this host (forwarded_allow_ips)
    )
