"""Clew's one exception root, and the tree below it.

Everything Clew raises on purpose is a ``ClewError``; a CLI user or an API caller sees its message,
never a driver's traceback. Engine messages are kept verbatim on ``QueryError.engine_message``
and the driver's exception is chained as ``__cause__``.

::

    ClewError
    ├── ConfigError                 a setting or URL that cannot work (says which and why)
    ├── SchemaError                 a model, id key or graph-schema declaration is inconsistent
    ├── StoreError                  anything the graph store reports
    │   ├── StoreUnavailable        no server to talk to (not started, unreachable, auth refused)
    │   ├── QueryError              the engine rejected a query (syntax, type, runtime error)
    │   │   ├── ConstraintViolation a unique or mandatory constraint refused a write
    │   │   └── ReadOnlyViolation   a write was sent where only reads are allowed
    │   ├── QueryTimeout            the engine stopped the query at its time limit
    │   └── DurabilityError         a write was applied but could not be confirmed on disk
    ├── ServerError                 the embedded server could not be started, stopped or checked
    └── MigrationError              a migration step failed or the ledger disagrees with the code
        └── ChecksumMismatch        an applied step was changed after it was applied
"""

from __future__ import annotations


class ClewError(Exception):
    """Root of every error Clew raises on purpose."""


class ConfigError(ClewError):
    """A setting or URL that cannot work."""


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


class ServerError(ClewError):
    """The embedded server could not be started, stopped or checked."""


class MigrationError(ClewError):
    """A migration step failed, or the ledger in the graph disagrees with the code."""


class ChecksumMismatch(MigrationError):
    """A step that was already applied has changed since; applied steps are immutable."""
