"""Health, readiness, metrics and the request log."""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable, Iterator

import pytest
from starlette.testclient import TestClient

from api.auth.tokens import TokenVerifier
from api.http.app import create_app
from api.http.logs import REQUEST_LOGGER, JsonFormatter
from api.settings import Settings
from graph.audit_log import AuditLog
from graph.embedded import EmbeddedServer
from tests.api.http.helpers import ME, post
from tests.conftest import connect_falkor, short_tmpdir


def test_healthz_answers(client: TestClient) -> None:
    answer = client.get("/healthz")
    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})


def test_readyz_checks_the_store_and_the_audit_log(client: TestClient) -> None:
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ready", "store": "ok", "audit": "ok"}


@pytest.fixture
def own_server() -> Iterator[EmbeddedServer]:
    """A server of this test's own, to stop while the app runs."""
    root = short_tmpdir("clew-ready-")
    server = EmbeddedServer(root / "data")
    server.start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


def test_readyz_fails_when_the_store_stops(
    own_server: EmbeddedServer,
    audit_log: AuditLog,
    api_verifier: TokenVerifier,
    api_settings: Settings,
) -> None:
    store = connect_falkor(own_server, "ready")
    app = create_app(api_settings, store=store, audit_log=audit_log, verifier=api_verifier)
    try:
        with TestClient(app) as client:
            assert client.get("/readyz").status_code == 200
            own_server.stop()
            answer = client.get("/readyz")
            assert answer.status_code == 503
            assert answer.json() == {"status": "not ready", "store": "unavailable", "audit": "ok"}
            assert client.get("/healthz").status_code == 200
    finally:
        store.close()


def test_metrics_count_requests_by_root_field_and_outcome(
    client: TestClient, token_for: Callable[..., str]
) -> None:
    post(client, ME, token=token_for("ann", "analyst"), operation="Me")
    post(client, ME)
    text = client.get("/metrics").text
    assert 'clew_api_requests_total{operation="me",outcome="ok"} 1.0' in text
    assert 'clew_api_requests_total{operation="none",outcome="refused"} 1.0' in text
    assert "clew_api_request_duration_seconds_bucket" in text
    assert "clew_api_store_query_duration_seconds" in text
    assert "ann" not in text


def test_one_log_line_per_request_without_variables_or_tokens(
    client: TestClient, token_for: Callable[..., str], caplog: pytest.LogCaptureFixture
) -> None:
    token = token_for("ann", "analyst")
    with caplog.at_level(logging.INFO, logger=REQUEST_LOGGER):
        answer = post(client, ME, token=token, variables={"name": "Jane Roe"}, operation="Me")
    [record] = [r for r in caplog.records if r.name == REQUEST_LOGGER]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == answer.headers["x-request-id"]
    assert (line["user"], line["operation"], line["outcome"], line["status"]) == (
        "ann",
        "Me",
        "ok",
        200,
    )
    assert line["duration_ms"] > 0
    assert "Jane Roe" not in json.dumps(line)
    assert token not in json.dumps(line)


def test_a_request_id_from_a_proxy_is_kept(client: TestClient) -> None:
    answer = client.get("/healthz")
    assert "x-request-id" not in answer.headers  # only GraphQL requests carry one
    sent = post(client, ME, headers={"X-Request-ID": "proxy-1234abcd"})
    assert sent.headers["x-request-id"] == "proxy-1234abcd"
