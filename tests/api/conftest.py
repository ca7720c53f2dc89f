"""Fixtures for the command tests (a private data dir with the CLEW_* settings pointing at it)
and for the HTTP API tests (a started app on the test store, a real audit log, tokens)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from api.auth.identity import Role
from api.auth.keys import SigningKey, StaticKey, load_or_create_dev_key
from api.auth.tokens import TokenVerifier, issue_token
from api.http.app import create_app
from api.settings import Settings
from graph.audit_log import AuditLog
from graph.embedded import EmbeddedServer
from graph.redis_calls import command
from graph.store import GraphStore
from schema.grading import Sensitivity


@pytest.fixture
def data_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh CLEW_DATA_DIR (graph ``cli``, wide console); its server is stopped afterwards."""
    root = Path("/tmp") / f"clew-api-{os.getpid()}-{os.urandom(3).hex()}"
    monkeypatch.setenv("CLEW_DATA_DIR", str(root))
    monkeypatch.setenv("CLEW_GRAPH_NAME", "cli")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("CLEW_GRAPH_URL", raising=False)
    yield root
    server = EmbeddedServer(root)
    if server.is_running():
        server.stop()
    shutil.rmtree(root, ignore_errors=True)


# --- the HTTP API (tests/api/http, tests/api/graphql) -------------------------------------------


@pytest.fixture
def api_key(tmp_path: Path) -> SigningKey:
    """A development signing key in a private directory."""
    return load_or_create_dev_key(tmp_path / "keys")


@pytest.fixture
def api_verifier(api_key: SigningKey) -> TokenVerifier:
    return TokenVerifier(StaticKey(api_key.public()))


@pytest.fixture
def token_for(api_key: SigningKey) -> Callable[..., str]:
    """``token_for("ann", "analyst")``: a bearer token for a user with roles, valid for an hour."""

    def make(user: str, *roles: str, clearance: Sensitivity = Sensitivity.OFFICIAL) -> str:
        now = datetime.now(UTC)
        return issue_token(
            api_key,
            user=user,
            roles=[Role(r) for r in roles],
            clearance=clearance,
            expires=now + timedelta(hours=1),
            now=now,
        )

    return make


@pytest.fixture
def audit_log(falkordb_server: EmbeddedServer) -> Iterator[AuditLog]:
    """A real audit log on the shared embedded server, under a key of its own."""
    conn = falkordb_server.connection()
    key = f"test:api-audit:{uuid.uuid4().hex[:12]}"
    with AuditLog.connect(
        key=key, unix_socket_path=str(conn.socket), password=conn.password
    ) as log:
        yield log
        command(log._redis, "DEL", log.key, log.head_key)


@pytest.fixture
def api_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def make_client(
    store: GraphStore, audit_log: AuditLog, api_verifier: TokenVerifier, api_settings: Settings
) -> Iterator[Callable[..., TestClient]]:
    """``make_client(**settings)``: a started app (lifespan run) on the test store and audit log,
    with settings changed as given; closed at the end of the test."""
    stack = ExitStack()

    def make(*, schema: object = None, **changes: object) -> TestClient:
        settings = api_settings.model_copy(update=changes)
        app = create_app(
            settings, store=store, audit_log=audit_log, verifier=api_verifier, schema=schema
        )
        return stack.enter_context(TestClient(app, client=("203.0.113.7", 50000)))

    with stack:
        yield make


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()
