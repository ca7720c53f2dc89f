"""Clew's one exception root, and the tree below it.

Everything Clew raises on purpose is a ``ClewError``; a CLI user or an API caller sees its message,
never a driver's traceback. Engine messages are kept verbatim on ``QueryError.engine_message``
and the driver's exception is chained as ``__cause__``.

::

    ClewError
    ├── ConfigError                 a setting or URL that cannot work (says which and why)
    │   └── KeyFileError            a token key file that is unsafe, unreadable or of a wrong kind
    ├── SchemaError                 a model, id key or graph-schema declaration is inconsistent
    ├── StoreError                  anything the graph store reports
    │   ├── StoreUnavailable        no server to talk to (not started, unreachable, auth refused)
    │   ├── QueryError              the engine rejected a query (syntax, type, runtime error)
    │   │   ├── ConstraintViolation a unique or mandatory constraint refused a write
    │   │   └── ReadOnlyViolation   a write was sent where only reads are allowed
    │   ├── QueryTimeout            the engine stopped the query at its time limit
    │   └── DurabilityError         a write was applied but could not be confirmed on disk
    ├── AuditError                  the read audit log cannot take or give an entry
    ├── ServerError                 the embedded server could not be started, stopped or checked
    ├── MigrationError              a migration step failed or the ledger disagrees with the code
    │   └── ChecksumMismatch        an applied step was changed after it was applied
    ├── ClusteringError             ER clustering or entity-id carrying cannot honour its inputs
    │   ├── LinkConflict            a cannot-link joins records that must-links put together
    │   └── EntityIdCollision       one entity id would be given to two entities in one run
    ├── ResolutionError             entity resolution cannot run on this table or with this model
    │   └── UnknownColumnKind       a column was given a kind resolution does not know (lists them)
    └── AuthError                   an API request that cannot be served as its caller
        ├── MissingToken            401: no bearer token in ``Authorization``
        ├── InvalidToken            401: expired, tampered, other issuer or audience, unknown role
        ├── MissingPurpose          400: no ``X-Clew-Purpose``, or one that states no purpose
        ├── Forbidden               403: the caller's roles lack a permission (names it)
        └── KeySetUnavailable       503: the JWKS that verifies tokens could not be fetched
"""

from __future__ import annotations

from typing import ClassVar


class ClewError(Exception):
    """Root of every error Clew raises on purpose."""


class ConfigError(ClewError):
    """A setting or URL that cannot work."""


class KeyFileError(ConfigError):
    """A key file for API tokens cannot be used: readable or writable by others, not a key, or
    not the kind expected. ``path`` names the file; the message never includes key material."""

    def __init__(self, message: str, *, path: str) -> None:
        self.path = path
        super().__init__(message)


class SchemaError(ClewError):
    """A model, id key or graph-schema declaration is inconsistent."""


class StoreError(ClewError):
    """Anything the graph store reports."""


class StoreUnavailable(StoreError):
    """No server to talk to: not started, unreachable, or it refused our credentials."""


class QueryError(StoreError):
    """The engine rejected a query.

    ``engine_message`` is the engine's own text, kept verbatim so that a user can act on it;
    ``query`` is the Cypher that failed (parameters are never included: they may hold
    restricted data).
    """

    def __init__(self, engine_message: str, *, query: str | None = None) -> None:
        self.engine_message = engine_message
        self.query = query
        super().__init__(engine_message)


class ConstraintViolation(QueryError):
    """A unique or mandatory constraint refused a write; nothing of that statement was applied."""


class ReadOnlyViolation(QueryError):
    """A write was sent where only reads are allowed."""


class QueryTimeout(StoreError):
    """The engine stopped the query at its time limit."""

    def __init__(self, message: str, *, timeout_ms: int | None = None) -> None:
        self.timeout_ms = timeout_ms
        super().__init__(message)


class DurabilityError(StoreError):
    """A write was applied but the server could not confirm that it reached disk."""


class AuditError(ClewError):
    """The read audit log cannot take or give an entry: its head record is missing or disagrees
    with its entries, an entry cannot be read, or appends kept colliding. A request that cannot
    be audited is not to be answered; ``clew audit verify`` says what is wrong with the log."""


class ServerError(ClewError):
    """The embedded server could not be started, stopped or checked."""


class MigrationError(ClewError):
    """A migration step failed, or the ledger in the graph disagrees with the code."""


class ChecksumMismatch(MigrationError):
    """A step that was already applied has changed since; applied steps are immutable."""


# --- entity-resolution clustering and entity ids (algorithms/er/cluster.py, entity_ids.py) ------


class ClusteringError(ClewError):
    """Clustering or entity-id carrying was given inputs it cannot honour: pairs naming records
    that do not exist, a non-finite weight or threshold, record ids that repeat."""


class LinkConflict(ClusteringError):
    """An analyst cannot-link joins two records that analyst must-links put in one entity.

    ``cannot_link`` is the contradicted pair, ``must_links`` the chain of must-links joining its
    ends (record indices, as given to clustering), ``count`` how many cannot-links contradict the
    must-links in all; one of the decisions has to be withdrawn before clustering can run.
    """

    def __init__(
        self,
        cannot_link: tuple[int, int],
        must_links: tuple[tuple[int, int], ...],
        *,
        count: int = 1,
    ) -> None:
        self.cannot_link = cannot_link
        self.must_links = must_links
        self.count = count
        chain = ", ".join(f"({a}, {b})" for a, b in must_links)
        others = f" ({count - 1} more cannot-links conflict too)" if count > 1 else ""
        super().__init__(
            f"cannot-link {cannot_link} contradicts must-link{'s' if len(must_links) > 1 else ''} "
            f"{chain}, which join its records into one entity{others}"
        )


class EntityIdCollision(ClusteringError):
    """One entity id would be given to two entities in one run: ``new_id`` returned an id that is
    already in use (carried over from the last run, or made for another new entity)."""

    def __init__(self, entity_id: str, *, records: tuple[str, ...], holder: str) -> None:
        self.entity_id = entity_id
        self.records = records
        self.holder = holder
        super().__init__(
            f"new entity id {entity_id!r} for records {', '.join(records[:5])}"
            f"{' ...' if len(records) > 5 else ''} is already {holder}"
        )


# --- end of the clustering block ----------------------------------------------------------------


class ResolutionError(ClewError):
    """Entity resolution cannot run as asked: a table whose columns disagree in length, a setting
    that names a column the table lacks, a stored model that does not fit the table."""


class UnknownColumnKind(ResolutionError):
    """A column was declared with a kind that resolution does not know; ``known`` lists the
    kinds it does, so that a configuration file can be corrected in one go."""

    def __init__(self, kind: str, *, column: str | None = None, known: tuple[str, ...]) -> None:
        self.kind = kind
        self.column = column
        self.known = known
        where = f" for column {column!r}" if column else ""
        super().__init__(f"unknown column kind {kind!r}{where}; known kinds: {', '.join(known)}")


# --- API identity and access (api/auth/) --------------------------------------------------------


class AuthError(ClewError):
    """An API request that cannot be served as its caller. ``http_status`` is the status the API
    answers with; the message says what to fix and never includes a token or key material."""

    http_status: ClassVar[int] = 401


class MissingToken(AuthError):
    """The request carries no ``Authorization: Bearer <token>`` header."""


class InvalidToken(AuthError):
    """The bearer token cannot be accepted. ``reason`` is one word for logs and the audit trail:
    ``malformed``, ``signature``, ``algorithm``, ``unknown-key``, ``expired``, ``not-yet-valid``,
    ``issuer``, ``audience``, ``claims`` or ``role``."""

    def __init__(self, message: str, *, reason: str) -> None:
        self.reason = reason
        super().__init__(message)


class MissingPurpose(AuthError):
    """The request states no purpose: the ``X-Clew-Purpose`` header is absent, or its value is
    not an operation or case reference nor a short reason. ``header`` names the header."""

    http_status: ClassVar[int] = 400

    def __init__(self, message: str, *, header: str) -> None:
        self.header = header
        super().__init__(message)


class Forbidden(AuthError):
    """The caller's roles do not grant ``permission`` (its value, as ``"resolution:decide"``)."""

    http_status: ClassVar[int] = 403

    def __init__(self, message: str, *, permission: str, user: str) -> None:
        self.permission = permission
        self.user = user
        super().__init__(message)


class KeySetUnavailable(AuthError):
    """The JWKS that verifies tokens could not be fetched or holds no usable key: the service's
    fault, not the caller's."""

    http_status: ClassVar[int] = 503
