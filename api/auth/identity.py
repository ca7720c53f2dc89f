"""Who is asking: the caller of one API request, its roles, permissions and clearance.

A ``Caller`` is built from a verified bearer token (``api.auth.tokens.verify_token``) and, per
request, the purpose it states (``caller_from_headers``). Two questions are asked of it, and
both must say yes before a record is shown:

- ``caller.can(permission)``: may this caller run this kind of operation at all? Roles grant
  permissions; a caller holds the union of its roles' permissions.
- ``caller.may_see(sensitivity, handling)``: may this caller see this record? Decided by the
  caller's clearance against the record's protective marking (``schema.grading.Sensitivity``)
  and, for a record whose handling code sets conditions on sharing, by the permission
  ``records:read-conditional``. Anything derived from records is as sensitive as the most
  sensitive of them (``schema.grading.most_restrictive``), so the same test applies to it.

Clearance is separate from roles: a role never raises it, and an administrator or a supervisor
with OFFICIAL clearance sees OFFICIAL records only.

Roles and permissions (``X``: granted)::

    permission                 viewer analyst investigator supervisor auditor admin
    entities:search              X      X         X           X
    entities:read                X      X         X           X
    network:expand                      X         X           X
    network:paths                       X         X           X
    resolution:read                     X         X           X
    records:read-conditional            X         X           X
    resolution:decide                             X           X
    resolution:review                                         X
    audit:read                                                          X
    tokens:manage                                                              X
    settings:manage                                                            X

- viewer: finds and reads entities and their records (unconditional handling only);
- analyst: and expands networks, finds paths, reads entity-resolution explanations and
  decisions, and sees records whose handling code carries conditions (3x5x2 C, 5x5x5 2-5),
  whose conditions an analyst is trained to honour;
- investigator: and records entity-resolution decisions (same / different person);
- supervisor: and reviews, upholds or withdraws the decisions of others;
- auditor: reads the audit log, and nothing else: oversight without access to the intelligence;
- admin: manages tokens and settings, and no data at all. Separation of duties: someone who
  administers and analyses holds both roles, and sees what the token's clearance allows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from api.auth.purpose import Purpose
from schema.base import StrictModel, UtcDatetime
from schema.errors import Forbidden
from schema.grading import Grading, Sensitivity


class Role(StrEnum):
    """What a caller does; a token names one or more (claim ``roles``)."""

    VIEWER = "viewer"
    ANALYST = "analyst"
    INVESTIGATOR = "investigator"
    SUPERVISOR = "supervisor"
    AUDITOR = "auditor"
    ADMIN = "admin"


class Permission(StrEnum):
    """A kind of operation; the API checks one before it runs a query or a mutation."""

    SEARCH = "entities:search"
    READ_ENTITIES = "entities:read"
    EXPAND = "network:expand"
    PATHS = "network:paths"
    READ_RESOLUTION = "resolution:read"
    READ_CONDITIONAL = "records:read-conditional"
    DECIDE = "resolution:decide"
    REVIEW_DECISIONS = "resolution:review"
    READ_AUDIT = "audit:read"
    MANAGE_TOKENS = "tokens:manage"
    MANAGE_SETTINGS = "settings:manage"


_VIEWER = frozenset({Permission.SEARCH, Permission.READ_ENTITIES})
_ANALYST = _VIEWER | {
    Permission.EXPAND,
    Permission.PATHS,
    Permission.READ_RESOLUTION,
    Permission.READ_CONDITIONAL,
}
_INVESTIGATOR = _ANALYST | {Permission.DECIDE}
_SUPERVISOR = _INVESTIGATOR | {Permission.REVIEW_DECISIONS}

ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = MappingProxyType(
    {
        Role.VIEWER: _VIEWER,
        Role.ANALYST: _ANALYST,
        Role.INVESTIGATOR: _INVESTIGATOR,
        Role.SUPERVISOR: _SUPERVISOR,
        Role.AUDITOR: frozenset({Permission.READ_AUDIT}),
        Role.ADMIN: frozenset({Permission.MANAGE_TOKENS, Permission.MANAGE_SETTINGS}),
    }
)
"""The permissions each role grants (the table in this module's docstring)."""


def known_roles() -> str:
    return ", ".join(r.value for r in Role)


def parse_roles(values: Iterable[str]) -> frozenset[Role]:
    """Roles from their names ("analyst", " Supervisor "); an unknown name is a ``ValueError``
    that lists the known ones, and so is an empty list."""
    roles: set[Role] = set()
    for value in values:
        name = value.strip().lower()
        try:
            roles.add(Role(name))
        except ValueError:
            raise ValueError(f"unknown role {value!r}; known roles: {known_roles()}") from None
    if not roles:
        raise ValueError(f"no role given; known roles: {known_roles()}")
    return frozenset(roles)


def _one_word(value: str) -> str:
    if not value or len(value) > 256 or not value.isprintable() or any(c.isspace() for c in value):
        raise ValueError("a user is one word of 1 to 256 printable characters, without spaces")
    return value


def parse_clearance(text: str) -> Sensitivity:
    """A clearance from its marking, written as analysts do ("SECRET", "official-sensitive");
    an unknown one is a ``ValueError`` that lists the markings."""
    name = "_".join(text.replace("-", " ").upper().split())
    try:
        return Sensitivity[name]
    except KeyError:
        raise ValueError(
            f"unknown clearance {text!r}; use one of {', '.join(s.name for s in Sensitivity)}"
        ) from None


UserId = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_one_word)]
"""Who the caller is, as the identity provider names them: one word, no spaces."""


class Caller(StrictModel):
    """The caller of one request: who, with which roles and clearance, on which token, and, once
    the request's header is read, for what purpose (``None`` until then)."""

    user: UserId
    roles: frozenset[Role] = Field(min_length=1)
    clearance: Sensitivity = Sensitivity.OFFICIAL
    token_id: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    issued_at: UtcDatetime
    expires_at: UtcDatetime
    purpose: Purpose | None = None

    @property
    def permissions(self) -> frozenset[Permission]:
        return frozenset().union(*(ROLE_PERMISSIONS[r] for r in self.roles))

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        """Raise ``Forbidden``, naming the permission and the roles that grant it, unless the
        caller holds it."""
        if self.can(permission):
            return
        granting = ", ".join(r.value for r in Role if permission in ROLE_PERMISSIONS[r])
        held = ", ".join(sorted(r.value for r in self.roles))
        raise Forbidden(
            f"{self.user} (roles: {held}) may not do this: it needs permission "
            f"{permission.value!r}, which the roles {granting} grant",
            permission=permission.value,
            user=self.user,
        )

    def may_see(self, sensitivity: Sensitivity, handling: Grading | None = None) -> bool:
        """Whether a record (or anything derived from records) marked ``sensitivity`` and graded
        ``handling`` may be shown to this caller: the clearance must reach the marking, and a
        handling code with conditions needs ``records:read-conditional``."""
        if sensitivity > self.clearance:
            return False
        return handling is None or not handling.conditional or self.can(Permission.READ_CONDITIONAL)

    def with_purpose(self, purpose: Purpose) -> Caller:
        return self.model_copy(update={"purpose": purpose})

    def describe(self) -> str:
        """One line for a person: who, roles, clearance, until when."""
        roles = ", ".join(sorted(r.value for r in self.roles))
        return (
            f"{self.user}: roles {roles}; clearance {self.clearance.name}; "
            f"expires {self.expires_at:%Y-%m-%d %H:%M} UTC"
        )
