"""Audit entries: the canonical form, the genesis link, and a hash that every field changes."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from schema.audit import (
    GENESIS_HASH,
    MAX_RETURNED_IDS,
    AuditEntry,
    AuditEvent,
    Outcome,
    ReturnedIds,
    VerifyReport,
    canonical_json,
    entry_hash,
)
from schema.grading import Sensitivity

AT = datetime(2026, 11, 23, 4, 30, 1, 250_000, tzinfo=UTC)


def event(**changes: Any) -> AuditEvent:
    fields: dict[str, Any] = {
        "at": AT,
        "user": "analyst.one",
        "roles": ("analyst",),
        "clearance": Sensitivity.OFFICIAL_SENSITIVE,
        "purpose": "OP-KESTREL",
        "operation": "PersonNetwork",
        "query": "query PersonNetwork($id: ID!) { person(id: $id) { id } }",
        "variables": {"id": "person-1", "hops": 2, "weights": [0.5, 1.0], "x": None},
        "returned": ReturnedIds.of(["person-1", "phone-9"]),
        "duration_ms": 12.3456,
        "client_address": "10.0.0.7",
        "user_agent": "explorer/1.0",
    }
    return AuditEvent.model_validate({**fields, **changes})


def test_canonical_json_sorts_keys_drops_whitespace_and_keeps_utf8() -> None:
    assert canonical_json({"b": [1, 2.5], "a": "Zoë"}) == '{"a":"Zoë","b":[1,2.5]}'.encode()
    with pytest.raises(ValueError, match="canonical"):
        canonical_json({"a": float("nan")})
    with pytest.raises(ValueError, match="canonical"):
        canonical_json({"a": object()})


def test_the_first_entry_follows_genesis_and_its_hash_is_documented_sha256() -> None:
    entry = event().seal(1, GENESIS_HASH)
    assert entry.seq == 1
    assert entry.prev_hash == "0" * 64
    fields = json.loads(entry.to_json())
    assert fields["at"] == "2026-11-23T04:30:01.250000Z"
    assert fields["clearance"] == "OFFICIAL_SENSITIVE"
    assert fields["duration_ms"] == 12.346
    assert fields["query_sha256"] == hashlib.sha256(entry.query.encode()).hexdigest()
    del fields["hash"]
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert entry.hash == hashlib.sha256(text.encode()).hexdigest()
    assert entry.intact


def test_stored_json_round_trips_to_the_same_entry_and_hash() -> None:
    entry = event().seal(7, "a" * 64)
    again = AuditEntry.model_validate_json(entry.to_json())
    assert again == entry
    assert again.intact
    assert entry_hash(json.loads(entry.to_json())) == entry.hash


CHANGES: list[tuple[str, Any]] = [
    ("seq", 2),
    ("prev_hash", "b" * 64),
    ("at", (AT + timedelta(microseconds=1)).isoformat()),
    ("user", "analyst.two"),
    ("roles", ["analyst", "auditor"]),
    ("clearance", "SECRET"),
    ("purpose", "OP-HERON"),
    ("operation", "anonymous"),
    ("query", "{ person(id: 1) { id } }"),
    ("query_sha256", "c" * 64),
    ("variables", {"id": "person-2", "hops": 2, "weights": [0.5, 1.0], "x": None}),
    ("returned", {"count": 1, "ids": ["person-1"], "digest": None}),
    ("outcome", "refused"),
    ("error_code", "FORBIDDEN"),
    ("duration_ms", 12.347),
    ("client_address", "10.0.0.8"),
    ("user_agent", None),
]


def test_changes_cover_every_field() -> None:
    assert {name for name, _ in CHANGES} == set(AuditEntry.model_fields) - {"hash"}


@pytest.mark.parametrize(("name", "value"), CHANGES, ids=[name for name, _ in CHANGES])
def test_any_field_change_changes_the_hash(name: str, value: Any) -> None:
    entry = event().seal(1, GENESIS_HASH)
    fields = json.loads(entry.to_json())
    assert fields[name] != value
    fields[name] = value
    assert entry_hash(fields) != entry.hash


def test_a_changed_entry_still_loads_but_is_not_intact() -> None:
    entry = event().seal(3, "d" * 64)
    tampered = entry.model_copy(update={"user": "someone.else"})
    assert not tampered.intact


def test_times_are_utc_and_naive_times_are_refused() -> None:
    local = AT.astimezone(timezone(timedelta(hours=2)))
    assert event(at=local).seal(1, GENESIS_HASH).hash == event().seal(1, GENESIS_HASH).hash
    with pytest.raises(ValidationError):
        event(at=AT.replace(tzinfo=None))


def test_query_hash_must_match_and_outcome_needs_an_error_code() -> None:
    with pytest.raises(ValidationError, match="sha256 of the query"):
        event(query_sha256="e" * 64)
    with pytest.raises(ValidationError, match="error code"):
        event(outcome=Outcome.ERROR)
    with pytest.raises(ValidationError, match="error code"):
        event(error_code="TIMEOUT")
    assert event(outcome=Outcome.REFUSED, error_code="FORBIDDEN").outcome is Outcome.REFUSED


def test_variables_must_be_json_that_hashes_reproducibly() -> None:
    with pytest.raises(ValidationError):
        event(variables={"x": float("inf")})
    with pytest.raises(ValidationError):
        event(variables={"x": {1, 2}})


def test_unknown_fields_are_refused_and_entries_are_frozen() -> None:
    with pytest.raises(ValidationError):
        event(token="secret")
    entry = event().seal(1, GENESIS_HASH)
    with pytest.raises(ValidationError):
        entry.user = "x"


def test_returned_ids_keep_all_up_to_the_bound() -> None:
    few = ReturnedIds.of(["a", "b"])
    assert (few.count, few.ids, few.digest) == (2, ("a", "b"), None)
    ids = [f"person-{i}" for i in range(MAX_RETURNED_IDS + 5)]
    many = ReturnedIds.of(ids)
    assert many.count == MAX_RETURNED_IDS + 5
    assert many.ids == tuple(ids[:MAX_RETURNED_IDS])
    assert many.digest == hashlib.sha256(canonical_json(ids)).hexdigest()


def test_returned_ids_are_consistent() -> None:
    with pytest.raises(ValidationError, match="less than"):
        ReturnedIds(count=1, ids=("a", "b"))
    with pytest.raises(ValidationError, match="digest"):
        ReturnedIds(count=3, ids=("a", "b"))
    with pytest.raises(ValidationError, match="digest"):
        ReturnedIds(count=2, ids=("a", "b"), digest="f" * 64)
    with pytest.raises(ValidationError):
        ReturnedIds(count=MAX_RETURNED_IDS + 1, ids=("a",) * (MAX_RETURNED_IDS + 1))


def test_a_report_is_ok_without_problems() -> None:
    assert VerifyReport(checked=0).ok
    assert VerifyReport(checked=0).first_problem is None
