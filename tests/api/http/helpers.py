"""Sending GraphQL requests in the HTTP API tests."""

from __future__ import annotations

from typing import Any

import httpx2 as httpx
from starlette.testclient import TestClient

PURPOSE = "OP-KESTREL associates of the missing child"
ME = "query Me { me { user roles clearance permissions purpose { text reference kind } } }"
AUDIT_LOG = """
query Audit($first: Int!, $after: String, $user: String) {
  auditLog(first: $first, after: $after, user: $user) {
    __typename
    ... on AuditEntryConnection {
      edges { cursor node { seq user roles purpose operation query variables outcome errorCode
                            clientAddress returned { count ids } } }
      pageInfo { hasNextPage endCursor }
    }
    ... on UserError { message }
    ... on Refused { requiredPermission }
    ... on InvalidInput { field }
  }
}
"""


def post(
    client: TestClient,
    query: str,
    *,
    token: str | None = None,
    purpose: str | None = PURPOSE,
    variables: dict[str, Any] | None = None,
    operation: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    sent = dict(headers or {})
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    if purpose is not None:
        sent["X-Clew-Purpose"] = purpose
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    if operation is not None:
        body["operationName"] = operation
    return client.post("/graphql", json=body, headers=sent)
