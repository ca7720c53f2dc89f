"""Deterministic ids from declared key fields, so that a reload changes nothing.

Each record, entity and edge model declares which of its fields identify it (``IdKey``, as a
FollowTheMoney mapping declares its key columns). The id is the declared prefix and a digest of a
canonical encoding of those values::

    make_id("phone", "+447700900123")  ->  "phone_<26 base32 characters>"

- The digest is BLAKE2b-128 written in lower-case base32 without padding: the same inputs give
  the same id in every process and Python version (``hash()`` is salted per process), and ids
  never contain key text, which is often personal data.
- Strings are compared after Unicode NFC normalisation with surrounding whitespace removed and
  inner runs of whitespace collapsed; a key declared case-insensitive is casefolded as well.
- Each value is encoded with a type tag and its length, so no choice of values can collide with
  another by shifting a separator, and None, "" and 0 are three different keys.
- A ``date`` and a ``PartialDate`` known to the day encode the same way (both are ISO dates);
  datetimes are encoded in UTC, so the offset a source writes does not change the id.

Changing the encoding changes every id in every graph: ``_VERSION`` names it, and tests pin
literal ids so that an accidental change fails loudly.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    ModelWrapValidatorHandler,
    PrivateAttr,
    StringConstraints,
    computed_field,
    model_validator,
)

from schema.base import PartialDate, StrictModel
from schema.errors import SchemaError

KeyValue = str | int | date | datetime | PartialDate | Enum | None
"""What a key field may hold (bool counts as int; floats are refused: they do not round-trip)."""

_VERSION = b"clew-id/1"
_PREFIX = re.compile(r"^[a-z][a-z0-9_]*$")
ID_PATTERN = r"^[a-z][a-z0-9_]*_[a-z2-7]{26}$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
"""An id as ``make_id`` writes it (a reference to a node: an edge's ends, a record id)."""


def normalise_key_text(text: str, *, casefold: bool = False) -> str:
    """The form a string takes inside a key: NFC, trimmed, whitespace runs collapsed to one
    space, and casefolded when asked."""
    text = unicodedata.normalize("NFC", text)
    if casefold:
        text = unicodedata.normalize("NFC", text.casefold())
    return " ".join(text.split())


def _encode(value: KeyValue) -> bytes:
    if type(value) is str:  # the usual case first: a load derives millions of ids
        payload = normalise_key_text(value).encode("utf-8")
        return b"s" + str(len(payload)).encode("ascii") + b":" + payload
    if isinstance(value, Enum):
        value = value.value
    if value is None:
        return b"n"
    if isinstance(value, bool):
        tag, text = b"b", "1" if value else "0"
    elif isinstance(value, int):
        tag, text = b"i", str(value)
    elif isinstance(value, str):
        tag, text = b"s", normalise_key_text(value)
    elif isinstance(value, datetime):
        if value.utcoffset() is None:
            raise SchemaError(f"a datetime in a key must name its offset: {value.isoformat()}")
        tag, text = b"t", value.astimezone(UTC).isoformat()
    elif isinstance(value, date | PartialDate):
        tag, text = b"d", value.isoformat()
    else:
        raise SchemaError(f"a key value cannot be a {type(value).__name__}")
    payload = text.encode("utf-8")
    return tag + str(len(payload)).encode("ascii") + b":" + payload


def make_id(prefix: str, *key_values: KeyValue) -> str:
    """The id for ``key_values`` under ``prefix`` (see the module docstring for the encoding)."""
    if not _PREFIX.match(prefix):
        raise SchemaError(f"id prefix {prefix!r} must be lower-case letters, digits, underscore")
    h = hashlib.blake2b(digest_size=16)
    h.update(_VERSION)
    h.update(_encode(prefix))
    h.update(str(len(key_values)).encode("ascii"))
    for value in key_values:
        h.update(_encode(value))
    return f"{prefix}_{_base32(h.digest())}"


_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"
_BASE32_PAIRS = tuple(a + b for a in _BASE32 for b in _BASE32)
_SHIFTS = tuple(range(120, -1, -10))


def _base32(digest: bytes) -> str:
    """``base64.b32encode(digest)`` in lower case without padding, for a 16-byte digest: 130
    bits (the 128 padded with two zeros) read ten at a time. ``base64``'s own encoder is written
    in Python and was half the cost of an id."""
    bits = int.from_bytes(digest, "big") << 2
    pairs = _BASE32_PAIRS
    return "".join([pairs[(bits >> shift) & 1023] for shift in _SHIFTS])


def raw_hash(raw: str | bytes) -> str:
    """SHA-256 of a raw source row, in hex (text is hashed as UTF-8)."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class IdKey:
    """Which fields identify a model, and how they compare.

    ``fields`` are attribute names (fields or properties) in key order; ``casefold`` names those
    compared without regard to case; ``optional`` names those that may be missing. A value that
    is None or blank is missing: an optional one is encoded as None, any other raises
    ``SchemaError`` naming the field.
    """

    prefix: str
    fields: tuple[str, ...]
    casefold: frozenset[str] = field(default_factory=frozenset)
    optional: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not _PREFIX.match(self.prefix):
            raise SchemaError(
                f"id prefix {self.prefix!r} must be lower-case letters, digits, underscore"
            )
        if not self.fields:
            raise SchemaError(f"id key {self.prefix!r} declares no fields")
        if len(set(self.fields)) != len(self.fields):
            raise SchemaError(f"id key {self.prefix!r} repeats a field: {self.fields}")
        unknown = (self.casefold | self.optional) - set(self.fields)
        if unknown:
            raise SchemaError(f"id key {self.prefix!r}: {sorted(unknown)} are not key fields")

    def values(self, source: object) -> tuple[KeyValue, ...]:
        """The key values of ``source`` (a model, or a mapping of field names to values)."""
        out: list[KeyValue] = []
        for name in self.fields:
            value = source.get(name) if isinstance(source, Mapping) else getattr(source, name)
            if value is None or (isinstance(value, str) and not value.strip()):
                if name not in self.optional:
                    raise SchemaError(f"{self.prefix} id: key field {name!r} is missing")
                value = None
            elif name in self.casefold and isinstance(value, str):
                value = normalise_key_text(value, casefold=True)
            out.append(value)
        return tuple(out)

    def id_for(self, source: object, *, scope: tuple[KeyValue, ...] = ()) -> str:
        """The id of ``source``; ``scope`` values come before the key (a record's source)."""
        return make_id(self.prefix, *scope, *self.values(source))


class Keyed(StrictModel):
    """A model whose ``id`` is derived from its declared key.

    ``id`` is computed, so it always agrees with the fields; it is written out by
    ``model_dump`` and, when read back (from the graph, from JSON), checked against the fields
    rather than trusted. Other computed fields in the input are ignored the same way.
    """

    id_key: ClassVar[IdKey]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        key = cls.__dict__.get("id_key")
        if key is None:
            return
        for name in key.fields:
            if name not in cls.model_fields and not isinstance(getattr(cls, name, None), property):
                raise SchemaError(f"{cls.__name__}.id_key names {name!r}, which it does not have")

    def _id_scope(self) -> tuple[KeyValue, ...]:
        return ()

    # The id is derived once per instance, at validation: a load asks a record and its edges for
    # ids many times (bench/RESULTS.md measured a quarter of a load in recomputing them). Frozen
    # fields cannot change under it; ``model_copy(update=...)`` derives it again.
    _id_cache: str | None = PrivateAttr(default=None)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def id(self) -> str:
        # The private dict directly: pydantic's ``__getattr__`` for private attributes made
        # this property a tenth of a load's time.
        private = self.__pydantic_private__
        assert private is not None  # every Keyed has the private _id_cache
        cached: str | None = private.get("_id_cache")
        if cached is None:
            cached = private["_id_cache"] = self.id_key.id_for(self, scope=self._id_scope())
        return cached

    @classmethod
    def trusted(cls, **fields: Any) -> Self:
        """The model built from values that are already valid, without checking them again
        (``model_construct``), its id derived as at validation. For hot loops only, where every
        value comes from validated models; a test must prove the result equals the validated
        model."""
        model = cls.model_construct(**fields)
        _ = model.id
        return model

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        copy = super().model_copy(update=update, deep=deep)
        copy._id_cache = None
        _ = copy.id  # derived now, as at validation, so that equal models compare equal
        return copy

    @model_validator(mode="wrap")
    @classmethod
    def _derived_id(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        given = None
        if isinstance(data, Mapping):
            given = data.get("id")
            computed = cls.model_computed_fields
            if any(name in data for name in computed):
                data = {k: v for k, v in data.items() if k not in computed}
        model = handler(data)
        derived = model.id  # raises SchemaError naming a missing key field
        if given is not None and given != derived:
            raise ValueError(f"id {given!r} does not match the id its key fields give ({derived})")
        return model
