"""Who may ask, and the audit of every request: tokens, purposes, permissions, the audit log."""

from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from graph.audit_log import AuditLog
from graph.redis_calls import command
from schema.audit import Outcome
from tests.api.http.helpers import AUDIT_LOG, ME, PURPOSE, post


def newest(audit_log: AuditLog) -> object:
    entries = audit_log.read(limit=1).entries
    assert entries
    return entries[0]


def test_no_token_is_refused_with_401_and_audited(client: TestClient, audit_log: AuditLog) -> None:
    answer = post(client, ME, operation="Me")
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"].startswith("Bearer")
    [error] = answer.json()["errors"]
    assert "Authorization: Bearer <token>" in error["message"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert answer.json()["data"] is None
    entry = audit_log.read(limit=1).entries[0]
    assert entry.outcome is Outcome.REFUSED
    assert entry.error_code == "missing-token"
    assert entry.user == "(unauthenticated)"
    assert entry.operation == "Me"
    assert entry.query == ME
    assert entry.client_address == "203.0.113.7"
    assert error["extensions"]["requestId"] == answer.headers["x-request-id"]


def test_a_bad_token_is_refused(client: TestClient, audit_log: AuditLog) -> None:
    answer = post(client, ME, token="not.a.token")
    assert answer.status_code == 401
    assert 'error="invalid_token"' in answer.headers["www-authenticate"]
    assert answer.json()["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"
    assert audit_log.read(limit=1).entries[0].error_code == "invalid-token:malformed"


def test_no_purpose_is_refused_naming_the_header(
    client: TestClient, audit_log: AuditLog, token_for: Callable[..., str]
) -> None:
    answer = post(client, ME, token=token_for("ann", "analyst"), purpose=None)
    assert answer.status_code == 400
    [error] = answer.json()["errors"]
    assert "X-Clew-Purpose" in error["message"]
    assert error["extensions"]["header"] == "X-Clew-Purpose"
    entry = audit_log.read(limit=1).entries[0]
    assert (entry.user, entry.outcome, entry.error_code) == (
        "ann",
        Outcome.REFUSED,
        "missing-purpose",
    )
    assert entry.roles == ("analyst",)


def test_a_purpose_that_states_none_is_refused(
    client: TestClient, token_for: Callable[..., str]
) -> None:
    answer = post(client, ME, token=token_for("ann", "analyst"), purpose="??")
    assert answer.status_code == 400
    assert "states no purpose" in answer.json()["errors"][0]["message"]


def test_me_answers_and_is_audited(
    client: TestClient, audit_log: AuditLog, token_for: Callable[..., str]
) -> None:
    answer = post(client, ME, token=token_for("ann", "analyst", "viewer"), variables={"x": 1})
    assert answer.status_code == 200, answer.text
    me = answer.json()["data"]["me"]
    assert me["user"] == "ann"
    assert me["roles"] == ["analyst", "viewer"]
    assert me["clearance"] == "OFFICIAL"
    assert "network:expand" in me["permissions"]
    assert me["purpose"] == {"text": PURPOSE, "reference": "OP-KESTREL", "kind": "operation"}
    entry = audit_log.read(limit=1).entries[0]
    assert (entry.user, entry.outcome, entry.error_code) == ("ann", Outcome.OK, None)
    assert entry.purpose == PURPOSE
    assert entry.operation == "Me"
    assert entry.variables == {"x": 1}
    assert entry.duration_ms > 0


def test_the_audit_log_is_refused_to_an_analyst(
    client: TestClient, audit_log: AuditLog, token_for: Callable[..., str]
) -> None:
    answer = post(client, AUDIT_LOG, token=token_for("ann", "analyst"), variables={"first": 5})
    assert answer.status_code == 200
    result = answer.json()["data"]["auditLog"]
    assert result["__typename"] == "Refused"
    assert result["requiredPermission"] == "audit:read"
    assert "auditor" in result["message"]
    entry = audit_log.read(limit=1).entries[0]
    assert (entry.outcome, entry.error_code) == (Outcome.REFUSED, "forbidden")


def test_an_auditor_reads_the_audit_log_page_by_page(
    client: TestClient, token_for: Callable[..., str]
) -> None:
    analyst = token_for("ann", "analyst")
    for _ in range(3):
        post(client, ME, token=analyst)
    auditor = token_for("aud", "auditor")
    first = post(client, AUDIT_LOG, token=auditor, variables={"first": 2, "user": "ann"})
    page = first.json()["data"]["auditLog"]
    assert page["__typename"] == "AuditEntryConnection"
    nodes = [e["node"] for e in page["edges"]]
    assert [n["user"] for n in nodes] == ["ann", "ann"]
    assert nodes[0]["seq"] > nodes[1]["seq"]  # newest first
    assert nodes[0]["operation"] == "Me"
    assert nodes[0]["purpose"] == PURPOSE
    assert page["pageInfo"]["hasNextPage"] is True
    after = page["pageInfo"]["endCursor"]
    second = post(
        client, AUDIT_LOG, token=auditor, variables={"first": 2, "user": "ann", "after": after}
    ).json()["data"]["auditLog"]
    assert [e["node"]["seq"] for e in second["edges"]] == [nodes[1]["seq"] - 1]


def test_bad_audit_log_arguments_are_invalid_input(
    client: TestClient, token_for: Callable[..., str]
) -> None:
    auditor = token_for("aud", "auditor")
    too_many = post(client, AUDIT_LOG, token=auditor, variables={"first": 201})
    result = too_many.json()["data"]["auditLog"]
    assert result["__typename"] == "InvalidInput"
    assert result["field"] == "first"
    assert "1 to 200" in result["message"]
    bad_cursor = post(client, AUDIT_LOG, token=auditor, variables={"first": 1, "after": "zzz"})
    assert bad_cursor.json()["data"]["auditLog"]["field"] == "after"


def test_an_answer_that_cannot_be_audited_is_withheld(
    client: TestClient, audit_log: AuditLog, token_for: Callable[..., str]
) -> None:
    post(client, ME, token=token_for("ann", "analyst"))
    command(audit_log._redis, "DEL", audit_log.head_key)  # the log now refuses appends
    answer = post(client, ME, token=token_for("ann", "analyst"))
    assert answer.status_code == 503
    body = answer.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "AUDIT_UNAVAILABLE"
    assert "withheld" in body["errors"][0]["message"]
