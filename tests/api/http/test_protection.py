"""Limits on what one request may ask, masking, introspection, headers, CORS."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
import strawberry
from starlette.testclient import TestClient
from strawberry.types import Info

from api.graphql.context import Context
from api.graphql.limits import Limits
from api.graphql.schema import Query, build_schema
from api.http.headers import STRICT_CSP
from graph.audit_log import AuditLog
from schema.audit import Outcome
from tests.api.http.helpers import AUDIT_LOG, ME, post


def first_error(answer: object) -> dict[str, object]:
    errors = answer.json()["errors"]  # type: ignore[attr-defined]
    assert errors, answer
    return dict(errors[0])


def test_a_query_deeper_than_the_limit_is_refused(
    make_client: Callable[..., TestClient], token_for: Callable[..., str], audit_log: AuditLog
) -> None:
    client = make_client(api_max_depth=1)
    answer = post(client, ME, token=token_for("ann", "analyst"))
    assert "exceeds maximum operation depth of 1" in str(first_error(answer)["message"])
    assert answer.json()["data"] is None
    entry = audit_log.read(limit=1).entries[0]
    assert (entry.outcome, entry.error_code) == (Outcome.ERROR, "invalid-query")


def test_too_many_aliases_are_refused(
    make_client: Callable[..., TestClient], token_for: Callable[..., str]
) -> None:
    client = make_client(api_max_aliases=2)
    query = "{ a: me { user } b: me { user } c: me { user } }"
    answer = post(client, query, token=token_for("ann", "analyst"))
    assert "3 aliases found. Allowed: 2" in str(first_error(answer)["message"])


def test_a_document_of_too_many_tokens_is_refused(
    make_client: Callable[..., TestClient], token_for: Callable[..., str]
) -> None:
    client = make_client(api_max_tokens=10)
    answer = post(client, ME, token=token_for("ann", "analyst"))
    assert "more than 10 tokens" in str(first_error(answer)["message"])


def test_a_query_above_the_cost_limit_is_refused_before_it_runs(
    make_client: Callable[..., TestClient], token_for: Callable[..., str], audit_log: AuditLog
) -> None:
    client = make_client(api_max_cost=100)
    answer = post(client, AUDIT_LOG, token=token_for("aud", "auditor"), variables={"first": 50})
    error = first_error(answer)
    assert "estimated cost is" in str(error["message"])
    assert "above the limit of 100" in str(error["message"])
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"  # type: ignore[index]
    assert audit_log.read(limit=1).entries[0].error_code == "too-costly"
    small = post(client, AUDIT_LOG, token=token_for("aud", "auditor"), variables={"first": 2})
    assert small.json()["data"]["auditLog"]["__typename"] == "AuditEntryConnection"


INTROSPECT = "{ __schema { queryType { name } } }"


def test_introspection_is_on_in_development(
    client: TestClient, token_for: Callable[..., str]
) -> None:
    answer = post(client, INTROSPECT, token=token_for("ann", "analyst"))
    assert answer.json()["data"]["__schema"]["queryType"]["name"] == "Query"


def test_introspection_is_off_in_production(
    make_client: Callable[..., TestClient], token_for: Callable[..., str]
) -> None:
    client = make_client(auth_mode="production")
    answer = post(client, INTROSPECT, token=token_for("ann", "analyst"))
    assert "introspection" in str(first_error(answer)["message"]).lower()
    # No GraphiQL either: a page outside development would only invite guessing.
    page = client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code != 200 or "graphiql" not in page.text.lower()


@strawberry.type
class FailingQuery(Query):
    @strawberry.field
    def broken(self, info: Info[Context, None]) -> str:
        raise RuntimeError("secret internals: /var/lib/clew socket")


def test_an_unexpected_error_is_masked_and_logged_with_the_request_id(
    make_client: Callable[..., TestClient],
    token_for: Callable[..., str],
    audit_log: AuditLog,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = make_client(schema=build_schema(Limits(), query=FailingQuery))
    with caplog.at_level(logging.ERROR, logger="clew.api"):
        answer = post(client, "{ broken }", token=token_for("ann", "analyst"))
    error = first_error(answer)
    assert "secret" not in answer.text
    assert str(error["message"]).startswith("Unexpected error")
    request_id = answer.headers["x-request-id"]
    assert error["extensions"] == {"code": "INTERNAL", "requestId": request_id}
    logged = [r for r in caplog.records if getattr(r, "request_id", None) == request_id]
    assert logged
    assert logged[0].exc_info is not None
    entry = audit_log.read(limit=1).entries[0]
    assert (entry.outcome, entry.error_code) == (Outcome.ERROR, "internal")


def test_syntax_errors_keep_their_message(
    client: TestClient, token_for: Callable[..., str]
) -> None:
    answer = post(client, "{ me { user ", token=token_for("ann", "analyst"))
    assert "Syntax Error" in str(first_error(answer)["message"])


def test_security_headers_are_set(client: TestClient, token_for: Callable[..., str]) -> None:
    for answer in (post(client, ME, token=token_for("ann", "analyst")), client.get("/healthz")):
        assert answer.headers["content-security-policy"] == STRICT_CSP
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert answer.headers["cache-control"] == "no-store"


def test_graphiql_is_served_in_development_with_its_own_policy(client: TestClient) -> None:
    page = client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
    assert "https://unpkg.com" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"


def test_queries_are_not_taken_from_urls(client: TestClient, token_for: Callable[..., str]) -> None:
    answer = client.get(
        "/graphql",
        params={"query": "{ me { user } }"},
        headers={
            "Authorization": f"Bearer {token_for('ann', 'analyst')}",
            "X-Clew-Purpose": "OP-X",
        },
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_a_body_over_the_limit_is_refused(
    make_client: Callable[..., TestClient], token_for: Callable[..., str]
) -> None:
    client = make_client(api_max_body_bytes=1_024)
    answer = post(client, ME + " " * 2_000, token=token_for("ann", "analyst"))
    assert answer.status_code == 413


def test_cors_answers_listed_origins_only(make_client: Callable[..., TestClient]) -> None:
    client = make_client(api_cors_origins=("https://explorer.example",))
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, x-clew-purpose, content-type",
    }
    allowed = client.options(
        "/graphql", headers={"Origin": "https://explorer.example", **preflight}
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://explorer.example"
    assert "x-clew-purpose" in allowed.headers["access-control-allow-headers"].lower()
    other = client.options("/graphql", headers={"Origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in other.headers


def test_no_cors_by_default(client: TestClient) -> None:
    answer = client.post("/graphql", json={}, headers={"Origin": "https://explorer.example"})
    assert "access-control-allow-origin" not in answer.headers
