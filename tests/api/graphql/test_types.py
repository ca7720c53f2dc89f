"""Cursors and enums of the GraphQL layer."""

from __future__ import annotations

import pytest

from api.graphql.audit import AuditOutcome
from api.graphql.connection import decode_cursor, encode_cursor
from api.graphql.me import Clearance
from schema.audit import Outcome
from schema.grading import Sensitivity


def test_a_cursor_round_trips() -> None:
    assert decode_cursor("audit", encode_cursor("audit", 42)) == 42


@pytest.mark.parametrize("cursor", ["zzz", encode_cursor("entity", 3), "", "!!"])
def test_a_foreign_or_damaged_cursor_is_refused(cursor: str) -> None:
    with pytest.raises(ValueError, match="cursor"):
        decode_cursor("audit", cursor)


def test_clearance_names_every_sensitivity() -> None:
    assert [c.name for c in Clearance] == [s.name for s in Sensitivity]


def test_audit_outcomes_match_the_stored_ones() -> None:
    assert [o.value for o in AuditOutcome] == [o.value for o in Outcome]
