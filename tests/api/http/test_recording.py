"""The audit event a request becomes: assembled without re-validation, it equals the validated
model, and anything the model would change or refuse goes through validation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from api.auth.identity import Caller, Role
from api.auth.purpose import Purpose
from api.graphql.context import Exchange
from api.http.recording import OK, UNAUTHENTICATED, Ending, audit_event
from schema.audit import GENESIS_HASH, AuditEntry, AuditEvent, Outcome, ReturnedIds
from schema.grading import Sensitivity

AT = datetime(2026, 11, 23, 4, 30, 1, 250_000, tzinfo=UTC)
CALLER = Caller(
    user="analyst.one",
    roles=frozenset({Role("analyst"), Role("auditor")}),
    clearance=Sensitivity.SECRET,
    token_id="t-1",
    issued_at=AT - timedelta(hours=1),
    expires_at=AT + timedelta(hours=1),
).with_purpose(Purpose.parse("OP-KESTREL associates"))


def _validated(caller: Caller | None, exchange: Exchange, ending: Ending, **kw: Any) -> AuditEvent:
    return AuditEvent.model_validate(
        {
            "at": kw.get("at", AT),
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
            "duration_ms": kw.get("duration_ms", 12.345678),
            "client_address": "10.0.0.7",
            "user_agent": kw.get("user_agent", "explorer/1.0"),
        }
    )


CASES = [
    (CALLER, Exchange(query="{ me { user } }"), OK),
    (
        CALLER,
        Exchange(
            query="query Q($id: ID!) { entity(id: $id) { id } }",
            operation="Q",
            variables={"id": "person-1", "n": [1, 2.5, None, True], "deep": {"ü": "Zoë"}},
            returned_ids=["person-1", "phone-9"],
        ),
        OK,
    ),
    (None, Exchange(query="{ me { user } }"), Ending(Outcome.REFUSED, "invalid-token:expired")),
    (CALLER, Exchange(query="{ x"), Ending(Outcome.ERROR, "invalid-query")),
    (CALLER, Exchange(query="{ a }", returned_ids=[f"e{i}" for i in range(1_500)]), OK),
]


@pytest.mark.parametrize(("caller", "exchange", "ending"), CASES)
def test_the_event_equals_the_validated_model(
    caller: Caller | None, exchange: Exchange, ending: Ending
) -> None:
    event = audit_event(
        at=AT,
        caller=caller,
        exchange=exchange,
        ending=ending,
        duration_ms=12.345678,
        client_address="10.0.0.7",
        user_agent="explorer/1.0",
    )
    expected = _validated(caller, exchange, ending)
    assert "query_sha256" in event.model_fields_set  # assembled, not validated
    assert event == expected
    assert event.model_dump(mode="json") == expected.model_dump(mode="json")
    assert event.seal(4, "a" * 64).hash == expected.seal(4, "a" * 64).hash


@pytest.mark.parametrize(
    "changes",
    [
        {"at": AT.astimezone(timezone(timedelta(hours=2)))},  # converted to UTC by the model
        {"operation": "  Spaced   name "},  # collapsed by the model
        {"duration_ms": 3},  # an int, made a float by the model
    ],
)
def test_values_the_model_would_change_are_validated(changes: dict[str, Any]) -> None:
    exchange = Exchange(query="{ a }", operation=changes.get("operation"))
    event = audit_event(
        at=changes.get("at", AT),
        caller=CALLER,
        exchange=exchange,
        ending=OK,
        duration_ms=changes.get("duration_ms", 12.345678),
        client_address="10.0.0.7",
        user_agent="explorer/1.0",
    )
    expected = _validated(CALLER, exchange, OK, **changes)
    assert event == expected
    assert event.at.tzinfo is UTC or event.at.utcoffset() == timedelta(0)


def test_variables_json_cannot_carry_are_replaced_by_a_note() -> None:
    exchange = Exchange(query="{ a }", variables={"name": "\ud800", "x": float("nan")})
    event = audit_event(
        at=AT,
        caller=CALLER,
        exchange=exchange,
        ending=OK,
        duration_ms=1.0,
        client_address=None,
        user_agent=None,
    )
    assert event.variables == {"unrecordable": "the variables were not valid JSON text"}


def test_a_sealed_entry_is_the_validated_entry_and_its_stored_form() -> None:
    event = _validated(CALLER, CASES[1][1], OK)
    entry, stored = event.sealed(9, GENESIS_HASH)
    assert entry == AuditEntry.model_validate_json(stored)
    assert stored == entry.to_json()
    assert entry.intact
    with pytest.raises(ValueError, match="cannot seal"):
        event.sealed(0, GENESIS_HASH)
    with pytest.raises(ValueError, match="cannot seal"):
        event.sealed(1, "not a hash")
