from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from api.auth import identity
from api.auth.identity import (
    ROLE_PERMISSIONS,
    Caller,
    Permission,
    Role,
    parse_clearance,
    parse_roles,
)
from api.auth.purpose import Purpose
from schema.errors import AuthError, Forbidden
from schema.grading import Grading, Sensitivity

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def caller(*roles: Role, clearance: Sensitivity = Sensitivity.OFFICIAL) -> Caller:
    return Caller(
        user="alice",
        roles=frozenset(roles),
        clearance=clearance,
        token_id="t1",
        issued_at=NOW,
        expires_at=NOW + timedelta(hours=8),
    )


def test_the_docstring_matrix_is_the_mapping() -> None:
    doc = identity.__doc__ or ""
    header = next(line for line in doc.splitlines() if line.strip().startswith("permission "))
    columns = {role: header.index(role.value) for role in Role}
    documented: dict[Role, set[Permission]] = {role: set() for role in Role}
    for line in doc.splitlines():
        name = line.strip().split(" ")[0]
        if name not in {p.value for p in Permission}:
            continue
        for role, at in columns.items():
            width = len(role.value)
            if "X" in line[at : at + width]:
                documented[role].add(Permission(name))
    assert documented == {role: set(perms) for role, perms in ROLE_PERMISSIONS.items()}


def test_every_role_has_permissions_and_every_permission_a_role() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)
    assert set().union(*ROLE_PERMISSIONS.values()) == set(Permission)


def test_the_data_roles_nest() -> None:
    ladder = [Role.VIEWER, Role.ANALYST, Role.INVESTIGATOR, Role.SUPERVISOR]
    for lower, higher in itertools.pairwise(ladder):
        assert ROLE_PERMISSIONS[lower] < ROLE_PERMISSIONS[higher]


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN])
def test_oversight_and_administration_see_no_data(role: Role) -> None:
    c = caller(role, clearance=Sensitivity.TOP_SECRET)
    data = set(ROLE_PERMISSIONS[Role.SUPERVISOR])
    assert not any(c.can(p) for p in data)


def test_a_caller_holds_the_union_of_its_roles() -> None:
    c = caller(Role.VIEWER, Role.AUDITOR)
    assert c.can(Permission.SEARCH)
    assert c.can(Permission.READ_AUDIT)
    assert not c.can(Permission.EXPAND)


def test_require_names_the_permission_and_the_roles_that_grant_it() -> None:
    c = caller(Role.ANALYST)
    c.require(Permission.EXPAND)
    with pytest.raises(Forbidden) as info:
        c.require(Permission.DECIDE)
    assert info.value.permission == "resolution:decide"
    assert info.value.user == "alice"
    assert info.value.http_status == 403
    assert isinstance(info.value, AuthError)
    message = str(info.value)
    assert "'resolution:decide'" in message
    assert "investigator, supervisor" in message
    assert "roles: analyst" in message


@pytest.mark.parametrize(
    ("clearance", "marking", "visible"),
    [
        (Sensitivity.OFFICIAL, Sensitivity.OFFICIAL, True),
        (Sensitivity.OFFICIAL, Sensitivity.OFFICIAL_SENSITIVE, False),
        (Sensitivity.SECRET, Sensitivity.OFFICIAL_SENSITIVE, True),
        (Sensitivity.SECRET, Sensitivity.SECRET, True),
        (Sensitivity.SECRET, Sensitivity.TOP_SECRET, False),
        (Sensitivity.TOP_SECRET, Sensitivity.TOP_SECRET, True),
    ],
)
def test_clearance_must_reach_the_marking(
    clearance: Sensitivity, marking: Sensitivity, visible: bool
) -> None:
    assert caller(Role.SUPERVISOR, clearance=clearance).may_see(marking) is visible


@pytest.mark.parametrize(
    ("grading", "viewer", "analyst"),
    [
        (None, True, True),
        ("3x5x2:1/A/P", True, True),
        ("3x5x2:1/A/C", False, True),
        ("5x5x5:B/2/1", True, True),
        ("5x5x5:B/2/4", False, True),
    ],
)
def test_handling_conditions_need_the_conditional_permission(
    grading: str | None, viewer: bool, analyst: bool
) -> None:
    handling = None if grading is None else Grading.parse(grading)
    assert caller(Role.VIEWER).may_see(Sensitivity.OFFICIAL, handling) is viewer
    assert caller(Role.ANALYST).may_see(Sensitivity.OFFICIAL, handling) is analyst
    # The permission never stands in for clearance.
    assert not caller(Role.ANALYST).may_see(Sensitivity.SECRET, handling)


def test_a_caller_is_immutable_and_takes_a_purpose_by_copy() -> None:
    c = caller(Role.ANALYST)
    with pytest.raises(ValidationError):
        c.user = "mallory"
    d = c.with_purpose(Purpose.parse("OP-KESTREL"))
    assert c.purpose is None
    assert d.purpose is not None
    assert d.purpose.reference == "OP-KESTREL"
    assert d.user == c.user


@pytest.mark.parametrize("user", ["", "  ", "two words", "tab\there", "x" * 257])
def test_a_user_is_one_word(user: str) -> None:
    with pytest.raises(ValidationError, match="one word"):
        Caller(
            user=user,
            roles=frozenset({Role.VIEWER}),
            token_id="t",
            issued_at=NOW,
            expires_at=NOW,
        )


def test_a_caller_has_a_role() -> None:
    with pytest.raises(ValidationError):
        Caller(user="a", roles=frozenset(), token_id="t", issued_at=NOW, expires_at=NOW)


def test_describe() -> None:
    c = caller(Role.INVESTIGATOR, Role.ANALYST, clearance=Sensitivity.SECRET)
    assert c.describe() == (
        "alice: roles analyst, investigator; clearance SECRET; expires 2026-11-23 17:00 UTC"
    )


def test_parse_roles() -> None:
    assert parse_roles([" Analyst", "supervisor", "analyst"]) == {Role.ANALYST, Role.SUPERVISOR}
    with pytest.raises(ValueError, match=re.escape("known roles: viewer, analyst")):
        parse_roles(["wizard"])
    with pytest.raises(ValueError, match="no role"):
        parse_roles([])


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("SECRET", Sensitivity.SECRET),
        ("official-sensitive", Sensitivity.OFFICIAL_SENSITIVE),
        ("Top Secret", Sensitivity.TOP_SECRET),
    ],
)
def test_parse_clearance(text: str, level: Sensitivity) -> None:
    assert parse_clearance(text) is level


def test_parse_clearance_lists_the_markings() -> None:
    with pytest.raises(ValueError, match="OFFICIAL, OFFICIAL_SENSITIVE, SECRET, TOP_SECRET"):
        parse_clearance("confidential")
