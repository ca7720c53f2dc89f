"""Columns normalised and encoded as arrays, once per table, for blocking and comparison.

Each distinct raw value is normalised once (names repeat: a million records hold perhaps fifty
thousand forenames), then factorised: a record's values become integer codes into the list of
distinct normalised values, and everything a comparison or a blocking key needs about a value
(its phonetic key, its date parts, its postcode area) is an array indexed by that code. The hot
paths then touch only numpy arrays: plain arrays rather than pydantic models (STYLE 9), since
they run over every candidate pair.

Codes follow the order of first appearance, values' and attributes' alike, so that records
appended to an encoded column (``extend_column``: only their cells read, only values not seen
before given attributes) get the codes that encoding the whole column again would give.

Per kind (see ``table.ColumnKind``):

- names: ``names.fold``, titles and suffixes dropped; full names read by ``parse_full_name``
  (the Companies House "MR|KEVIN DAVID|SMITH" form included);
- dates: "YYYY-MM-DD", "YYYY-MM", "YYYY" (partial dates are kept partial), "YYYYMMDD"; a day
  or month out of range is kept as written (a typo still compares), only its ordinal is unknown;
- phones: E.164 by ``phonenumbers`` (numbers without a country code read as ``region``'s),
  otherwise the digits as written;
- e-mails: case folded; postcodes: upper case without spaces, with the area (UK outward code,
  or all but the last digit elsewhere); addresses: folded, common street words expanded;
  identifiers: letters and digits only, upper case.

Placeholders that mean "no value" ("UNKNOWN", "N/A", "NO FIXED ABODE", "000000") are missing,
not values: otherwise every record that has one would agree with every other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Final

import numpy as np
import phonenumbers
from numpy.typing import NDArray

from algorithms.er.arrays import unique
from algorithms.er.names import (
    fold,
    name_tokens,
    parse_full_name,
    phonetic,
    related_pairs,
)
from algorithms.er.table import Cell, Column, ColumnKind, RecordTable
from schema.errors import ResolutionError

I32 = NDArray[np.int32]
I64 = NDArray[np.int64]

PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "null",
        "none",
        "n a",
        "na",
        "nil",
        "unknown",
        "not known",
        "unk",
        "nfa",
        "no fixed abode",
        "no fixed address",
        "not given",
        "not stated",
        "tba",
        "tbc",
        "withheld",
    }
)
"""Folded values that mean "no value" in any column."""


@dataclass(frozen=True, slots=True)
class Encoded:
    """One column as arrays.

    Record ``r``'s values are ``slots[offsets[r]:offsets[r + 1]]``, codes into ``values`` (the
    distinct normalised values); ``first[r]`` is its first value's code, -1 when it has none.
    ``attrs`` holds per-code arrays (phonetic keys, date parts...); ``texts`` per-code strings
    other than the value; ``related`` the sorted keys of nickname-related first-token pairs
    (``a * len(texts["first_vocab"]) + b``); ``keys`` the distinct keys of each factorised
    attribute in code order (its vocabulary), so that ``extend_column`` gives a new value the
    code the same key has, or the next one, exactly as encoding the whole column would.
    """

    kind: ColumnKind
    offsets: I64
    slots: I32
    first: I32
    values: list[str]
    counts: I64
    attrs: dict[str, NDArray[Any]] = field(default_factory=dict)
    texts: dict[str, NDArray[np.object_]] = field(default_factory=dict)
    related: I64 | None = None
    strings: NDArray[np.object_] = field(default_factory=lambda: np.empty(0, dtype=object))
    keys: dict[str, NDArray[np.object_]] = field(default_factory=dict)

    @property
    def multi(self) -> bool:
        return bool(self.slots.size > int(np.count_nonzero(self.first >= 0)))

    @property
    def present(self) -> int:
        """Records with at least one value."""
        return int(np.count_nonzero(self.first >= 0))

    def frequency(self) -> NDArray[np.float64]:
        """Each value's share of the records that have a value (its term frequency)."""
        return self.counts / max(self.present, 1)

    def record_of_slot(self) -> I64:
        return np.repeat(np.arange(self.first.size, dtype=np.int64), np.diff(self.offsets))

    def take(self, records: Sequence[int]) -> Encoded:
        """This column for ``records`` only (in that order), with the same value codes."""
        idx = np.asarray(records, dtype=np.int64)
        starts, ends = self.offsets[idx], self.offsets[idx + 1]
        pieces = [self.slots[s:t] for s, t in zip(starts.tolist(), ends.tolist(), strict=True)]
        slots = np.concatenate(pieces) if pieces else np.empty(0, dtype=np.int32)
        offsets = np.zeros(idx.size + 1, dtype=np.int64)
        np.cumsum(ends - starts, out=offsets[1:])
        return replace(self, offsets=offsets, slots=slots, first=_first(offsets, slots))

    def without(self, codes: I64) -> Encoded:
        """This column with the values ``codes`` removed from every record (over-shared
        values that must stop counting as evidence)."""
        if codes.size == 0:
            return self
        keep = ~np.isin(self.slots, codes)
        records = self.record_of_slot()[keep]
        slots = self.slots[keep]
        n = self.first.size
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(records, minlength=n), out=offsets[1:])
        first = _first(offsets, slots)
        counts = self.counts.copy()
        counts[codes] = 0
        return replace(self, offsets=offsets, slots=slots, first=first, counts=counts)


def _first(offsets: I64, slots: I32) -> I32:
    has = np.diff(offsets) > 0
    first = np.full(offsets.size - 1, -1, dtype=np.int32)
    first[has] = slots[offsets[:-1][has]]
    return first


def factorise(values: Sequence[str]) -> tuple[I32, list[str]]:
    """Integer codes for ``values`` and the distinct values in order of first appearance."""
    index: dict[str, int] = {}
    codes = np.fromiter(
        (index.setdefault(v, len(index)) for v in values), dtype=np.int32, count=len(values)
    )
    return codes, list(index)


# -- normalisers: raw text -> normalised value, or None for "no value" -----------------------


def _name(text: str) -> str | None:
    return " ".join(name_tokens(text)) or None


def _full_name(text: str) -> str | None:
    parsed = parse_full_name(text)
    if parsed is None:
        return None
    # The surname is kept apart by "|" so that comparisons know which token is which.
    return " ".join(parsed.forenames) + "|" + parsed.surname


_DATE = re.compile(r"^(\d{4})(?:[-/.]?(\d{2})(?:[-/.]?(\d{2}))?)?$")


def _date(text: str) -> str | None:
    m = _DATE.match(text.strip())
    if m is None:
        return None
    y, mo, d = m.groups()
    if (mo is not None and not 0 < int(mo) <= 31) or (d is not None and not 0 < int(d) <= 31):
        return None
    return "-".join(p for p in (y, mo, d) if p is not None)


# A GB number already in E.164 whose national number cannot begin with a trunk prefix that
# phonenumbers strips ("0", or "180020"): parsing gives it back unchanged, and parsing costs some
# 40 us a number, most of ``prepare`` on a region of a million people.
_GB_E164: Final = re.compile(r"^\+44(?!180020)[1-9]\d{8,9}$")


def _phone(region: str) -> Callable[[str], str | None]:
    def normalise(text: str) -> str | None:
        if _GB_E164.match(text):
            return text
        digits = re.sub(r"\D", "", text)
        if len(digits) < 6 or len(set(digits)) == 1:
            return None
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            return ("+" if text.strip().startswith("+") else "") + digits
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    return normalise


def _email(text: str) -> str | None:
    value = text.strip().lower()
    return value if "@" in value else None


def _compact_upper(text: str) -> str | None:
    return re.sub(r"[^0-9A-Za-z]", "", text).upper() or None


def _identifier(text: str) -> str | None:
    value = _compact_upper(text)
    # "000000", "XXXXXXXX", "99999999": what a form is given when the number is not known.
    if value is None or (len(value) >= 4 and len(set(value)) == 1):
        return None
    return value


_STREET_WORDS = {
    "rd": "road",
    "st": "street",
    "str": "street",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "cres": "crescent",
    "ct": "court",
    "pl": "place",
    "sq": "square",
    "cl": "close",
    "gdns": "gardens",
    "gr": "grove",
    "hse": "house",
    "flt": "flat",
    "apt": "apartment",
    "ter": "terrace",
    "terr": "terrace",
    "pde": "parade",
    "cir": "circuit",
    "cct": "circuit",
}


def _address(text: str) -> str | None:
    folded = fold(text)
    if not folded or folded in PLACEHOLDERS:
        return None
    return " ".join(_STREET_WORDS.get(t, t) for t in folded.split())


def _folded(text: str) -> str | None:
    return fold(text) or None


def normaliser(kind: ColumnKind, region: str) -> Callable[[str], str | None]:
    """The function that reads one raw value of ``kind``."""
    table: dict[ColumnKind, Callable[[str], str | None]] = {
        ColumnKind.FORENAME: _name,
        ColumnKind.SURNAME: _name,
        ColumnKind.FULL_NAME: _full_name,
        ColumnKind.DATE_OF_BIRTH: _date,
        ColumnKind.PHONE: _phone(region),
        ColumnKind.EMAIL: _email,
        ColumnKind.POSTCODE: _compact_upper,
        ColumnKind.ADDRESS: _address,
        ColumnKind.STREET_NUMBER: _compact_upper,
        ColumnKind.LOCALITY: _folded,
        ColumnKind.IDENTIFIER: _identifier,
        ColumnKind.CATEGORICAL: _folded,
    }
    return table[kind]


# -- per-value attributes ----------------------------------------------------------------------
#
# Computed for a run of values: every value when a column is encoded, only those not seen before
# when it is extended. A factorised attribute takes its codes from a vocabulary (key -> code in
# order of first appearance) carried over from the column extended, so that a key seen before
# keeps its code and a new one takes the next: the codes encoding the whole column would give.

Vocabs = dict[str, dict[str, int]]
PerValue = tuple[dict[str, NDArray[Any]], dict[str, NDArray[np.object_]]]


def _codes_in(keys: Sequence[str], vocab: dict[str, int], *, blank_missing: bool = True) -> I32:
    codes = np.fromiter(
        (vocab.setdefault(k, len(vocab)) for k in keys), dtype=np.int32, count=len(keys)
    )
    # The empty key (no surname, no area) is no key: -1, though it holds its place in the
    # vocabulary, as it does in a factorisation of the whole column.
    blank = vocab.get("") if blank_missing else None
    if blank is not None:
        codes[codes == blank] = -1
    return codes


def _name_attrs(values: list[str], vocabs: Vocabs) -> PerValue:
    firsts = [v.split(" ", 1)[0] for v in values]
    attrs: dict[str, NDArray[Any]] = {
        "meta": _codes_in([phonetic(v) for v in values], vocabs.setdefault("meta", {})),
        "initial": np.array([ord(v[0]) for v in values], dtype=np.int32),
        "first": _codes_in(firsts, vocabs.setdefault("first", {}), blank_missing=False),
        "length": np.array([len(v) for v in values], dtype=np.int32),
        "tokens": np.array([v.count(" ") + 1 for v in values], dtype=np.int32),
    }
    return attrs, {}


def _full_name_attrs(values: list[str], vocabs: Vocabs) -> PerValue:
    fores = [v.split("|", 1)[0] for v in values]
    surs = [v.split("|", 1)[1] for v in values]
    firsts = [f.split(" ", 1)[0] if f else "" for f in fores]

    def codes(name: str, keys: Sequence[str]) -> I32:
        return _codes_in(keys, vocabs.setdefault(name, {}))

    attrs: dict[str, NDArray[Any]] = {
        "first": _codes_in(firsts, vocabs.setdefault("first", {}), blank_missing=False),
        "surname": codes("surname", surs),
        "first_meta": codes("first_meta", [phonetic(f) for f in firsts]),
        "surname_meta": codes("surname_meta", [phonetic(s) for s in surs]),
        "sorted": codes(
            "sorted",
            [" ".join(sorted(f"{f} {s}".split())) for f, s in zip(fores, surs, strict=True)],
        ),
        "first_surname": codes(
            "first_surname", [f"{f} {s}" if f else "" for f, s in zip(firsts, surs, strict=True)]
        ),
        "initial_surname": codes(
            "initial_surname",
            [f"{f[0]} {s}" if f else "" for f, s in zip(firsts, surs, strict=True)],
        ),
        "first_length": np.array([len(f) for f in firsts], dtype=np.int32),
        "first_initial": np.array([ord(f[0]) if f else 0 for f in firsts], dtype=np.int32),
    }
    texts = {
        "surnames": _objects(surs),
        "plain": _objects([f"{f} {s}".strip() for f, s in zip(fores, surs, strict=True)]),
    }
    return attrs, texts


def _date_attrs(values: list[str]) -> dict[str, NDArray[Any]]:
    parts = [[int(p) for p in v.split("-")] + [0, 0] for v in values]
    year = np.array([p[0] for p in parts], dtype=np.int32)
    month = np.array([p[1] for p in parts], dtype=np.int32)
    day = np.array([p[2] for p in parts], dtype=np.int32)
    ordinal = np.array([_ordinal(p[0], p[1], p[2]) for p in parts], dtype=np.int32)
    # The written digits (YYYYMMDD, zeros where partial) for the one-typo test.
    digits = np.array(
        [[int(c) for c in f"{p[0]:04d}{p[1]:02d}{p[2]:02d}"[:8]] for p in parts], dtype=np.int8
    ).reshape(-1, 8)
    full = (month > 0) & (day > 0)
    lo, hi = np.minimum(month, day), np.maximum(month, day)
    return {
        "year": year,
        "month": month,
        "day": day,
        "ordinal": ordinal,
        "ym": np.where(month > 0, year * 100 + month, -1).astype(np.int32),
        # Day and month in either order, so that a transposed date still shares a block.
        "unordered": np.where(full, year * 10000 + lo * 100 + hi, -1).astype(np.int32),
        "yd": np.where(full, year * 100 + day, -1).astype(np.int32),
        "md": np.where(full, month * 100 + day, -1).astype(np.int32),
        "digits": digits,
    }


def _ordinal(y: int, m: int, d: int) -> int:
    try:
        return date(y, m, d).toordinal() if m and d else -1
    except ValueError:
        return -1


_UK_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$")


def _postcode_area(v: str) -> str:
    return v[:-3] if _UK_POSTCODE.match(v) else v[:-1] if len(v) > 2 else v


def _attrs(kind: ColumnKind, values: list[str], vocabs: Vocabs) -> PerValue:
    """The per-value attributes and texts of ``values`` (see ``Encoded``)."""
    if kind in (ColumnKind.FORENAME, ColumnKind.SURNAME):
        return _name_attrs(values, vocabs)
    if kind is ColumnKind.FULL_NAME:
        return _full_name_attrs(values, vocabs)
    if kind is ColumnKind.DATE_OF_BIRTH:
        return _date_attrs(values), {}
    if kind is ColumnKind.POSTCODE:
        areas = [_postcode_area(v) for v in values]
        return {"area": _codes_in(areas, vocabs.setdefault("area", {}))}, {}
    if kind is ColumnKind.EMAIL:
        local = [v.split("@", 1)[0] for v in values]
        return {"local": _codes_in(local, vocabs.setdefault("local", {}))}, {}
    if kind is ColumnKind.PHONE:
        # The last eight digits: the same number written with and without its country code.
        tails = [v[-8:] for v in values]
        return {"tail": _codes_in(tails, vocabs.setdefault("tail", {}))}, {}
    if kind is ColumnKind.ADDRESS:
        return {}, {"compact": _objects([v.replace(" ", "") for v in values])}
    return {}, {}


def _with_attrs(e: Encoded, old: Encoded | None = None) -> Encoded:
    """``e`` with its values' attributes: ``old``'s (the column ``e`` extends, whose values
    come first in ``e``'s) kept, and only the values after them computed."""
    if old is not None and len(e.values) == len(old.values):
        return replace(e, attrs=old.attrs, texts=old.texts, related=old.related, keys=old.keys)
    start = 0 if old is None else len(old.values)
    vocabs: Vocabs = {}
    if old is not None:
        vocabs = {
            name: dict(zip(k.tolist(), range(k.size), strict=True)) for name, k in old.keys.items()
        }
    attrs, texts = _attrs(e.kind, e.values[start:], vocabs)
    if old is not None:
        attrs = {name: np.concatenate([old.attrs[name], a]) for name, a in attrs.items()}
        texts = {name: np.concatenate([old.texts[name], t]) for name, t in texts.items()}
    keys = {name: _objects(list(vocab)) for name, vocab in vocabs.items()}
    related = None
    if "first" in keys:
        texts["first_vocab"] = keys["first"]
        unchanged = old is not None and old.keys["first"].size == keys["first"].size
        # Related pairs are keyed by the vocabulary's size: the same while no first name is new.
        related = (
            old.related if unchanged and old is not None else related_pairs(keys["first"].tolist())
        )
    return replace(e, attrs=attrs, texts=texts, related=related, keys=keys)


# -- encoding ----------------------------------------------------------------------------------


def encode_column(column: Column, *, region: str = "GB") -> Encoded:
    """``column`` normalised and encoded (see the module docstring)."""
    return _encode(column, region, None)


def extend_column(e: Encoded, column: Column, *, region: str = "GB") -> Encoded:
    """``e`` (a column encoded as read, over-shared values included) with ``column``'s records
    appended: only their cells are read, and only values not seen before get attributes. The
    result is ``encode_column`` of the two columns concatenated, codes included: values take
    codes in order of first appearance, so the old ones keep theirs and new ones come after."""
    if column.kind is not e.kind:
        raise ResolutionError(f"cannot extend a {e.kind} column with a {column.kind} one")
    return _encode(column, region, e)


def _encode(column: Column, region: str, old: Encoded | None) -> Encoded:
    normalise = normaliser(column.kind, region)
    cells = column.values
    # Cells repeat (a million records hold perhaps fifty thousand forenames): each distinct cell
    # is read once, in order of first appearance, and records reach theirs by one C-level dict
    # lookup each, so that no Python code runs per record.
    distinct = list(dict.fromkeys(cells))
    position = dict(zip(distinct, range(len(distinct)), strict=True))
    cell_of = np.fromiter(map(position.__getitem__, cells), dtype=np.int64, count=len(cells))
    read: dict[str, str | None] = {}
    index: dict[str, int] = {}
    if old is not None:
        index = dict(zip(old.values, range(len(old.values)), strict=True))
    cell_codes: list[int] = []
    cell_lengths = np.zeros(len(distinct), dtype=np.int64)
    for i, cell in enumerate(distinct):
        for raw in _raw(cell):
            if raw not in read:
                read[raw] = _checked(normalise(raw))
            value = read[raw]
            if value is not None:
                cell_codes.append(index.setdefault(value, len(index)))
                cell_lengths[i] += 1
    values = list(index)
    cell_starts = np.zeros(len(distinct) + 1, dtype=np.int64)
    np.cumsum(cell_lengths, out=cell_starts[1:])
    lengths = cell_lengths[cell_of]
    offsets = np.zeros(len(cells) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    # Each record's slots are its cell's codes: gathered by one repeat over the records.
    gather = np.repeat(cell_starts[cell_of] - offsets[:-1], lengths) + np.arange(
        int(offsets[-1]), dtype=np.int64
    )
    slots = np.asarray(cell_codes, dtype=np.int32)[gather]
    if np.any(lengths > 1):
        slots, offsets = _dedupe_cells(slots, offsets)
    if old is None:
        strings = _objects(values)
    else:
        # A record's values are deduplicated and ordered within the record alone: the old
        # records' slots stand as they are.
        slots = np.concatenate([old.slots, slots])
        offsets = np.concatenate([old.offsets, offsets[1:] + old.offsets[-1]])
        strings = np.concatenate([old.strings, _objects(values[len(old.values) :])])
    counts = np.bincount(slots, minlength=len(values)).astype(np.int64)
    encoded = Encoded(
        column.kind,
        offsets,
        slots,
        _first(offsets, slots),
        values,
        counts,
        strings=strings,
    )
    return _with_attrs(encoded, old)


def _objects(values: Sequence[str]) -> NDArray[np.object_]:
    # Object arrays, so that the strings of millions of pairs are gathered by fancy indexing
    # (C speed) for rapidfuzz rather than by a list comprehension.
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _checked(value: str | None) -> str | None:
    return None if value is None or _plain(value) in PLACEHOLDERS else value


def _plain(value: str) -> str:
    return " ".join(_NON_ALNUM.sub(" ", value.lower()).split())


_NON_ALNUM = re.compile(r"[\W_]+")


def _raw(cell: Cell) -> tuple[str, ...]:
    if cell is None:
        return ()
    if isinstance(cell, tuple):
        return tuple(v for v in cell if v)
    return (cell,) if cell else ()


def _dedupe_cells(slots: I32, offsets: I64) -> tuple[I32, I64]:
    # A value written twice in one cell counts once (term frequencies count records).
    records = np.repeat(np.arange(offsets.size - 1, dtype=np.int64), np.diff(offsets))
    pairs = unique(records * (int(slots.max()) + 1) + slots)
    span = int(slots.max()) + 1
    records, kept = pairs // span, (pairs % span).astype(np.int32)
    new = np.zeros_like(offsets)
    np.cumsum(np.bincount(records, minlength=offsets.size - 1), out=new[1:])
    return kept, new


def encode_table(table: RecordTable, *, region: str = "GB") -> dict[str, Encoded]:
    """Every column of ``table`` encoded."""
    return {name: encode_column(col, region=region) for name, col in table.columns.items()}


def display(e: Encoded, code: int) -> str:
    """A value as an analyst reads it (full names without the internal separator)."""
    if code < 0:
        return ""
    value = e.values[code]
    return value.replace("|", " ").strip() if e.kind is ColumnKind.FULL_NAME else value
