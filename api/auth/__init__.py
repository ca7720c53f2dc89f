"""Identity, roles and task-based access for the API.

- ``purpose``: the ``X-Clew-Purpose`` every request states (operation, case, or a reason);
- ``identity``: ``Caller``, ``Role``, ``Permission`` and the role-permission matrix;
- ``config``: ``AuthConfig``, the typed auth settings (development or production keys);
- ``keys``: the generated development key pair, a configured public key, a JWKS;
- ``tokens``: issuing development tokens, verifying tokens, reading a request's headers.

The errors are in ``schema.errors`` under ``AuthError``.
"""

from api.auth.config import AuthConfig
from api.auth.identity import ROLE_PERMISSIONS, Caller, Permission, Role
from api.auth.purpose import PURPOSE_HEADER, Purpose
from api.auth.tokens import (
    TokenVerifier,
    build_verifier,
    caller_from_headers,
    issue_token,
    verify_token,
)

__all__ = [
    "PURPOSE_HEADER",
    "ROLE_PERMISSIONS",
    "AuthConfig",
    "Caller",
    "Permission",
    "Purpose",
    "Role",
    "TokenVerifier",
    "build_verifier",
    "caller_from_headers",
    "issue_token",
    "verify_token",
]
