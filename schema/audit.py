"""The read audit: one ``AuditEntry`` per API request, in an append-only, hash-chained log.

Each entry says who asked (user, roles, clearance), why (purpose), what (operation, query text
and its hash, variables), what came back (the entity ids returned), how it ended (ok, refused,
error with a code), when and for how long, and from where. ``graph.audit_log`` stores the entries
and verifies them; this module defines the entry and its hash.

Chain. Entries are numbered from 1 (``seq``). Each carries ``prev_hash``, the ``hash`` of the entry
before it (``GENESIS_HASH`` for entry 1), and its own ``hash``::

    hash = sha256(canonical JSON of every field except "hash").hexdigest()

``seq`` and ``prev_hash`` are inside the hashed text, so an altered entry no longer matches its
hash, a removed entry leaves a gap in ``seq`` and a ``prev_hash`` that names nothing, and entries
moved out of order break both. A chain cannot show that the newest entries were cut off, nor
that someone rewrote every entry from the first tampered one onwards: the log keeps its head
apart from the entries for the first case, and an operator who records ``clew audit verify``'s
last seq and hash elsewhere covers the second.

Canonical JSON (``canonical_json``): the entry as pydantic's JSON mode dumps it (``at`` written
``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC, ``clearance`` by its name, tuples as arrays, absent values
as ``null``), every object's keys sorted, no whitespace (``","`` and ``":"`` separators), text as
UTF-8 (not ``\\u`` escapes), numbers as Python's ``json`` writes them (integers in full, floats
in their shortest round-trip form; NaN and infinities are refused). That is what
``json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
allow_nan=False).encode()`` gives; a verifier outside Clew needs nothing more.

Variables are kept as the caller sent them (JSON values). Clew's API takes no secrets in GraphQL
variables (tokens travel in headers), so none are expected here; a client that puts one there
has it written to the audit log, which only the auditor role can read.

Returned entity ids: up to ``MAX_RETURNED_IDS`` are kept in the order returned; beyond that the
entry keeps the first ``MAX_RETURNED_IDS``, the full count, and the sha256 of the full list's
canonical JSON, so that a list produced again later can be matched against the entry.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Final

from pydantic import (
    Field,
    JsonValue,
    StringConstraints,
    field_serializer,
    field_validator,
    model_validator,
)

from schema.base import NonEmptyStr, StrictModel, UtcDatetime
from schema.grading import Sensitivity

GENESIS_HASH: Final = "0" * 64
"""The ``prev_hash`` of entry 1."""

MAX_RETURNED_IDS: Final = 1_000
"""Entity ids kept per entry; a request that returned more keeps the count and a digest too."""

ANONYMOUS_OPERATION: Final = "anonymous"
"""The operation name of a GraphQL request that names none."""

Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def canonical_json(value: Any) -> bytes:
    """The canonical bytes of a JSON value (see the module docstring); ``ValueError`` for a
    value JSON cannot carry (NaN, infinity, a lone surrogate, a non-JSON type)."""
    try:
        text = json.dumps(
            value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
        return text.encode("utf-8")
    except (TypeError, ValueError) as exc:  # UnicodeEncodeError is a ValueError
        raise ValueError(f"not canonical JSON: {exc}") from exc


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def entry_hash(fields: Mapping[str, Any]) -> str:
    """The hash of an entry given as its JSON fields: sha256 over the canonical JSON of every
    field except ``hash``. ``graph.audit_log`` hashes what it reads back exactly like this, from
    the stored JSON rather than from a re-validated model, so no normalisation can hide a change.
    """
    return sha256_hex(canonical_json({k: v for k, v in fields.items() if k != "hash"}))


class Outcome(StrEnum):
    OK = "ok"
    REFUSED = "refused"  # the access model said no: not allowed, no purpose, clearance too low
    ERROR = "error"  # the request failed (bad query, store down, timeout)


class ReturnedIds(StrictModel):
    """The entity ids a request returned: all of them, or the first ``MAX_RETURNED_IDS`` with the
    full count and the sha256 of the full list's canonical JSON."""

    count: int = Field(ge=0)
    ids: tuple[str, ...] = Field(default=(), max_length=MAX_RETURNED_IDS)
    digest: Sha256Hex | None = Field(
        default=None, description="sha256 of the full list's canonical JSON, when truncated"
    )

    @classmethod
    def of(cls, ids: Iterable[str], *, limit: int = MAX_RETURNED_IDS) -> ReturnedIds:
        every = list(ids)
        if len(every) <= limit:
            return cls(count=len(every), ids=tuple(every))
        return cls(
            count=len(every), ids=tuple(every[:limit]), digest=sha256_hex(canonical_json(every))
        )

    @model_validator(mode="after")
    def _complete_or_digested(self) -> ReturnedIds:
        truncated = self.count > len(self.ids)
        if self.count < len(self.ids):
            raise ValueError(f"count {self.count} is less than the {len(self.ids)} ids kept")
        if truncated != (self.digest is not None):
            raise ValueError("a digest is kept exactly when the ids are truncated")
        return self


class AuditEvent(StrictModel):
    """What happened in one request, before the log numbers and chains it (``seal``)."""

    at: UtcDatetime = Field(description="when the request arrived")
    user: NonEmptyStr
    roles: tuple[NonEmptyStr, ...] = ()
    clearance: Sensitivity | None = None
    purpose: str | None = Field(default=None, description="the purpose the caller declared")
    operation: NonEmptyStr = ANONYMOUS_OPERATION
    query: str
    query_sha256: Sha256Hex = Field(
        default_factory=lambda data: sha256_hex(data["query"].encode("utf-8")),
        description="sha256 of the query text's UTF-8 bytes (computed when not given)",
    )
    variables: dict[str, JsonValue] = Field(default_factory=dict)
    returned: ReturnedIds = Field(default_factory=lambda: ReturnedIds(count=0))
    outcome: Outcome = Outcome.OK
    error_code: NonEmptyStr | None = None
    duration_ms: float = Field(ge=0, allow_inf_nan=False)
    client_address: str | None = None
    user_agent: str | None = None

    @field_validator("variables")
    @classmethod
    def _json_safe(cls, v: dict[str, JsonValue]) -> dict[str, JsonValue]:
        canonical_json(v)  # NaN, infinities and lone surrogates cannot be hashed reproducibly
        return v

    @field_validator("duration_ms")
    @classmethod
    def _microseconds(cls, v: float) -> float:
        # Sub-microsecond digits are noise, and short decimals write the same in every language.
        return round(v, 3)

    @model_validator(mode="after")
    def _consistent(self) -> AuditEvent:
        if self.query_sha256 != sha256_hex(self.query.encode("utf-8")):
            raise ValueError("query_sha256 is not the sha256 of the query text")
        if (self.outcome is Outcome.OK) != (self.error_code is None):
            raise ValueError("an error code is given exactly when the outcome is not ok")
        return self

    @field_serializer("at", when_used="json")
    def _iso(self, at: datetime) -> str:
        return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    @field_serializer("clearance", when_used="json")
    def _name(self, clearance: Sensitivity | None) -> str | None:
        return None if clearance is None else clearance.name

    def seal(self, seq: int, prev_hash: str) -> AuditEntry:
        """This event as entry ``seq`` after the entry whose hash is ``prev_hash``."""
        return self.sealed(seq, prev_hash)[0]

    def sealed(self, seq: int, prev_hash: str) -> tuple[AuditEntry, bytes]:
        """``seal``, and the entry's stored form (``AuditEntry.to_json``) made on the way.

        The entry is built from this event's already validated values (``model_construct``)
        rather than validated again from its JSON: what is hashed and stored is the JSON dump of
        this event with ``seq``, ``prev_hash`` (and ``hash``), exactly as before."""
        if seq < 1 or not _SHA256.match(prev_hash):
            raise ValueError(f"cannot seal entry {seq} after {prev_hash[:80]!r}")
        fields = {**self.model_dump(mode="json"), "seq": seq, "prev_hash": prev_hash}
        digest = entry_hash(fields)
        fields["hash"] = digest
        entry = AuditEntry.model_construct(
            **{**self.__dict__, "seq": seq, "prev_hash": prev_hash, "hash": digest}
        )
        return entry, canonical_json(fields)


class AuditEntry(AuditEvent):
    """One entry of the audit log: an event with its place in the chain.

    The model does not check ``hash``: a tampered entry must still load so that verification can
    say what is wrong with it (``computed_hash``, ``intact``).
    """

    seq: int = Field(ge=1)
    prev_hash: Sha256Hex
    hash: Sha256Hex

    def fields(self) -> dict[str, Any]:
        """The entry as JSON fields: what is stored and what is hashed."""
        return self.model_dump(mode="json")

    def computed_hash(self) -> str:
        return entry_hash(self.fields())

    @property
    def intact(self) -> bool:
        return self.computed_hash() == self.hash

    def to_json(self) -> bytes:
        """The stored form: the canonical JSON of every field, ``hash`` included."""
        return canonical_json(self.fields())


# --- what reading and verifying the log return ------------------------------------------------


class AuditPage(StrictModel):
    """Entries of one read, and where the next read carries on: pass ``next`` as ``after_seq``
    (oldest first) or ``before_seq`` (newest first); ``None`` when nothing is left to read."""

    entries: tuple[AuditEntry, ...]
    next: int | None = None


class ProblemKind(StrEnum):
    ALTERED = "altered"  # the entry's content no longer matches its hash
    REMOVED = "removed"  # entries are missing: a gap in seq, or the head is past the last entry
    REORDERED = "reordered"  # an entry is stored where another entry belongs
    CHAIN = "chain"  # prev_hash does not name the entry before: one of the two was replaced
    MALFORMED = "malformed"  # not an entry at all (bad JSON or fields)
    HEAD = "head"  # the log's head record is missing or disagrees with its last entry


class AuditProblem(StrictModel):
    seq: int = Field(description="the seq at which the chain breaks")
    kind: ProblemKind
    detail: str


class VerifyReport(StrictModel):
    """What ``verify`` found: how much it checked, and the problems (the first
    ``problems`` of ``problem_count``, in log order)."""

    checked: int = Field(ge=0)
    first_seq: int | None = None
    last_seq: int | None = None
    first_at: UtcDatetime | None = None
    last_at: UtcDatetime | None = None
    last_hash: Sha256Hex | None = None
    head_seq: int | None = None
    problems: tuple[AuditProblem, ...] = ()
    problem_count: int = Field(default=0, ge=0)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def first_problem(self) -> AuditProblem | None:
        return self.problems[0] if self.problems else None
