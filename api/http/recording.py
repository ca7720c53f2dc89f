"""From a finished request to its audit entry: the outcome, the error code, the event.

Outcomes (``schema.audit.Outcome``) and error codes:

=========  ==========================  ==================================================
outcome    error code                  when
=========  ==========================  ==================================================
ok         none                        answered
refused    missing-token               no bearer token
refused    invalid-token:<reason>      expired, tampered, ... (``InvalidToken.reason``)
refused    missing-purpose             no X-Clew-Purpose, or one that states no purpose
refused    forbidden                   a field answered ``Refused`` (a permission lacking)
error      invalid-input               a field answered ``InvalidInput``
error      invalid-query               syntax, validation, depth, aliases, tokens
error      too-costly                  above the cost limit
error      timeout                     the store stopped a query at its time limit
error      bad-request                 not a GraphQL request (bad JSON, no query, GET query)
error      too-large                   a body above CLEW_API_MAX_BODY_BYTES
error      internal                    an unexpected error (masked for the caller, logged)
error      keys-unavailable            the JWKS that verifies tokens could not be fetched
error      audit-unavailable           (the log line only: the entry could not be written)
=========  ==========================  ==================================================
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from api.auth.identity import Caller
from api.graphql.context import Exchange
from api.graphql.protection import is_unexpected
from schema.audit import AuditEvent, Outcome, ReturnedIds, canonical_json, sha256_hex
from schema.errors import AuthError, InvalidToken, KeySetUnavailable, QueryTimeout
from schema.grading import Sensitivity

UNAUTHENTICATED = "(unauthenticated)"
"""The ``user`` of an entry whose caller could not be identified."""
MAX_USER_AGENT = 256


@dataclass(frozen=True, slots=True)
class Ending:
    outcome: Outcome
    error_code: str | None = None


OK = Ending(Outcome.OK)


def auth_ending(exc: AuthError) -> Ending:
    if isinstance(exc, KeySetUnavailable):
        return Ending(Outcome.ERROR, "keys-unavailable")
    if isinstance(exc, InvalidToken):
        return Ending(Outcome.REFUSED, f"invalid-token:{exc.reason}")
    # MissingToken -> missing-token, MissingPurpose -> missing-purpose, Forbidden -> forbidden
    name = type(exc).__name__
    code = "".join(f"-{c.lower()}" if c.isupper() else c for c in name).lstrip("-")
    return Ending(Outcome.REFUSED, code)


def exchange_ending(exchange: Exchange) -> Ending:
    errors = exchange.errors
    if errors:
        if any(is_unexpected(e) for e in errors):
            return Ending(Outcome.ERROR, "internal")
        if any(isinstance(e.original_error, QueryTimeout) for e in errors):
            return Ending(Outcome.ERROR, "timeout")
        if any((e.extensions or {}).get("code") == "QUERY_TOO_COSTLY" for e in errors):
            return Ending(Outcome.ERROR, "too-costly")
        return Ending(Outcome.ERROR, "invalid-query")
    if exchange.refused:
        return Ending(Outcome.REFUSED, "forbidden")
    if exchange.invalid:
        return Ending(Outcome.ERROR, "invalid-input")
    return OK


def audit_event(
    *,
    at: datetime,
    caller: Caller | None,
    exchange: Exchange,
    ending: Ending,
    duration_ms: float,
    client_address: str | None,
    user_agent: str | None,
) -> AuditEvent:
    """The request's audit event. Variables that JSON cannot carry reproducibly (a lone
    surrogate) are replaced by a note saying so: the entry is still written.

    The parts are valid already (a verified caller, an ending of this module, variables decoded
    from the request's JSON body), so the event is assembled without validating it again when
    every rule the model would check visibly holds (``_valid_as_is``); otherwise, and for the
    variables' canonical form, which is always checked, it is validated as any model is.
    ``tests/api/http/test_recording.py`` checks both ways give equal events."""
    fields: dict[str, Any] = {
        "at": at,
        "user": caller.user if caller else UNAUTHENTICATED,
        "roles": tuple(sorted(r.value for r in caller.roles)) if caller else (),
        "clearance": caller.clearance if caller else None,
        "purpose": caller.purpose.text if caller and caller.purpose else None,
        "operation": exchange.operation or "anonymous",
        "query": exchange.query,
        "variables": exchange.variables,
        "returned": ReturnedIds.of(exchange.returned_ids),
        "outcome": ending.outcome,
        "error_code": ending.error_code,
        "duration_ms": duration_ms,
        "client_address": client_address,
        "user_agent": user_agent[:MAX_USER_AGENT] if user_agent else None,
    }
    if _valid_as_is(fields):
        fields["query_sha256"] = sha256_hex(fields["query"].encode("utf-8"))
        fields["duration_ms"] = round(duration_ms, 3)  # as the model's validator rounds it
        return AuditEvent.model_construct(**fields)
    try:
        return AuditEvent.model_validate(fields)
    except ValidationError:
        fields["variables"] = {"unrecordable": "the variables were not valid JSON text"}
        return AuditEvent.model_validate(fields)


def _settled(text: object) -> bool:
    """Whether ``NonEmptyStr`` keeps ``text`` as it is (non-empty, one line, no edge spaces)."""
    return isinstance(text, str) and bool(text) and " ".join(text.split()) == text


def _valid_as_is(fields: dict[str, Any]) -> bool:
    """Whether ``AuditEvent.model_validate(fields)`` would accept ``fields`` and keep every value
    as given (apart from rounding ``duration_ms``)."""
    at, duration, variables = fields["at"], fields["duration_ms"], fields["variables"]
    error_code = fields["error_code"]
    if not (
        isinstance(at, datetime)
        and at.tzinfo is UTC
        and _settled(fields["user"])
        and _settled(fields["operation"])
        and all(_settled(role) for role in fields["roles"])
        and (fields["clearance"] is None or isinstance(fields["clearance"], Sensitivity))
        and isinstance(fields["outcome"], Outcome)
        and (fields["outcome"] is Outcome.OK) == (error_code is None)
        and (error_code is None or _settled(error_code))
        and isinstance(duration, float)
        and math.isfinite(duration)
        and duration >= 0
        and isinstance(fields["query"], str)
        and all(
            value is None or isinstance(value, str)
            for value in (fields["purpose"], fields["client_address"], fields["user_agent"])
        )
        and type(variables) is dict
        and all(type(name) is str for name in variables)
    ):
        return False
    try:
        canonical_json(variables)  # as the model's validator checks (NaN, lone surrogates)
    except ValueError:
        return False
    return True
